"""Gift cards and store credit at the till, on a real ledger file (no window): selling a card,
paying with it up to the balance the till knows, a card it does not know (supervisor), HQ's
balance plus this till's unsynced postings, refunds to store credit, and what the receipt says."""

from __future__ import annotations

import pytest

from shared.events import Tender, parse_payload
from shared.gift_cards import customer_credit_number, luhn_check_digit
from shared.money import Money
from shared.wire import Change
from tests.fixtures.till import BREAD, COFFEE, MILK, OPENING_STOCK, STORE_ID
from till.gift_cards import GiftCardError, GiftCardService, UnknownCard
from till.ledger.journal import all_events
from till.ledger.master_data import apply_change
from till.ledger.sales import on_hand, receipt_row
from till.returns import ReturnService
from till.sale import Catalog, SaleService
from till.sale.overrides import OverrideRefused, OverrideService
from till.sale.tender import Payment
from till.staff.sign_in import Session

from .test_tax_and_rounding import set_pricing

ANA = Session("Ana", "cashier", "u-ana")
EUR = "EUR"


def card(body: str) -> str:
    return body + luhn_check_digit(body)


CARD = card("603600000000001")  # ends 0013
OTHER = card("603600000000002")


def facts(ledger, type_):
    return [parse_payload(e.type, e.schema_version, e.payload)
            for e in all_events(ledger.connection()) if e.type == type_]


@pytest.fixture
def cards(till_ledger):
    return GiftCardService(till_ledger, OverrideService(till_ledger))


def sell_card(ledger, cards, number=CARD, amount="50.00", *goods):
    sales = SaleService(ledger)
    basket = sales.new_basket()
    for code in goods:
        basket.add(Catalog(ledger).lookup(code))
    cards.add_load(basket, number, amount)
    return sales.complete_sale_with_tenders(basket, [Tender("cash", basket.total.minor)], "Ana")


def test_a_sold_card_is_credited_with_the_sale_untaxed_and_moves_no_stock(till_ledger, cards):
    set_pricing(till_ledger)  # VAT 20 % on standard goods
    sold = sell_card(till_ledger, cards, CARD, "50.00", MILK["sku"])
    assert sold.total.minor == 5000 + 119
    (sale,) = facts(till_ledger, "SaleCompleted")
    load = sale.lines[-1]
    assert (load.name, load.tax_minor, load.tax_class) == ("Gift card ••••0013 load", 0, "not_taxed")
    assert [(t.tax_class, t.tax_minor) for t in sale.taxes][-1] == ("not_taxed", 0)
    (posted,) = facts(till_ledger, "GiftCardPosted")
    assert (posted.card_number, posted.delta_minor, posted.reason, posted.sale_id) == (
        CARD, 5000, "load", sale.sale_id)
    assert cards.card(CARD).balance_minor == 5000
    assert on_hand(till_ledger.connection(), MILK["product_id"]) == OPENING_STOCK - 1
    text = receipt_row(till_ledger.connection(), sold.sale_id)["text"]
    assert "1 x Gift card ****0013 load" in text and "Gift card ****0013 balance €50.00" in text
    assert CARD not in text  # the whole number is never printed


def test_a_card_pays_part_of_a_sale_up_to_its_balance_and_cash_the_rest(till_ledger, cards):
    sell_card(till_ledger, cards, CARD, "5.00")
    sales = SaleService(till_ledger)
    basket = sales.new_basket()
    basket.add(Catalog(till_ledger).lookup(COFFEE["sku"]))  # 8.99
    payment = Payment(basket.total)
    with pytest.raises(GiftCardError, match=r"holds €5.00 — take at most that"):
        cards.redeem(payment, basket, CARD, Money(600, EUR))
    taken = cards.redeem(payment, basket, f"{CARD[:4]} {CARD[4:8]}-{CARD[8:]}")  # as typed
    assert (taken.kind, taken.amount_minor, taken.reference) == ("gift_card", 500, CARD)
    with pytest.raises(GiftCardError, match="nothing left to spend"):
        cards.redeem(payment, basket, CARD)  # the same card twice in one payment
    payment.add("cash", Money(1000, EUR))
    done = sales.complete_sale_with_tenders(basket, payment.tenders, "Ana")
    assert done.change.minor == 1000 - 399
    assert cards.card(CARD).balance_minor == 0
    redeem = facts(till_ledger, "GiftCardPosted")[-1]
    assert (redeem.delta_minor, redeem.reason, redeem.receipt_no) == (-500, "redeem", done.receipt_no)
    text = receipt_row(till_ledger.connection(), done.sale_id)["text"]
    assert "Gift card ****0013" in text and "Gift card ****0013 balance €0.00" in text


def test_bad_card_numbers_are_refused_with_what_to_do(till_ledger, cards):
    basket = SaleService(till_ledger).new_basket()
    for typed, says in (("", "Scan the gift card"), ("12ab", "digits only"),
                        ("1234", "16 digits — 4 typed"), (CARD[:-1] + "9", "does not check out")):
        with pytest.raises(GiftCardError, match=says):
            cards.add_load(basket, typed, "10.00")
    for amount, says in (("ten", "not an amount"), ("0", "more than 0"), ("5000", "at most")):
        with pytest.raises(GiftCardError, match=says):
            cards.add_load(basket, CARD, amount)
    with pytest.raises(GiftCardError, match="store credit"):
        cards.add_load(basket, customer_credit_number("c-1"), "10.00")
    assert basket.is_empty()


def test_a_card_the_till_does_not_know_pays_only_with_a_supervisor(till_ledger, cards):
    sales = SaleService(till_ledger)
    basket = sales.new_basket()
    basket.add(Catalog(till_ledger).lookup(BREAD["sku"]))
    payment = Payment(basket.total)
    with pytest.raises(UnknownCard, match="supervisor"):
        cards.redeem(payment, basket, OTHER, who=ANA)
    with pytest.raises(OverrideRefused, match="Not a supervisor"):
        cards.redeem(payment, basket, OTHER, who=ANA, code="1111")  # a cashier's PIN
    assert payment.tenders == [] and basket.overrides == []
    cards.redeem(payment, basket, OTHER, who=ANA, code="9999")
    done = sales.complete_sale_with_tenders(basket, payment.tenders, "Ana")
    (override,) = facts(till_ledger, "OverrideRecorded")
    assert (override.action, override.approved_by, override.sale_id) == (
        "unknown_gift_card", "Sam", done.sale_id)
    (posted,) = facts(till_ledger, "GiftCardPosted")
    assert (posted.delta_minor, posted.approved_by) == (-249, "Sam")
    assert cards.card(OTHER).balance_minor == -249  # HQ raises the exception if it stays so


def test_the_known_balance_is_hqs_plus_this_tills_postings_hq_had_not_counted(till_ledger, cards):
    sell_card(till_ledger, cards, CARD, "20.00")  # seq of the posting: 2 (sale 1, posting 2)
    seq = all_events(till_ledger.connection())[-1].seq
    device = till_ledger.require_store().device_id

    def hq_says(balance, counted, cursor):
        with till_ledger.transaction() as uow:
            apply_change(uow, Change(cursor=cursor, kind="gift_card", data={
                "card_number": CARD, "kind": "gift_card", "currency": EUR, "customer_id": "",
                "balance_minor": balance, "counted_seq": counted}), STORE_ID)

    hq_says(500, {"other-till": 9}, 900)  # another store's card news, not counting ours yet
    assert cards.card(CARD).balance_minor == 500 + 2000
    hq_says(1500, {device: seq}, 901)  # HQ counted our load and another till spent 5.00
    assert cards.card(CARD).balance_minor == 1500
    assert "balance €15.00" in cards.balance_text(CARD)


def test_a_training_sale_moves_no_money_on_cards(till_ledger, cards):
    sales = SaleService(till_ledger)
    basket = sales.new_basket()
    cards.add_load(basket, CARD, "10.00")
    sales.complete_sale_with_tenders(basket, [Tender("cash", 1000)], "Ana", training=True)
    assert facts(till_ledger, "GiftCardPosted") == [] and cards.card(CARD) is None


def sold_milk(ledger):
    basket = SaleService(ledger).new_basket()
    basket.add(Catalog(ledger).lookup(MILK["sku"]), 2)
    return SaleService(ledger).complete_sale_with_tenders(basket, [Tender("cash", 238)], "Ana")


def test_a_return_refunds_to_a_new_credit_note_that_then_pays(till_ledger, cards):
    sale = sold_milk(till_ledger)
    returns = ReturnService(till_ledger, OverrideService(till_ledger))
    draft = returns.find(sale.receipt_no)
    draft.lines[0].quantity = 2
    credit = cards.store_credit_for()
    ret = returns.complete(draft, "changed_mind", ANA, store_credit=credit)
    assert [(r.kind, r.amount_minor, r.reference) for r in ret.refunds] == [
        ("store_credit", 238, credit.card_number)]
    assert ret.cash_refund_minor == 0 and credit.card_number.startswith("99")
    (posted,) = facts(till_ledger, "GiftCardPosted")
    assert (posted.reason, posted.card_kind, posted.delta_minor, posted.return_id) == (
        "refund", "store_credit", 238, ret.return_id)
    basket = SaleService(till_ledger).new_basket()
    basket.add(Catalog(till_ledger).lookup(BREAD["sku"]))
    payment = Payment(basket.total)
    taken = cards.redeem(payment, basket, credit.card_number)
    assert (taken.kind, taken.amount_minor) == ("store_credit", 238)
    payment.add("cash", Money(11, EUR))
    SaleService(till_ledger).complete_sale_with_tenders(basket, payment.tenders, "Ana")
    assert cards.card(credit.card_number).balance_minor == 0


def test_a_return_for_an_attached_customer_credits_their_account(till_ledger, cards):
    sale = sold_milk(till_ledger)
    returns = ReturnService(till_ledger, OverrideService(till_ledger))
    draft = returns.find(sale.receipt_no)
    draft.lines[0].quantity = 1
    credit = cards.store_credit_for("c-ann")
    returns.complete(draft, "changed_mind", ANA, store_credit=credit)
    held = cards.card(customer_credit_number("c-ann"))
    assert (held.kind, held.customer_id, held.balance_minor) == ("store_credit", "c-ann", 119)
    assert cards.store_credit_for("c-ann") == credit  # the same account every time, offline


def test_returning_a_sold_card_load_takes_it_back_off_the_card(till_ledger, cards):
    sold = sell_card(till_ledger, cards, CARD, "30.00")
    returns = ReturnService(till_ledger, OverrideService(till_ledger))
    draft = returns.find(sold.receipt_no)
    draft.lines[0].quantity = 1
    ret = returns.complete(draft, "changed_mind", ANA)
    assert [(r.kind, r.amount_minor) for r in ret.refunds] == [("cash", 3000)]
    assert facts(till_ledger, "GiftCardPosted")[-1].reason == "unload"
    assert cards.card(CARD).balance_minor == 0


def test_a_return_of_a_sale_paid_by_card_puts_the_money_back_on_it(till_ledger, cards):
    sell_card(till_ledger, cards, CARD, "20.00")
    sales = SaleService(till_ledger)
    basket = sales.new_basket()
    basket.add(Catalog(till_ledger).lookup(MILK["sku"]), 2)
    payment = Payment(basket.total)
    cards.redeem(payment, basket, CARD)
    sale = sales.complete_sale_with_tenders(basket, payment.tenders, "Ana")
    assert cards.card(CARD).balance_minor == 2000 - 238
    returns = ReturnService(till_ledger, OverrideService(till_ledger))
    draft = returns.find(sale.receipt_no)
    draft.lines[0].quantity = 1
    ret = returns.complete(draft, "changed_mind", ANA)
    assert [(r.kind, r.amount_minor, r.reference) for r in ret.refunds] == [
        ("gift_card", 119, CARD)]
    assert cards.card(CARD).balance_minor == 2000 - 119


def test_a_parked_sale_keeps_its_card_load_without_a_note(till_ledger, cards):
    from till.sale.parking import ParkingService

    parking = ParkingService(till_ledger)
    basket = SaleService(till_ledger).new_basket()
    cards.add_load(basket, CARD, "15.00")
    parked = parking.park(basket, "Ana")
    recalled, notes = parking.recall(parked.park_id, EUR)
    assert notes == [] and recalled.total.minor == 1500
    done = SaleService(till_ledger).complete_sale_with_tenders(recalled, [Tender("cash", 1500)],
                                                              "Ana")
    assert done.card_balances == ["Gift card ****0013 balance €15.00"]
