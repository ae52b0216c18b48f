"""Merge rule 8: customer details, last writer wins by hlc; loyalty points are a counter."""

from __future__ import annotations

from functools import reduce

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.customer_events import CustomerSaved, LoyaltyPosted, phone_digits
from shared.event_checks import EventPayloadError
from shared.events import EVENT_TYPES, SaleCompleted, parse_payload
from shared.merge import (
    CustomerVersion,
    customer_winner,
    is_negative_balance,
    loyalty_balance,
    overdrawn_postings,
    replaces_customer,
)


def hlc(wall: int, logical: int = 0, node: str = "till") -> str:
    return f"{wall:015d}.{logical:06d}.{node}"


versions = st.builds(CustomerVersion,
                     st.builds(hlc, st.integers(1_700_000_000_000, 1_700_000_000_010),
                               st.integers(0, 2), st.sampled_from(["a", "b", "hq"])),
                     st.sampled_from(["Ann", "Ann Lee", "Bo"]), st.sampled_from(["", "0712"]),
                     st.sampled_from(["", "ann@example.com"]))


def test_the_later_hlc_wins_whichever_arrives_first():
    old = CustomerVersion(hlc(1_700_000_000_000, node="a"), "Ann")
    new = CustomerVersion(hlc(1_700_000_000_001, node="b"), "Ann Lee")
    assert customer_winner(old, new) is new and customer_winner(new, old) is new
    assert replaces_customer(old, new) and not replaces_customer(new, old)


def test_a_placeholder_loses_to_any_saved_version_and_nothing_held_loses_to_anything():
    placeholder = CustomerVersion("")
    saved = CustomerVersion(hlc(1, node="a"), "Ann")
    assert replaces_customer(placeholder, saved) and replaces_customer(None, saved)
    assert not replaces_customer(saved, placeholder)


def test_the_same_version_again_replaces_nothing():
    saved = CustomerVersion(hlc(5, node="a"), "Ann")
    assert not replaces_customer(saved, CustomerVersion(hlc(5, node="a"), "Ann"))


@given(st.lists(versions, min_size=1, max_size=12), st.randoms())
def test_arrival_order_never_changes_the_winner(saves, random):
    shuffled = list(saves)
    random.shuffle(shuffled)
    assert reduce(customer_winner, saves) == reduce(customer_winner, shuffled)


@given(st.lists(versions, min_size=1, max_size=12), st.randoms())
def test_applying_saves_one_by_one_keeps_the_winner_in_any_order(saves, random):
    random.shuffle(saves)
    held = None
    for incoming in saves:
        if replaces_customer(held, incoming):
            held = incoming
    assert held == reduce(customer_winner, saves)


@given(st.lists(st.integers(-500, 500), max_size=30), st.randoms())
def test_arrival_order_never_changes_the_balance(deltas, random):
    shuffled = list(deltas)
    random.shuffle(shuffled)
    assert loyalty_balance(shuffled) == loyalty_balance(deltas) == sum(deltas)


def test_a_balance_below_zero_is_flagged_and_zero_is_not():
    assert is_negative_balance(-1) and not is_negative_balance(0)


def test_only_redeems_that_leave_the_balance_negative_are_overdrawn():
    # 10 held; redeem 8 (2 left), redeem 5 (-3: overdrawn), earn 1 (-2, adds: not), redeem 1 (-3)
    assert overdrawn_postings(10, [-8, -5, 1, -1]) == [1, 3]
    assert overdrawn_postings(0, [5, -5]) == []


def test_customer_and_loyalty_events_round_trip_through_the_journal_payload():
    saved = CustomerSaved("c-1", "s-1", "Ann Lee", "+44 20 7946 0018", "ann@example.com")
    posted = LoyaltyPosted("c-1", "s-1", 12, "earn", sale_id="sale-1", receipt_no="R1")
    assert parse_payload("CustomerSaved", 1, saved.to_payload()) == saved
    assert parse_payload("LoyaltyPosted", 1, posted.to_payload()) == posted
    assert {"CustomerSaved", "LoyaltyPosted"} <= set(EVENT_TYPES)
    assert phone_digits(saved.phone) == "442079460018"


@pytest.mark.parametrize("payload, error", [
    ({"customer_id": "c", "store_id": "s", "name": "  "}, "name is required"),
    ({"customer_id": "c", "store_id": "s", "name": "Ann", "phone": "call me"}, "digits"),
    ({"customer_id": "c", "store_id": "s", "name": "Ann", "email": "nope"}, "@"),
])
def test_a_customer_without_a_name_or_with_a_bad_phone_or_email_is_refused(payload, error):
    with pytest.raises(EventPayloadError, match=error):
        CustomerSaved.from_payload(payload)


@pytest.mark.parametrize("delta, reason", [(0, "adjust"), (-5, "earn"), (5, "redeem"),
                                           (5, "gift")])
def test_postings_that_change_nothing_or_go_the_wrong_way_are_refused(delta, reason):
    with pytest.raises(EventPayloadError):
        LoyaltyPosted.from_payload({"customer_id": "c", "store_id": "s", "delta": delta,
                                    "reason": reason})


def test_a_sale_without_a_customer_has_the_payload_it_had_before_customers():
    sale = {"sale_id": "s", "store_id": "st", "receipt_no": "R1", "cashier": "ann",
            "currency": "EUR", "lines": [{"line_no": 1, "product_id": "p", "sku": "A",
                                          "name": "A", "quantity": 1, "unit_price_minor": 100,
                                          "line_total_minor": 100}],
            "total_minor": 100, "tenders": [{"kind": "cash", "amount_minor": 100}],
            "change_minor": 0, "completed_at_ms": 1}
    parsed = parse_payload("SaleCompleted", 1, sale)
    assert "customer_id" not in parsed.to_payload()
    with_customer = SaleCompleted.from_payload({**sale, "customer_id": "c-1"})
    assert with_customer.to_payload()["customer_id"] == "c-1"
