"""Cash in the drawer, to the cent: expected = float + cash sales - change + in - out - drops."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.cash import CashCountError, count_total, expected_cash, over_short
from shared.events import EventPayloadError
from shared.shift_events import ShiftClosed

cents = st.integers(min_value=0, max_value=10_000_000)


@given(cents, cents, cents, cents, cents, cents, cents)
def test_expected_cash_is_float_plus_cash_sales_less_change_plus_in_less_out_and_drops(
        float_, cash, change, paid_in, paid_out, drops, counted):
    expected = expected_cash(float_minor=float_, cash_tendered_minor=cash, change_minor=change,
                             paid_in_minor=paid_in, paid_out_minor=paid_out, drops_minor=drops)
    assert expected == float_ + cash - change + paid_in - paid_out - drops
    assert over_short(counted, expected) == counted - expected
    assert expected + over_short(counted, expected) == counted  # nothing lost to rounding


@given(st.dictionaries(st.sampled_from(["50000", "2000", "500", "100", "50", "5", "1"]),
                       st.integers(min_value=0, max_value=500)))
def test_a_count_by_denomination_totals_every_piece_exactly(pieces):
    assert count_total(pieces, "EUR") == sum(int(k) * v for k, v in pieces.items())


def test_a_note_that_does_not_exist_is_refused_by_name():
    with pytest.raises(CashCountError, match="300 is not a EUR note or coin"):
        count_total({"300": 1}, "EUR")


def closed(**overrides):
    fields = dict(shift_id="sh", store_id="st", closed_by="Ana", currency="EUR", closed_at_ms=1,
                  float_minor=10000, sales_count=2, sales_total_minor=1500,
                  tender_totals={"cash": 2000, "card": 500}, cash_tendered_minor=2000,
                  change_minor=1000, paid_in_minor=0, paid_out_minor=300, drops_minor=5000,
                  expected_cash_minor=5700, counted_cash_minor=5690, over_short_minor=-10,
                  counted_by_denomination={"5000": 1, "500": 1, "100": 1, "50": 1, "20": 2})
    fields.update(overrides)
    return ShiftClosed(**fields)


def test_a_shift_closed_payload_round_trips_and_checks_its_own_arithmetic():
    event = closed()
    assert ShiftClosed.from_payload(event.to_payload()) == event
    with pytest.raises(EventPayloadError, match="expected cash is 5700"):
        closed(expected_cash_minor=5800, over_short_minor=-110).validate()
    with pytest.raises(EventPayloadError, match="over/short"):
        closed(over_short_minor=10).validate()
    with pytest.raises(EventPayloadError, match="by denomination is 5690, not 5700"):
        closed(counted_cash_minor=5700, over_short_minor=0).validate()
