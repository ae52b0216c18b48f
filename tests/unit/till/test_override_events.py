"""The new journal events parse, old payloads still parse, and cash refunds leave the drawer."""

import pytest

from shared.cash import expected_cash
from shared.events import EVENT_TYPES, EventPayloadError, parse_payload
from shared.merge import stock_deltas_for_return
from shared.override_events import OverrideRecorded, Refund, ReturnCompleted, ReturnLine

RETURN = ReturnCompleted("r1", "s1", "sale1", "S001-0001-000002",
                         [ReturnLine("p", "SKU", "Milk", 2, 119, 238, "faulty", False, 1)], 238,
                         [Refund("card", 200, "CARD-0001"), Refund("cash", 38)], "sh1", "Ana")


def test_overrides_and_returns_are_registered_and_round_trip():
    assert {"OverrideRecorded", "ReturnCompleted"} <= set(EVENT_TYPES)
    assert parse_payload("ReturnCompleted", 1, RETURN.to_payload()) == RETURN
    override = OverrideRecorded("o1", "s1", "no_sale", "Ana", "Sam")
    assert parse_payload("OverrideRecorded", 1, override.to_payload()) == override


def test_refunds_must_add_up_and_overrides_name_a_known_action():
    with pytest.raises(EventPayloadError):
        ReturnCompleted(**{**RETURN.to_payload(), "refunds": [Refund("cash", 1)],
                           "lines": RETURN.lines}).validate()
    with pytest.raises(EventPayloadError):
        OverrideRecorded("o1", "s1", "free_beer", "Ana", "Sam").validate()


def test_cash_refunds_come_out_of_expected_cash_and_old_shift_closed_payloads_parse():
    args = dict(float_minor=1000, cash_tendered_minor=500, change_minor=0, paid_in_minor=0,
                paid_out_minor=0, drops_minor=0)
    assert expected_cash(**args, cash_refunds_minor=200) == expected_cash(**args) - 200
    old = {"shift_id": "sh", "store_id": "s", "closed_by": "Ana", "currency": "EUR",
           "closed_at_ms": 1, "float_minor": 1000, "sales_count": 1, "sales_total_minor": 500,
           "tender_totals": {"cash": 500}, "cash_tendered_minor": 500, "change_minor": 0,
           "paid_in_minor": 0, "paid_out_minor": 0, "drops_minor": 0,
           "expected_cash_minor": 1500, "counted_cash_minor": 1500, "over_short_minor": 0}
    assert parse_payload("ShiftClosed", 1, old).cash_refunds_minor == 0
    new = {**old, "cash_refunds_minor": 200, "returns_count": 1, "returns_total_minor": 200,
           "expected_cash_minor": 1300, "over_short_minor": 200}
    assert parse_payload("ShiftClosed", 1, new).expected_cash_minor == 1300


def test_only_restocked_return_lines_come_back_on_hand():
    assert stock_deltas_for_return(RETURN) == []
    back = ReturnLine("p", "SKU", "Milk", 1, 119, 119, "changed_mind", True, 1)
    ret = ReturnCompleted(**{**RETURN.to_payload(), "lines": [back, back], "total_minor": 238,
                             "refunds": [Refund("cash", 238)]})
    assert [(d.product_id, d.delta, d.reason) for d in stock_deltas_for_return(ret)] == [
        ("p", 2, "return")]
