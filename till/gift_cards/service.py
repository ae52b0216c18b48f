"""Gift cards and store credit at the counter, offline: no Qt, no network.

Selling a card puts a "Gift card ••••1234 load 50.00" line in the basket (not stock, not taxed);
the card is credited when the sale completes, in its transaction (till.gift_cards.postings).
Paying with a card takes at most the balance this till knows (HQ's last balance plus its own
postings since): more is refused with the balance in the message. A card the till has never
heard of (sold at another store while this till was offline) pays only with a supervisor's
approval, journaled with the sale; HQ raises an exception if the card ends below zero.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from shared.events import Tender
from shared.gift_cards import (
    CUSTOMER_CREDIT_PREFIX,
    GIFT_CARD_PRODUCT_ID,
    NOT_TAXED,
    STORE_CREDIT_PREFIX,
    CardNumberError,
    customer_credit_number,
    mask,
    new_store_credit_number,
    parse_card_number,
)
from shared.ids import new_id
from shared.money import Money, MoneyError, exponent
from shared.override_events import Refund, ReturnCompleted

from ..ledger import Ledger
from ..receipt import PrintQueue, PrintResult
from ..sale.basket import Basket, BasketLine
from ..sale.errors import SaleError
from ..sale.overrides import OverrideService
from ..sale.product import Product
from ..sale.tender import Payment
from ..staff.sign_in import Session
from .records import HeldCard, held_card
from .slip import CreditNote, render_note_escpos

MAX_LOAD_UNITS = 1000  # whole currency units one load may put on a card (a typo guard)


class GiftCardError(SaleError):
    """Said to the cashier as it is; nothing was changed."""


class UnknownCard(GiftCardError):
    """The till has no balance for this card: a supervisor may let it pay."""


@dataclass(frozen=True, slots=True)
class StoreCredit:
    """Where a return's refund goes as store credit: a new credit note, or a customer's account."""

    card_number: str
    customer_id: str = ""

    @property
    def is_new_note(self) -> bool:
        return not self.customer_id

    def refund(self, amount_minor: int) -> Refund:
        return Refund("store_credit", amount_minor, self.card_number)


def card_number(text: str) -> str:
    try:
        return parse_card_number(text)
    except CardNumberError as error:
        raise GiftCardError(str(error)) from None


def is_store_credit(number: str) -> bool:
    """A credit note or a customer's credit account: given for returns, never sold or loaded."""
    return number.startswith((STORE_CREDIT_PREFIX, CUSTOMER_CREDIT_PREFIX))


class GiftCardService:
    def __init__(self, ledger: Ledger, overrides: OverrideService,
                 print_queue: PrintQueue | None = None) -> None:
        self._ledger, self._overrides, self._print_queue = ledger, overrides, print_queue

    def card(self, text: str) -> HeldCard | None:
        """The card as this till knows it; None for a card it has never heard of."""
        return held_card(self._ledger.connection(), card_number(text))

    def balance_text(self, text: str) -> str:
        number = card_number(text)
        held = held_card(self._ledger.connection(), number)
        if held is None:
            return f"Card {mask(number)}: not known on this till yet (sold elsewhere, not synced)"
        return f"Card {mask(number)}: balance {Money(held.balance_minor, held.currency)}"

    # --- selling (loading) a card -------------------------------------------------------------

    def add_load(self, basket: Basket, number_text: str, amount_text: str) -> BasketLine:
        """A basket line that puts `amount_text` on the card when the sale completes."""
        number = card_number(number_text)
        if is_store_credit(number):
            raise GiftCardError(f"{mask(number)} is store credit — it is given for returns, "
                                "not sold")
        amount = _amount(amount_text, basket.currency)
        most = MAX_LOAD_UNITS * 10 ** exponent(basket.currency)
        if not 0 < amount.minor <= most:
            raise GiftCardError(f"A gift card load must be more than 0 and at most "
                                f"{Money(most, basket.currency)}")
        held = held_card(self._ledger.connection(), number)
        if held is not None and held.currency != basket.currency:
            raise GiftCardError(f"Card {mask(number)} holds {held.currency}, this till sells in "
                                f"{basket.currency}")
        product = Product(GIFT_CARD_PRODUCT_ID, number, f"Gift card {mask(number)} load", amount,
                          NOT_TAXED)
        line = BasketLine(product, 1)
        basket.lines.append(line)  # never merged with another line: each load is its own
        return line

    # --- paying with a card -------------------------------------------------------------------

    def redeem(self, payment: Payment, basket: Basket, number_text: str,
               amount: Money | None = None, *, who: Session | None = None,
               code: str = "") -> Tender:
        """Take `amount` (default: as much as the card and the bill allow) from the card."""
        number = card_number(number_text)
        held = held_card(self._ledger.connection(), number)
        due = payment.remaining
        if held is None:
            return self._redeem_unknown(payment, basket, number, amount or due, who, code)
        if held.currency != due.currency:
            raise GiftCardError(f"Card {mask(number)} holds {held.currency}, this sale is in "
                                f"{due.currency}")
        taken = sum(t.amount_minor for t in payment.tenders if t.reference == number)
        available = Money(max(held.balance_minor - taken, 0), due.currency)
        if available.minor == 0:
            raise GiftCardError(f"Card {mask(number)} has nothing left to spend "
                                f"(balance {Money(held.balance_minor, due.currency)}) — "
                                "take another tender")
        amount = amount or Money(min(available.minor, due.minor), due.currency)
        if amount.minor > available.minor:
            raise GiftCardError(f"Card {mask(number)} holds {available} — take at most that "
                                "from it and the rest another way")
        return payment.add(held.kind, amount, number)

    def _redeem_unknown(self, payment: Payment, basket: Basket, number: str, amount: Money,
                        who: Session | None, code: str) -> Tender:
        if not code.strip() or who is None:
            raise UnknownCard(f"This till has no balance for card {mask(number)} (sold at another "
                              "store and not synced yet?) — a supervisor's PIN or badge lets it "
                              f"pay {amount}, or take another tender")
        if payment.is_paid() or amount.minor <= 0 or amount.minor > payment.remaining.minor:
            return payment.add("gift_card", amount, number)  # the same refusal, before approving
        approver = self._overrides.approve(code)
        basket.sale_id = basket.sale_id or new_id()  # the approval names the sale it is on
        event = self._overrides.event("unknown_gift_card", who, approver, before=mask(number, "*"),
                                      after=str(amount.minor), reason="card not known offline",
                                      sale_id=basket.sale_id)
        tender = payment.add("gift_card", amount, number)
        basket.overrides.append(event)  # journaled with the sale, like a price override
        return tender

    # --- store credit for a return --------------------------------------------------------------

    def store_credit_for(self, customer_id: str = "") -> StoreCredit:
        """The customer's account when one is attached, else a new credit note."""
        if customer_id:
            return StoreCredit(customer_credit_number(customer_id), customer_id)
        return StoreCredit(new_store_credit_number())

    def credit_note(self, ret: ReturnCompleted, credit: StoreCredit) -> CreditNote:
        """What the note for a return refunded to store credit says (after it is recorded)."""
        store = self._ledger.require_store()
        currency = ret.currency or store.currency
        held = held_card(self._ledger.connection(), credit.card_number)
        balance = held.balance_minor if held else ret.total_minor
        return CreditNote(store.store_name, credit.card_number, Money(ret.total_minor, currency),
                          Money(balance, currency), ret.original_receipt_no, datetime.now(),
                          customer=not credit.is_new_note)

    def print_credit_note(self, note: CreditNote) -> Future[PrintResult] | None:
        if self._print_queue is None:
            return None
        return self._print_queue.submit_document(f"credit-{note.card_number[-4:]}",
                                                 render_note_escpos(note))


def _amount(text: str, currency: str) -> Money:
    try:
        return Money.parse(text, currency)
    except MoneyError:
        raise GiftCardError(f"“{text.strip()}” is not an amount — type it like 25.00") from None
