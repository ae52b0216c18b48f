"""Split tender rules, without a ledger: only cash gives change; a terminal can decline."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.events import Tender
from shared.money import Money
from till.sale import Underpayment
from till.sale.tender import FakePaymentTerminal, Payment, TenderRefused, change_due, quick_cash


def eur(minor):
    return Money(minor, "EUR")


def test_quick_cash_offers_the_next_round_amounts_above_what_is_due():
    assert quick_cash(eur(1230)) == [eur(1300), eur(1500), eur(2000), eur(5000)]
    assert quick_cash(eur(2000)) == [eur(5000), eur(10000)]


@given(st.integers(min_value=1, max_value=1_000_000))
def test_every_quick_cash_amount_is_above_the_due_and_round(due):
    for amount in quick_cash(eur(due)):
        assert amount.minor > due and amount.minor % 100 == 0


def test_a_payment_takes_card_then_cash_and_gives_change_from_cash_only():
    payment, terminal = Payment(eur(1148)), FakePaymentTerminal()
    with pytest.raises(TenderRefused, match="only cash gives change"):
        payment.charge(terminal, "card", eur(1500))
    assert terminal.charges == []  # refused before the customer was charged
    payment.charge(terminal, "card", eur(500))
    payment.add("cash", eur(1000))
    assert payment.is_paid() and payment.change == eur(352)
    assert change_due(eur(1148), payment.tenders) == eur(352)


def test_a_declined_card_adds_no_tender():
    payment = Payment(eur(500))
    with pytest.raises(TenderRefused, match="Card declined \\(expired\\)"):
        payment.charge(FakePaymentTerminal(decline="expired"), "card", eur(500))
    assert payment.tenders == []


def test_tenders_short_of_the_total_say_how_much_more():
    with pytest.raises(Underpayment, match="€2.00 more needed"):
        change_due(eur(700), [Tender("card", 300), Tender("cash", 200)])
