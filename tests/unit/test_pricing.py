"""Tax per class, inclusive/exclusive prices, discounts before tax and cash rounding (shared.pricing)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.pricing import (
    LineInput,
    LineTax,
    PricingError,
    PricingRules,
    TaxRate,
    cash_round,
    format_rate,
    line_tax,
    price_basket,
    share_discount,
)

RATES = [TaxRate("standard", 2000, "VAT"), TaxRate("reduced", 550, "VAT"),
         TaxRate("zero", 0, "VAT"), TaxRate("odd", 775)]
amounts = st.integers(min_value=0, max_value=10**9)
rates = st.integers(min_value=0, max_value=10_000)
lines = st.lists(st.builds(LineInput, amounts, st.sampled_from([r.tax_class for r in RATES])),
                 min_size=1, max_size=15)
steps = st.integers(min_value=1, max_value=1000)


def rules(inclusive: bool, step: int = 1) -> PricingRules:
    return PricingRules.of(RATES, prices_include_tax=inclusive, cash_rounding_minor=step)


def all_ints(*values: object) -> bool:
    return all(type(v) is int for v in values)


@given(lines, st.booleans())
def test_the_breakdown_adds_up_to_the_total_exactly(basket_lines, inclusive):
    priced = price_basket(basket_lines, rules(inclusive))
    assert sum(row.gross_minor for row in priced.breakdown) == priced.gross_minor
    assert sum(row.tax_minor for row in priced.breakdown) == priced.tax_minor
    assert sum(row.net_minor for row in priced.breakdown) == priced.net_minor
    assert priced.net_minor + priced.tax_minor == priced.gross_minor
    for row in priced.breakdown:
        assert row.net_minor + row.tax_minor == row.gross_minor
        assert all_ints(row.net_minor, row.tax_minor, row.gross_minor)


@given(lines)
def test_inclusive_gross_is_exactly_the_shelf_prices(basket_lines):
    priced = price_basket(basket_lines, rules(True))
    assert priced.gross_minor == sum(ln.amount_minor for ln in basket_lines)
    assert [p.gross_minor for p in priced.lines] == [ln.amount_minor for ln in basket_lines]


@given(lines)
def test_exclusive_net_is_exactly_the_shelf_prices(basket_lines):
    priced = price_basket(basket_lines, rules(False))
    assert priced.net_minor == sum(ln.amount_minor for ln in basket_lines)


@given(amounts, rates, st.booleans())
def test_line_tax_is_the_exact_tax_rounded_to_the_nearest_minor_unit(amount, rate, inclusive):
    t = line_tax(amount, rate, prices_include_tax=inclusive)
    exact = (Fraction(amount * rate, 10_000 + rate) if inclusive
             else Fraction(amount * rate, 10_000))
    assert abs(t.tax_minor - exact) <= Fraction(1, 2)
    assert all_ints(t.net_minor, t.tax_minor, t.gross_minor)


def test_line_tax_known_figures_round_half_up():
    assert line_tax(1000, 2000, prices_include_tax=False).tax_minor == 200
    assert line_tax(1200, 2000, prices_include_tax=True) == LineTax(1000, 200, 1200)
    assert line_tax(5, 1000, prices_include_tax=False).tax_minor == 1  # 0.5 rounds up
    assert line_tax(119, 2000, prices_include_tax=True).tax_minor == 20  # 19.83 -> 20


def test_tax_is_per_line_so_three_lines_can_differ_from_one_line_of_three():
    r = rules(False)
    per_line = price_basket([LineInput(5, "standard")] * 3, r)  # 3 x round(1.0) = 3
    one_line = price_basket([LineInput(15, "standard")], r)  # round(3.0) = 3
    assert per_line.tax_minor == 3 and one_line.tax_minor == 3
    odd = price_basket([LineInput(3, "reduced")] * 4, r)  # 4 x round(0.165) = 0
    assert odd.tax_minor == 0 and price_basket([LineInput(12, "reduced")], r).tax_minor == 1


@given(lines, st.booleans(), st.data())
def test_discounts_come_off_before_tax_and_are_spent_to_the_cent(basket_lines, inclusive, data):
    total = sum(ln.amount_minor for ln in basket_lines)
    discount = data.draw(st.integers(min_value=0, max_value=total))
    priced = price_basket(basket_lines, rules(inclusive), basket_discount_minor=discount)
    assert priced.amount_minor == total - discount
    for line, before in zip(priced.lines, basket_lines, strict=True):
        assert line.amount_minor + line.discount_minor == before.amount_minor
        taxed = line_tax(line.amount_minor, line.rate_bp, prices_include_tax=inclusive)
        assert taxed.tax_minor == line.tax_minor  # tax on the discounted amount


def test_a_line_discount_is_taxed_like_a_lower_price():
    r = rules(False)
    discounted = price_basket([LineInput(1000, "standard", discount_minor=100)], r)
    lower = price_basket([LineInput(900, "standard")], r)
    assert discounted.gross_minor == lower.gross_minor == 1080


@given(st.integers(min_value=0, max_value=10**9), st.lists(amounts, min_size=1, max_size=10))
def test_a_shared_discount_sums_to_the_discount_and_never_exceeds_a_line(discount, line_amounts):
    if sum(line_amounts) == 0:
        line_amounts[0] = 1
    discount = min(discount, sum(line_amounts))
    parts = share_discount(discount, line_amounts)
    assert sum(parts) == discount
    assert all(0 <= p <= a for p, a in zip(parts, line_amounts, strict=True))


@given(st.integers(min_value=-10**9, max_value=10**9), steps)
def test_cash_rounding_is_a_multiple_of_the_step_and_less_than_half_a_step_away(amount, step):
    rounded = cash_round(amount, step)
    assert rounded.due_minor % step == 0
    assert rounded.due_minor - amount == rounded.adjustment_minor
    assert abs(rounded.adjustment_minor) < step // 2 + 1
    assert all_ints(rounded.due_minor, rounded.adjustment_minor)


@pytest.mark.parametrize(("amount", "due"), [(1002, 1000), (1003, 1005), (1025, 1025),
                                             (1027, 1025), (1028, 1030), (-1003, -1005)])
def test_swiss_rounding_to_five_cents_rounds_halves_up(amount, due):
    assert cash_round(amount, 5).due_minor == due


def test_a_class_the_store_has_no_rate_for_is_refused_in_words():
    with pytest.raises(PricingError, match="no tax rate for tax class 'luxury'"):
        price_basket([LineInput(100, "luxury")], rules(True))


def test_a_store_without_tax_set_up_prices_everything_at_zero_percent():
    priced = price_basket([LineInput(119, "standard")], PricingRules())
    assert (priced.tax_minor, priced.gross_minor, priced.taxed) == (0, 119, False)


@pytest.mark.parametrize("bad", [1.5, "12", None, True])
def test_floats_and_other_non_integers_are_refused(bad):
    with pytest.raises(PricingError, match="whole number"):
        line_tax(bad, 2000, prices_include_tax=True)  # type: ignore[arg-type]
    with pytest.raises(PricingError, match="whole number"):
        cash_round(100, bad)  # type: ignore[arg-type]


def test_out_of_range_rates_steps_and_discounts_are_refused():
    with pytest.raises(PricingError, match="between 0 and 10000"):
        TaxRate("standard", 12_000)
    with pytest.raises(PricingError, match="cash rounding step"):
        PricingRules(cash_rounding_minor=0)
    with pytest.raises(PricingError, match="more than the basket"):
        price_basket([LineInput(100)], PricingRules(), basket_discount_minor=101)


def test_rates_print_as_exact_percentages():
    assert [format_rate(r) for r in (2000, 550, 775, 0, 1250)] == ["20%", "5.5%", "7.75%", "0%", "12.5%"]
