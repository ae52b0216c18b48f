import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.money import Money, MoneyError, div_round_half_up

amounts = st.integers(min_value=-10**12, max_value=10**12)


@given(amounts, amounts, amounts)
def test_addition_is_associative_and_commutative(a, b, c):
    x, y, z = Money(a, "EUR"), Money(b, "EUR"), Money(c, "EUR")
    assert (x + y) + z == x + (y + z)
    assert x + y == y + x


@given(amounts, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12))
def test_allocation_always_sums_to_the_whole(total, weights):
    if sum(weights) == 0:
        weights[0] = 1
    parts = Money(total, "EUR").allocate(weights)
    assert sum(p.minor for p in parts) == total
    assert len(parts) == len(weights)


@given(amounts, st.integers(min_value=0, max_value=100_000))
def test_percentage_is_within_half_a_minor_unit_of_exact(minor, bp):
    got = Money(minor, "EUR").percent(bp).minor
    assert abs(got * 10_000 - minor * bp) <= 5_000


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=1, max_value=10**6))
def test_half_up_division_rounds_halves_away_from_zero(n, d):
    q = div_round_half_up(n, d)
    assert abs(q * d - n) * 2 <= d
    if abs(q * d - n) * 2 == d:  # exact half: away from zero
        assert abs(q * d) > abs(n)


@given(amounts)
def test_decimal_text_round_trips(minor):
    m = Money(minor, "EUR")
    assert Money.parse(m.to_decimal_str(), "EUR") == m


@given(amounts, st.sampled_from([5, 10, 50]))
def test_cash_rounding_lands_on_the_step(minor, step):
    rounded = Money(minor, "EUR").round_to(step)
    assert rounded.minor % step == 0
    assert abs(rounded.minor - minor) * 2 <= step


def test_parse_refuses_more_decimals_than_the_currency_has():
    with pytest.raises(MoneyError, match="more than 2 decimals"):
        Money.parse("1.005", "EUR")
    assert Money.parse("1,50", "EUR") == Money(150, "EUR")
    assert Money.parse("100", "JPY") == Money(100, "JPY")


def test_floats_and_mixed_currencies_are_refused():
    with pytest.raises(MoneyError):
        Money(1.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="currency mismatch"):
        Money(1, "EUR") + Money(1, "GBP")
    with pytest.raises(MoneyError, match="unknown currency"):
        Money(1, "XXX")
    with pytest.raises(MoneyError):
        Money.parse("abc", "EUR")


def test_format_uses_the_currency_symbol():
    assert Money(1234, "EUR").format() == "€12.34"
    assert Money(-5, "GBP").format() == "-£0.05"
    assert Money(7, "KWD").format() == "0.007 KWD"
