"""An exchange nets to the cent: the returned value pays for the new goods first, the customer
pays what is left (cash rounded like any sale) or gets the rest back, never both."""

from hypothesis import given
from hypothesis import strategies as st

from shared.events import Tender
from shared.money import Money
from shared.pricing import cash_round
from till.sale.exchange import ExchangeTotals
from till.sale.tender import settle

amounts = st.integers(min_value=1, max_value=10_000_000)
steps = st.sampled_from([1, 5, 10, 50])


@given(sale=amounts, returned=amounts)
def test_the_credit_and_what_is_left_add_up_to_both_halves(sale, returned):
    t = ExchangeTotals(sale, returned)
    assert t.credit_minor + t.due_minor == sale
    assert t.credit_minor + t.refund_minor == returned
    assert t.due_minor == 0 or t.refund_minor == 0
    assert t.due_minor - t.refund_minor == t.net_minor == sale - returned


@given(sale=amounts, returned=amounts, step=steps, extra=st.integers(0, 5000),
       card_share=st.integers(0, 100))
def test_the_sale_half_settles_with_the_credit_and_the_customer_pays_the_net(
        sale, returned, step, extra, card_share):
    t = ExchangeTotals(sale, returned)
    card = t.due_minor * card_share // 100
    left = t.due_minor - card
    # what cash covers, rounded (a cent rounded down to nothing still takes a coin, given back)
    cash = max(cash_round(left, step).due_minor + extra, 1) if left else 0
    tenders = [Tender("exchange", t.credit_minor, "x")]
    tenders += [Tender("card", card, "C")] if card else []
    tenders += [Tender("cash", cash)] if cash else []
    settled = settle(Money(sale, "EUR"), tenders, step)
    paid_by_customer = card + cash - settled.change.minor
    assert paid_by_customer == t.due_minor + settled.rounding.minor
    assert abs(settled.rounding.minor) * 2 <= step
    assert paid_by_customer - t.refund_minor == t.net_minor + settled.rounding.minor
