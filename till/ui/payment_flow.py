"""Paying: F12 totals the basket, tenders are taken (cash here, card and e-wallet through the
payment terminal) and the sale completes, as one ledger transaction, once fully paid.

A mixin of `SalePresenter` (till.ui.presenter); a new tender kind is one `tender_<kind>` intent
calling `_tender(kind, text)`, plus its branch in `_take`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.money import Money, MoneyError

from ..gift_cards.postings import shown_reference
from ..sale import CompletedSale, SaleError
from ..sale.tender import TENDER_NAMES, Payment, Tender, quick_cash
from .sale_screen_state import SIGN_IN_FIRST

if TYPE_CHECKING:
    from .presenter import SalePresenter


class PaymentFlow:
    """The tenders taken for the basket on screen, and completing the sale."""

    def begin_payment(self: SalePresenter) -> bool:
        if self.session is None:
            return self._fail(SIGN_IN_FIRST)
        if self.basket.is_empty():
            return self._fail("The basket is empty — scan an item first" if self.exchange is None
                              else "Scan the new items for the exchange first — or Delete the "
                              "returned lines and use Ctrl+R for a plain refund")
        if not self._shift_ready():
            return False
        due = self.amount_due()
        if self.exchange is not None and due.minor == 0:  # the goods back pay for it all
            return self._begin_refund()
        if self.payment is None or self.payment.total != due:
            self._drop_payment()
            self.payment = Payment(due, self.basket.pricing.cash_rounding_minor)
        self.state.paying = True
        self._render(f"Pay {self.payment.remaining}: type the cash given and Enter, F5 card, F6 e-wallet")
        if self.devices is not None:
            self.devices.paying(self.payment.remaining.format())
        return True

    def tender_cash(self: SalePresenter, text: str) -> bool:
        return self._tender("cash", text)

    def tender_card(self: SalePresenter, text: str = "") -> bool:  # through the payment terminal
        return self._tender("card", text)

    def tender_ewallet(self: SalePresenter, text: str = "") -> bool:  # through the payment terminal
        return self._tender("ewallet", text)

    def cancel_payment(self: SalePresenter) -> None:
        voided = self._drop_payment()
        self.state.paying = False
        note = f" — {voided} card/e-wallet payment(s) voided at the terminal" if voided else ""
        self._render(f"Payment cancelled{note} — keep scanning or press F12 to pay")

    def payment_follows(self: SalePresenter) -> None:
        """An item added while paying (a scan, a picked variant): the payment takes it in."""
        if self.payment is None or self.variants.state.mode:
            return
        self.refresh_payment()
        if self.state.paying:
            self._render(self.state.message, self.state.message_kind, self.state.selected_line)
            if self.devices is not None:
                self.devices.paying(self.payment.remaining.format())

    def refresh_payment(self: SalePresenter) -> None:
        """The basket changed while paying (override, void): the payment follows its total."""
        due = self.amount_due()
        if self.payment is None or self.payment.total == due:
            return
        if self.basket.is_empty() or (self.exchange is not None and due.minor == 0):
            self.cancel_payment()
            return
        tenders = self.payment.tenders
        self.payment = Payment(due, self.basket.pricing.cash_rounding_minor)
        self.payment.tenders = tenders
        if self.payment.is_paid():
            self._complete()

    def _tender(self: SalePresenter, kind: str, text: str) -> bool:
        if self.session is None:
            return self._fail(SIGN_IN_FIRST)
        if self.state.paying and self.payment is None and self.exchange is not None:
            return self._refund_exchange()  # money goes back: any tender key confirms it
        if self.payment is None or not self.state.paying:
            return self._fail("Press F12 to pay first")
        try:
            amount = (Money.parse(text, self.basket.currency) if text.strip()
                      else self.payment.remaining)
            if kind == "cash" and text.strip() in ("", self.state.tender_prefill):
                amount = self.payment.cash_due  # "exact cash": the cash-rounded amount
        except MoneyError:
            return self._fail(f"“{text}” is not an amount — type the amount given, e.g. 20 or 20.00")
        try:
            tender = self._take(kind, amount)
        except SaleError as exc:
            return self._fail(str(exc))
        if self.payment.is_paid():
            return self._complete()
        taken = f"{TENDER_NAMES[kind]} {Money(tender.amount_minor, self.basket.currency)} taken"
        self._render(f"{taken} — {self.payment.remaining} more needed: cash, F5 card or F6 e-wallet")
        return True

    def _take(self: SalePresenter, kind: str, amount: Money) -> Tender:
        """One tender into the payment: cash is counted here, the rest goes to the terminal."""
        assert self.payment is not None
        if kind == "cash":
            return self.payment.add("cash", amount)
        return self.payment.charge(self._terminal, kind, amount)

    def _begin_refund(self: SalePresenter) -> bool:
        """An exchange whose goods back are worth at least the new ones: nothing to take."""
        self._drop_payment()
        self.state.paying = True
        totals = self.exchange_totals()
        back = Money(totals.refund_minor if totals else 0, self.basket.currency)
        return self._done(f"Refund {back} to the customer's original tender: Enter gives it back "
                          "(card through the terminal), Esc goes back" if back.minor else
                          "Nothing to pay or refund: Enter completes the exchange")

    def _complete(self: SalePresenter) -> bool:
        assert self.payment is not None and self.session is not None
        if self.exchange is not None:
            return self._complete_exchange(self.payment.tenders)
        try:
            sale = self._sales.complete_sale_with_tenders(
                self.basket, self.payment.tenders, self.session.name,
                cashier_id=self.session.user_id, training=self.state.training,
                customer_id=self.customers.attached_id() if self.customers else "")
        except SaleError as exc:
            return self._fail(str(exc))
        done = "Training sale complete (nothing sold)" if self.state.training else "Sale complete"
        return self._completed(sale, f"{done} — change {sale.change}")

    def _completed(self: SalePresenter, sale: CompletedSale, message: str) -> bool:
        """The sale is committed: a new basket, the outcome on screen and display, the drawer."""
        self.last_sale, self._printing, self.payment = sale, sale.printing, None
        self.basket = self._new_basket(self.basket.currency)
        self.state.paying, self.state.change_due = False, sale.change
        self.state.last_receipt_no = sale.receipt_no
        points = f" · {sale.points_earned} points earned" if sale.points_earned else ""
        self._render(f"{message}{points}", "success")
        if self.devices is not None:
            self.devices.sale_completed(sale.tendered.format(), sale.change.format(),
                                        any(t.kind == "cash" for t in sale.tenders))
        return True

    def _drop_payment(self: SalePresenter) -> int:
        """Forget the tenders taken; card and e-wallet charges are voided at the terminal."""
        refs = self.payment.card_references() if self.payment and self._terminal else []
        for ref in refs:
            self._terminal.void(ref)  # type: ignore[union-attr]
        self.payment = None
        return len(refs)

    def _render_payment(self: SalePresenter) -> None:
        payment = self.payment if self.state.paying else None
        cur = self.basket.currency
        totals = self.exchange_totals() if self.state.paying and payment is None else None
        if totals is not None:  # an exchange paying money back
            self.state.tenders, self.state.quick_cash, self.state.tender_prefill = [], [], ""
            self.state.remaining_text = f"Refund {Money(totals.refund_minor, cur)}"
            return
        self.state.tenders = [] if payment is None else [
            f"{TENDER_NAMES[t.kind]} {shown_reference(t)}".strip() + f"  {Money(t.amount_minor, cur)}"
            for t in payment.tenders]
        self.state.remaining_text = "" if payment is None else f"Due {payment.remaining}" + (
            f" (cash {payment.cash_due})" if payment.cash_due != payment.remaining else "")
        self.state.quick_cash = [] if payment is None else quick_cash(payment.cash_due)
        self.state.tender_prefill = "" if payment is None else payment.remaining.to_decimal_str()
