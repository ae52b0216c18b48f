"""The sale screen's logic, without widgets: the view forwards intents and renders `state`.

Everything here runs on the UI thread. The sale's ledger write is one fast local transaction;
printing happens on the print queue's thread and is only *checked* here, in `poll()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol

from shared.gs1 import Gs1Error, normalise
from shared.money import Money, MoneyError

from ..customers import CustomerService
from ..receipt import PrintResult
from ..returns import ReturnService
from ..sale import Basket, Catalog, CompletedSale, Product, SaleError, SaleService
from ..sale.errors import NotForSale
from ..sale.overrides import OverrideService
from ..sale.parking import ParkingService
from ..sale.tender import TENDER_NAMES, Payment, PaymentTerminal, quick_cash
from ..shift import ShiftService
from ..staff import Session, SignIn
from .customer_presenter import CustomerPresenter
from .override_presenter import OverridePresenter
from .parked_presenter import ParkedPresenter
from .quick_keys_presenter import QuickKeysPresenter
from .return_presenter import ReturnPresenter
from .search_presenter import SearchPresenter
from .shift_presenter import NO_SHIFT, ShiftPresenter
from .sign_in_presenter import SignInPresenter
from .variant_presenter import VariantPresenter

QUANTITY_PREFIX = re.compile(r"^\s*(\d{1,4})\s*[*xX]\s*(\S+)\s*$")  # "3*4006381333931"


@dataclass(frozen=True, slots=True)
class LineView:
    line_no: int
    name: str
    quantity: int
    price_text: str
    total_text: str


@dataclass(slots=True)
class SaleScreenState:
    lines: list[LineView] = field(default_factory=list)
    total_text: str = ""
    tax_text: str = ""  # "incl. tax €1.67" / "Subtotal €8.35 + tax €1.67"; "" with no tax set up
    message: str = "Scan an item to start a sale"
    message_kind: str = "info"  # info | success | error
    selected_line: int | None = None
    paying: bool = False
    tender_prefill: str = ""
    change_due: Money | None = None
    last_receipt_no: str | None = None
    cashier: str = ""  # the signed-in cashier's name; "" shows the sign-in screen
    tenders: list[str] = field(default_factory=list)  # "Card CARD-0001  €5.00", in order taken
    remaining_text: str = ""  # "Due €3.99" while paying
    quick_cash: list[Money] = field(default_factory=list)  # round amounts above what is due
    training: bool = False  # training mode: the window shows "TRAINING — nothing is sold"
    customer_text: str = ""  # the customer attached to the sale ("" none: till.ui.customer_*)


class SaleDevices(Protocol):
    """The customer display and cash drawer as the sale sees them; calls return at once."""

    def line_added(self, name: str, price: str, quantity: int = 1) -> None: ...
    def paying(self, total: str) -> None: ...
    def sale_completed(self, paid: str, change: str, cash: bool) -> None: ...
    def open_drawer(self) -> None: ...


def tax_text(basket: Basket) -> str:
    """The tax under the total, from the same figures the receipt prints."""
    priced = basket.priced()
    if not priced.taxed or basket.is_empty():
        return ""
    tax = Money(priced.tax_minor, basket.currency)
    if priced.prices_include_tax:
        return f"incl. tax {tax}"
    return f"Subtotal {Money(priced.amount_minor, basket.currency)} + tax {tax}"


SIGN_IN_FIRST = "Sign in first: choose your name and type your PIN, or scan your badge"


def _session(cashier: str | Session | None) -> Session | None:
    if isinstance(cashier, Session):
        return cashier
    return Session(cashier) if cashier else None


class SalePresenter:
    """`cashier` given at construction (a name or a Session) starts signed in: tests, demo, bench.

    With `sign_in`, the till starts signed out and `self.sign_in` runs the sign-in screen.
    """

    def __init__(self, catalog: Catalog, sales: SaleService, currency: str,
                 cashier: str | Session | None = None, sign_in: SignIn | None = None, *,
                 shifts: ShiftService | None = None, terminal: PaymentTerminal | None = None,
                 require_shift: bool = False, overrides: OverrideService | None = None,
                 returns: ReturnService | None = None, devices: SaleDevices | None = None,
                 parking: ParkingService | None = None,
                 customers: CustomerService | None = None) -> None:
        self._catalog, self._sales, self._terminal = catalog, sales, terminal
        self.devices = devices
        self._require_shift = require_shift and shifts is not None
        self.session = _session(cashier)
        self.sign_in = SignInPresenter(sign_in, self.start_session) if sign_in else None
        self.shift = ShiftPresenter(shifts, currency, lambda: self.session, self._busy,
                                    self._shift_done,
                                    devices.open_drawer if devices else None) if shifts else None
        self.overrides = OverridePresenter(overrides, self) if overrides else None
        self.returns = ReturnPresenter(returns, catalog, self) if returns else None
        self.parked = ParkedPresenter(parking, self) if parking else None
        self.customers = CustomerPresenter(customers, self) if customers else None
        self.variants = VariantPresenter(catalog, self)  # size/colour picker for product families
        self.quick_keys = QuickKeysPresenter(catalog, self)  # unbarcoded items (Ctrl+K)
        self.search = SearchPresenter(catalog, self.offer)  # search-as-you-type under the scan field
        self.payment: Payment | None = None  # tenders taken for the basket being paid
        self.basket = self._new_basket(currency)
        self.state = SaleScreenState(cashier=self.session.name if self.session else "")
        self.last_sale: CompletedSale | None = None
        self._observers: list[Callable[[SaleScreenState], None]] = []
        self._printing: Future[PrintResult] | None = None
        self._render(message=self.state.message)

    def subscribe(self, observer: Callable[[SaleScreenState], None]) -> None:
        self._observers.append(observer)
        observer(self.state)

    # --- intents -------------------------------------------------------------------------------

    def start_session(self, session: Session) -> None:
        self.session = session
        self.state.cashier = session.name
        self._render(f"Signed in as {session.name} — scan an item to start a sale", "success")

    def sign_out(self) -> bool:
        if self.session is None:
            return self._fail(SIGN_IN_FIRST)
        if not self.basket.is_empty():
            return self._fail("Finish or clear this sale before signing out (Esc cancels payment, "
                              "Delete removes lines)")
        name, self.session = self.session.name, None
        self.state.training = False  # training ends with the trainee's session
        self.state.cashier, self.state.paying, self.state.change_due = "", False, None
        if self.sign_in is not None:
            self.sign_in.refresh()
        self._render(f"{name} signed out")
        return True

    def scan(self, text: str) -> bool:
        if self.session is None:
            return self._fail(SIGN_IN_FIRST)
        if self.basket.is_empty() and not self._shift_ready():
            return False
        quantity, code = 1, text.strip()
        if match := QUANTITY_PREFIX.match(text):
            quantity, code = int(match.group(1)), match.group(2)
        try:
            product, variants = self._catalog.lookup_for_sale(code)
        except SaleError as exc:
            return self._fail(str(exc))
        if variants:  # a family's parent: the cashier picks the size/colour first
            return self.variants.open(product, variants, quantity)
        return self.add_product(product, quantity)

    def offer(self, product: Product, quantity: int = 1) -> bool:
        """A search result chosen: added as its scan would be (a parent opens the picker)."""
        return self.scan(f"{quantity}*{product.sku}" if quantity > 1 else product.sku)

    def add_product(self, product: Product, quantity: int = 1) -> bool:
        """A line for a product already looked up (a scan, a picked variant, a quick key)."""
        try:
            line = self.basket.add(product, quantity)
        except SaleError as exc:
            return self._fail(str(exc))
        line_no = self.basket.lines.index(line) + 1
        self._render(f"Added {quantity} x {product.name} — {product.price}", "info", line_no)
        if self.devices is not None:
            self.devices.line_added(product.name, line.unit_price.format(), quantity)
        return True

    def scan_device(self, text: str) -> bool:
        """A scanner's code: GS1 and AIM-labelled forms are read down to the stored barcode."""
        if self.variants.state.mode:  # the picker is open: the scan chooses a variant
            return self.variants.scanned(self._catalogue_code(text))
        if self.quick_keys.state.mode:  # a scan instead of a key: back to the sale with it
            self.quick_keys.close()
        added = self.scan(self._catalogue_code(text))
        if added:
            self.payment_follows()
        return added

    def payment_follows(self) -> None:
        """An item added while paying (a scan, a picked variant): the payment takes it in."""
        if self.payment is None or self.variants.state.mode:
            return
        self.refresh_payment()
        if self.state.paying:
            self._render(self.state.message, self.state.message_kind, self.state.selected_line)
            if self.devices is not None:
                self.devices.paying(self.payment.remaining.format())

    def _catalogue_code(self, text: str) -> str:
        try:
            gtin = normalise(text).gtin
        except Gs1Error:
            return text
        for candidate in (gtin[1:], gtin, gtin[2:], gtin[6:]) if gtin else ():
            try:
                self._catalog.lookup(candidate)
                return candidate
            except NotForSale:
                return candidate  # found: scan() says it is no longer sold
            except SaleError:
                continue
        return text

    def select_line(self, line_no: int | None) -> None:
        self.state.selected_line = line_no

    def set_quantity(self, line_no: int, quantity: int) -> bool:
        try:
            self.basket.set_quantity(line_no, quantity)
        except SaleError as exc:
            return self._fail(str(exc))
        name = self.basket.line(line_no).product.name
        self._render(f"{name}: quantity {quantity}", "info", line_no)
        return True

    def change_quantity(self, line_no: int | None, delta: int) -> bool:
        line_no = line_no or self.state.selected_line
        if line_no is None or self.basket.is_empty():
            return self._fail("Select a line first (Up/Down), then press + or -")
        return self.set_quantity(line_no, self.basket.line(line_no).quantity + delta)

    def remove_line(self, line_no: int | None = None) -> bool:
        if self.state.paying and self.overrides is not None:  # after totalling: a supervisor
            return self.overrides.void_line()
        line_no = line_no or self.state.selected_line
        if line_no is None or self.basket.is_empty():
            return self._fail("Nothing to remove — the basket is empty")
        try:
            removed = self.basket.remove_line(line_no)
        except SaleError as exc:
            return self._fail(str(exc))
        remaining = len(self.basket.lines)
        self._render(f"Removed {removed.product.name}", "info",
                     min(line_no, remaining) if remaining else None)
        return True

    def begin_payment(self) -> bool:
        if self.session is None:
            return self._fail(SIGN_IN_FIRST)
        if self.basket.is_empty():
            return self._fail("The basket is empty — scan an item first")
        if not self._shift_ready():
            return False
        if self.payment is None or self.payment.total != self.basket.total:
            self._drop_payment()
            self.payment = Payment(self.basket.total, self.basket.pricing.cash_rounding_minor)
        self.state.paying = True
        self._render(f"Pay {self.payment.remaining}: type the cash given and Enter, F5 card, F6 e-wallet")
        if self.devices is not None:
            self.devices.paying(self.payment.remaining.format())
        return True

    def tender_cash(self, text: str) -> bool:
        return self._tender("cash", text)

    def tender_card(self, text: str = "") -> bool:  # through the payment terminal
        return self._tender("card", text)

    def tender_ewallet(self, text: str = "") -> bool:  # through the payment terminal
        return self._tender("ewallet", text)

    def cancel_payment(self) -> None:
        voided = self._drop_payment()
        self.state.paying = False
        note = f" — {voided} card/e-wallet payment(s) voided at the terminal" if voided else ""
        self._render(f"Payment cancelled{note} — keep scanning or press F12 to pay")

    def set_training(self, on: bool) -> bool:
        """Enter or leave training mode; only between sales, so no basket changes sides."""
        if not self.basket.is_empty() or self.state.paying:
            return self._fail("Finish or clear this sale before switching training mode")
        self.state.training = on
        return self._done("Training mode — sales are practice: nothing is sold, counted or "
                          "taken from stock. Ctrl+T leaves it" if on else "Training mode ended")

    def new_sale(self) -> None:
        self._drop_payment()
        self.basket = self._new_basket(self.basket.currency)
        self.state.paying, self.state.change_due = False, None
        self._render("New sale — scan an item")

    def reprint_last(self) -> bool:
        printing = self._sales.reprint()
        if printing is None:
            return self._fail("No receipt to reprint yet")
        self._printing = printing
        self._render("Reprinting the last receipt…")
        return True

    def poll(self) -> None:
        """Called by the view's timer: report a receipt that failed to print."""
        if self._printing is None or not self._printing.done():
            return
        result, self._printing = self._printing.result(), None
        if result.printed:
            return
        note = f"Receipt not printed ({result.error}) — press F9 to reprint"
        if self.state.message_kind == "success":  # still showing the sale's outcome: keep it
            self._render(f"{self.state.message}. {note}", "success", self.state.selected_line)
        else:  # the cashier moved on (e.g. scanned): appending would make that message look failed
            self._render(f"Receipt {self.state.last_receipt_no or ''} not printed ({result.error}) — "
                         "press F9 to reprint", "error", self.state.selected_line)

    # --- payment and shift helpers ---------------------------------------------------------------

    def _tender(self, kind: str, text: str) -> bool:
        if self.session is None:
            return self._fail(SIGN_IN_FIRST)
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
            if kind == "cash":
                tender = self.payment.add("cash", amount)
            else:
                tender = self.payment.charge(self._terminal, kind, amount)
        except SaleError as exc:
            return self._fail(str(exc))
        if self.payment.is_paid():
            return self._complete()
        taken = f"{TENDER_NAMES[kind]} {Money(tender.amount_minor, self.basket.currency)} taken"
        self._render(f"{taken} — {self.payment.remaining} more needed: cash, F5 card or F6 e-wallet")
        return True

    def _complete(self) -> bool:
        assert self.payment is not None and self.session is not None
        try:
            sale = self._sales.complete_sale_with_tenders(
                self.basket, self.payment.tenders, self.session.name,
                cashier_id=self.session.user_id, training=self.state.training,
                customer_id=self.customers.attached_id() if self.customers else "")
        except SaleError as exc:
            return self._fail(str(exc))
        self.last_sale, self._printing, self.payment = sale, sale.printing, None
        self.basket = self._new_basket(self.basket.currency)
        self.state.paying, self.state.change_due = False, sale.change
        self.state.last_receipt_no = sale.receipt_no
        done = "Training sale complete (nothing sold)" if self.state.training else "Sale complete"
        points = f" · {sale.points_earned} points earned" if sale.points_earned else ""
        self._render(f"{done} — change {sale.change}{points}", "success")
        if self.devices is not None:
            self.devices.sale_completed(sale.tendered.format(), sale.change.format(),
                                        any(t.kind == "cash" for t in sale.tenders))
        return True

    def _drop_payment(self) -> int:
        """Forget the tenders taken; card and e-wallet charges are voided at the terminal."""
        refs = self.payment.card_references() if self.payment and self._terminal else []
        for ref in refs:
            self._terminal.void(ref)  # type: ignore[union-attr]
        self.payment = None
        return len(refs)

    def _shift_ready(self) -> bool:
        if not self._require_shift or self.shift is None or self.shift.shifts.current():
            return True
        return self._fail(NO_SHIFT)

    def _busy(self) -> str:
        return "" if self.basket.is_empty() else "Finish or clear this sale before closing the shift"

    def _shift_done(self, message: str, kind: str) -> None:  # the shift panel's outcome, shown here
        self._render(message, kind, self.state.selected_line)

    # --- rendering -----------------------------------------------------------------------------

    def _render_payment(self) -> None:
        payment = self.payment if self.state.paying else None
        cur = self.basket.currency
        self.state.tenders = [] if payment is None else [
            f"{TENDER_NAMES[t.kind]} {t.reference}".strip() + f"  {Money(t.amount_minor, cur)}"
            for t in payment.tenders]
        self.state.remaining_text = "" if payment is None else f"Due {payment.remaining}" + (
            f" (cash {payment.cash_due})" if payment.cash_due != payment.remaining else "")
        self.state.quick_cash = [] if payment is None else quick_cash(payment.cash_due)
        self.state.tender_prefill = "" if payment is None else payment.remaining.to_decimal_str()

    def refresh_payment(self) -> None:
        """The basket changed while paying (override, void): the payment follows its total."""
        if self.payment is None or self.payment.total == self.basket.total:
            return
        if self.basket.is_empty():
            self.cancel_payment()
            return
        tenders = self.payment.tenders
        self.payment = Payment(self.basket.total, self.basket.pricing.cash_rounding_minor)
        self.payment.tenders = tenders
        if self.payment.is_paid():
            self._complete()

    def _new_basket(self, currency: str) -> Basket:
        """Each sale starts with the store's pricing rules as HQ last sent them."""
        return Basket(currency, self._sales.pricing())

    def _done(self, message: str, selected: int | None = None) -> bool:  # a panel's outcome
        self._render(message, "success", selected or self.state.selected_line)
        return True

    def _fail(self, message: str) -> bool:
        self._render(message, "error", self.state.selected_line)
        return False

    def _render(self, message: str, kind: str = "info", selected: int | None = None) -> None:
        lines = [LineView(i, ln.product.name + (" *" if ln.override else ""), ln.quantity, ln.unit_price.format(),
                          ln.total.format()) for i, ln in enumerate(self.basket.lines, start=1)]
        self.state.lines = lines
        self.state.total_text = f"Total {self.basket.total}"
        self.state.tax_text = tax_text(self.basket)
        self.state.customer_text = self.customers.attached_text() if self.customers else ""
        self._render_payment()
        self.state.message, self.state.message_kind = message, kind
        if selected is None and lines:
            selected = len(lines)
        self.state.selected_line = selected if lines else None
        for observer in self._observers:
            observer(self.state)
