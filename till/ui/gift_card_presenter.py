"""The gift card panel's logic, without widgets (Ctrl+G).

Before paying it sells a card: the card's number (scan or type) and the amount to load, Enter →
a "Gift card ••••1234 load 50.00" line in the basket; the card is credited when the sale
completes. While paying it takes a card as tender: the number, Enter shows the balance this till
knows, then the amount (empty: as much as the card and the bill allow), Enter. A card the till
does not know asks for a supervisor's PIN or badge in the same form. Esc goes back; a refusal
keeps the panel open with the reason and changes nothing.

A card scanned (or typed) into the sale's scan field while the panel is closed opens it on that
card (`card_scanned`): its balance at once, then the amount to pay with it (while paying) or to
load onto it; with items in the basket F12 pays the sale with it instead (`pay_instead`).

It also serves the returns panel: a refund to store credit (`credit_for_return`,
`credit_issued`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.gift_cards import mask
from shared.money import Money, MoneyError
from shared.override_events import ReturnCompleted

from ..gift_cards import GiftCardError, GiftCardService, StoreCredit, UnknownCard
from ..gift_cards.scans import card_shaped
from ..gift_cards.service import card_number, is_store_credit
from ..sale import SaleError
from ..sale.tender import TENDER_NAMES
from .screen_presenter import ScreenPresenter

SELL, PAY = "sell", "pay"
TITLES = {SELL: "Sell a gift card", PAY: "Pay with a gift card or store credit"}
HINTS = {SELL: "Scan the card or type its number, then the amount to load, Enter",
         PAY: "Scan the card or type its number, Enter shows its balance; then the amount "
              "(empty: all it can pay), Enter"}


@dataclass(slots=True)
class GiftCardScreenState:
    mode: str = ""  # "" hidden | sell | pay
    title: str = ""
    balance_text: str = ""  # the typed card's balance as this till knows it
    scanned_number: str = ""  # the last number a serial/HID scanner read (the view fills it in)
    scans: int = 0  # counts those scans, so the view fills the field once per scan
    needs_supervisor: bool = False
    offers_pay: bool = False  # selling, items in the basket, a card that can pay: F12 pays
    message: str = ""
    message_kind: str = "info"


class GiftCardPresenter(ScreenPresenter[GiftCardScreenState]):
    """`host` is the SalePresenter: its basket, payment, session and rendering."""

    def __init__(self, service: GiftCardService, host: Any) -> None:
        self.service, self._host = service, host
        super().__init__(GiftCardScreenState())

    # --- intents -----------------------------------------------------------------------------

    def open(self) -> bool:
        """Pay with a card while paying; otherwise sell one."""
        host = self._host
        if host.session is None:
            return host._fail("Sign in first")
        paying = host.state.paying and host.payment is not None
        if not paying and not host._shift_ready():
            return False
        self.state.mode = PAY if paying else SELL
        self.state.title, self.state.needs_supervisor = TITLES[self.state.mode], False
        self.state.balance_text, self.state.offers_pay = "", False
        return self._render(HINTS[self.state.mode])

    def check(self, number_text: str) -> bool:
        """Show what the typed card holds (Enter in the number field)."""
        return self._look_up(number_text) and self._render(HINTS[self.state.mode])

    def scanned(self, text: str) -> bool:
        """A scanner's code while the panel is open is the card's number (a keyboard-wedge
        scanner types it into the field itself); False when the panel is closed."""
        if not self.state.mode:
            return False
        self._fill(card_shaped(text) or text.strip())
        self.check(self.state.scanned_number)
        return True

    def card_scanned(self, text: str) -> bool:
        """A card number at the sale's scan field, the panel closed (the sale calls this only for
        a code the catalogue does not have): open the panel on the card with its balance and
        what can be done with it. A number that does not check out changes nothing."""
        try:
            number = card_number(card_shaped(text) or text)
        except GiftCardError:
            return self._host._fail(f"{text.strip()}: no product has this code, and as a gift "
                                    "card number it does not check out (a digit is wrong) — "
                                    "scan it again or type it again")
        if not self.open():
            return False
        return self._offer(number)

    def pay_instead(self, number_text: str) -> bool:
        """F12 in the panel while selling: total the sale and pay it with the card typed."""
        host = self._host
        if self.state.mode != SELL or host.basket.is_empty():
            return self._render("F12 pays a sale with the card once its items are scanned — "
                                "Esc, scan them, then F12", "error")
        try:
            number = card_number(number_text)
        except GiftCardError as exc:
            return self._render(str(exc), "error")
        if not host.begin_payment():
            return self._render(host.state.message, "error")
        return self.open() and self._offer(number)

    def submit(self, number_text: str, amount_text: str, code: str = "") -> bool:
        try:
            if self.state.mode == SELL:
                return self._sell(number_text, amount_text)
            if self.state.mode == PAY:
                return self._pay(number_text, amount_text, code)
        except UnknownCard as exc:
            self.state.needs_supervisor = True
            return self._render(str(exc), "error")
        except SaleError as exc:
            return self._render(str(exc), "error")
        return False

    def close(self) -> None:
        self.state.mode, self.state.needs_supervisor, self.state.balance_text = "", False, ""
        self.state.offers_pay = False
        self._render("")

    # --- the returns panel's refund to store credit --------------------------------------------

    def credit_for_return(self) -> StoreCredit:
        """The attached customer's account, else a new credit note."""
        customers = self._host.customers
        return self.service.store_credit_for(customers.attached_id() if customers else "")

    def credit_issued(self, ret: ReturnCompleted, credit: StoreCredit) -> str:
        """Print the note (a new one, or the account's balance) and say what happened."""
        note = self.service.credit_note(ret, credit)
        self.service.print_credit_note(note)
        where = "the customer's store credit" if note.customer else "a new store credit note"
        return (f"{note.credited} put on {where} {mask(credit.card_number)} — balance "
                f"{note.balance}, note printed")

    # --- steps -------------------------------------------------------------------------------

    def _look_up(self, number_text: str) -> bool:
        """The card's balance as this till knows it into `balance_text`; False (said) if malformed."""
        try:
            number = card_number(number_text)
            held = self.service.card(number)
        except GiftCardError as exc:
            self.state.balance_text, self.state.offers_pay = "", False
            return self._render(str(exc), "error")
        # Paying is offered for a card the till knows and for store credit; a card it has never
        # seen is most likely being sold (F12 still pays with one, a supervisor approving).
        self.state.offers_pay = (self.state.mode == SELL and not self._host.basket.is_empty()
                                 and (held is not None or is_store_credit(number)))
        if held is None:
            self.state.balance_text = (f"New card {mask(number)}" if self.state.mode == SELL else
                                       f"Card {mask(number)}: not known on this till yet (sold "
                                       "elsewhere, not synced) — a supervisor can let it pay")
        else:
            self.state.balance_text = (f"{TENDER_NAMES[held.kind]} {mask(number)}: balance "
                                       f"{Money(held.balance_minor, held.currency)}")
        return True

    def _fill(self, number: str) -> None:
        """The view puts `number` in the card field (once per fill) and moves on to the amount."""
        self.state.scanned_number, self.state.scans = number, self.state.scans + 1

    def _offer(self, number: str) -> bool:
        """The panel open on a scanned card: its balance, and the choices it has, said."""
        self._fill(number)
        self._look_up(number)
        name = f"Card {mask(number)} scanned"
        if self.state.mode == PAY:
            return self._render(f"{name} — Enter pays all it can (or type an amount first); "
                                "Esc goes back")
        credit = is_store_credit(number)  # given for returns, never loaded
        self.state.title = f"{'Store credit' if credit else 'Gift card'} {mask(number)}"
        pay = "F12 pays this sale with it" if self.state.offers_pay else ""
        if credit:
            return self._render(f"{name} — store credit: {pay}; Esc goes back" if pay else
                                f"{name} — store credit pays for a sale: Esc, scan the items, F12, "
                                "then scan it again")
        load = "type an amount to load onto it, Enter"
        return self._render(f"{name} — {load}" + (f", or {pay}" if pay else "") +
                            "; Esc goes back")

    def _sell(self, number_text: str, amount_text: str) -> bool:
        host = self._host
        line = self.service.add_load(host.basket, number_text, amount_text)
        self.close()
        host.payment_follows()  # sold while paying: the payment takes it in
        return host._done(f"{line.product.name} {line.total} added — the card is credited when "
                          "the sale completes")

    def _pay(self, number_text: str, amount_text: str, code: str) -> bool:
        host = self._host
        amount = self._amount(amount_text) if amount_text.strip() else None
        tender = self.service.redeem(host.payment, host.basket, number_text, amount,
                                     who=host.session, code=code)
        self.close()
        paid = Money(tender.amount_minor, host.basket.currency)
        name = f"{TENDER_NAMES[tender.kind]} {mask(card_number(number_text))}"
        if host.payment.is_paid():
            if not host._complete():
                return False
            balances = [line.replace("****", "••••")  # the receipt's mask, as screens show it
                        for line in (host.last_sale.card_balances if host.last_sale else [])]
            return host._done(" · ".join([host.state.message, *balances]))
        return host._done(f"{name} paid {paid} — {host.payment.remaining} more needed: cash, "
                          "F5 card, F6 e-wallet or Ctrl+G another card")

    def _amount(self, text: str) -> Money:
        try:
            return Money.parse(text, self._host.basket.currency)
        except MoneyError:
            raise GiftCardError(f"“{text.strip()}” is not an amount — type it like 20.00, or "
                                "leave it empty to take all the card can pay") from None
