"""Gift cards and store credit: card numbers, the posting fact, and the balance as a counter
(merge rule 8's kind: order-independent, a card taken below zero surfaced once)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.event_checks import EventPayloadError
from shared.events import EVENT_TYPES, SaleCompleted, SaleLine, Tender, parse_payload
from shared.gift_card_events import GiftCardPosted
from shared.gift_cards import (
    GIFT_CARD_PRODUCT_ID,
    NOT_TAXED,
    CardNumberError,
    card_balance,
    customer_credit_number,
    is_card_number,
    known_balance,
    luhn_check_digit,
    mask,
    new_store_credit_number,
    parse_card_number,
    postings_taking_below_zero,
)
from shared.merge import stock_deltas_for_sale
from shared.pricing import LineInput, PricingRules, TaxRate, price_basket

CARD = "603600000000001" + luhn_check_digit("603600000000001")
deltas = st.lists(st.integers(-10_000, 10_000).filter(bool), max_size=30)


@given(deltas, st.randoms())
def test_the_balance_is_the_same_in_any_arrival_order(postings, rnd):
    shuffled = list(postings)
    rnd.shuffle(shuffled)
    assert card_balance(shuffled) == card_balance(postings) == sum(postings)


@given(st.integers(0, 50_000), deltas, st.randoms())
def test_a_card_that_ends_below_zero_is_flagged_in_every_order_and_only_at_crossings(
        start, postings, rnd):
    order = list(postings)
    rnd.shuffle(order)
    flagged = postings_taking_below_zero(start, order)
    if start + sum(order) < 0:
        assert flagged  # whatever order the tills' pushes arrived in
    levels = [start + sum(order[:i + 1]) for i in range(len(order))]
    for i in flagged:
        assert levels[i] < 0 <= (levels[i - 1] if i else start)


@given(st.integers(0, 50_000), st.lists(st.integers(-10_000, -1), max_size=20))
def test_spending_only_raises_at_most_one_exception(start, spends):
    flagged = postings_taking_below_zero(start, spends)
    assert len(flagged) == (1 if start + sum(spends) < 0 else 0)


def test_two_stores_spending_the_same_card_offline_keep_both_and_flag_once():
    assert postings_taking_below_zero(5000, [-4000, -4000]) == [1]
    assert postings_taking_below_zero(5000, [-4000, -4000, -500]) == [1]
    assert postings_taking_below_zero(0, [-100, 300, -400]) == [0, 2]  # back above, then again


def test_the_till_knows_hqs_balance_plus_its_own_uncounted_postings():
    assert known_balance(2000, [-500, 300]) == 1800 and known_balance(0, []) == 0


@given(st.integers(0, 10 ** 15 - 1))
def test_every_check_digit_made_is_accepted_and_any_single_digit_change_is_caught(body):
    number = f"{body:015d}" + luhn_check_digit(f"{body:015d}")
    assert parse_card_number(number) == number
    pos = random.Random(body).randrange(16)
    wrong = number[:pos] + str((int(number[pos]) + 1) % 10) + number[pos + 1:]
    assert not is_card_number(wrong)


@pytest.mark.parametrize(("typed", "says"), [
    ("", "Scan the gift card"), ("60a6", "digits only"), ("123", "16 digits — 3 typed"),
    (CARD[:-1] + str((int(CARD[-1]) + 1) % 10), "does not check out")])
def test_bad_numbers_are_refused_saying_what_to_do(typed, says):
    with pytest.raises(CardNumberError, match=says):
        parse_card_number(typed)


def test_numbers_are_read_with_spaces_or_dashes_and_shown_by_their_last_four():
    assert parse_card_number(f" {CARD[:4]} {CARD[4:8]}-{CARD[8:]} ") == CARD
    assert mask(CARD) == "••••0013" and mask(CARD, "*") == "****0013"


def test_store_credit_numbers_are_valid_and_a_customers_account_is_always_the_same():
    note = new_store_credit_number()
    assert is_card_number(note) and note.startswith("99") and note != new_store_credit_number()
    account = customer_credit_number("0195-ann")
    assert is_card_number(account) and account.startswith("98")
    assert account == customer_credit_number("0195-ann") != customer_credit_number("0195-bo")


def posting(**kw):
    values = {"card_number": CARD, "store_id": "s1", "delta_minor": 500, "currency": "EUR",
              "reason": "load"} | kw
    return GiftCardPosted(**values)


def test_a_posting_round_trips_and_is_a_registered_event_type():
    event = posting(sale_id="sale-1", receipt_no="S001-0001-000002")
    assert EVENT_TYPES["GiftCardPosted"] is GiftCardPosted
    assert parse_payload("GiftCardPosted", 1, event.to_payload()) == event


@pytest.mark.parametrize(("kw", "says"), [
    ({"delta_minor": 0}, "must change"), ({"reason": "load", "delta_minor": -5}, "positive"),
    ({"reason": "redeem", "delta_minor": 5}, "negative"), ({"reason": "gift"}, "reason"),
    ({"card_number": "1234"}, "16 digits"), ({"card_kind": "voucher"}, "card_kind"),
    ({"currency": ""}, "currency")])
def test_a_malformed_posting_is_refused(kw, says):
    with pytest.raises(EventPayloadError, match=says):
        posting(**kw).to_payload()


def test_a_gift_card_load_line_is_neither_stock_nor_taxed():
    rules = PricingRules.of([TaxRate("standard", 2000, "VAT")])
    priced = price_basket([LineInput(5000, NOT_TAXED), LineInput(1200, "standard")], rules)
    assert [(p.tax_minor, p.gross_minor) for p in priced.lines] == [(0, 5000), (200, 1200)]
    assert priced.breakdown[0].name == "Not taxed"
    lines = [SaleLine(1, GIFT_CARD_PRODUCT_ID, CARD, "Gift card ••••0013 load", 1, 5000, 5000),
             SaleLine(2, "p-milk", "MILK", "Milk", 2, 100, 200)]
    sale = SaleCompleted("sale-1", "s1", "R1", "Ana", "EUR", lines, 5200, [Tender("cash", 5200)],
                         0, 1)
    assert [(d.product_id, d.delta) for d in stock_deltas_for_sale(sale)] == [("p-milk", -2)]
