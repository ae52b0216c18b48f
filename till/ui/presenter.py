"""The sale screen's logic, without widgets: the view forwards intents and renders `state`.

`SalePresenter` wires the panels (sign-in, shift, overrides, returns, parking, customers, quick
keys, variants, search) and owns the sale's life: sign-in/out, training, new sale, reprint and
rendering. The flows live in their own modules and are mixed in here, so panels and tests keep
calling one object: selling lines in `basket_lines_flow.BasketLinesFlow`, paying in
`payment_flow.PaymentFlow`. What the screen shows is `sale_screen_state.SaleScreenState`.

Everything here runs on the UI thread. The sale's ledger write is one fast local transaction;
printing happens on the print queue's thread and is only *checked* here, in `poll()`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from shared.money import Money

from ..customers import CustomerService
from ..gift_cards import GiftCardService
from ..receipt import PrintResult
from ..returns import ReturnService
from ..returns.service import TakenBack
from ..sale import Basket, Catalog, CompletedSale, SaleService
from ..sale.exchange import ExchangeService
from ..sale.overrides import OverrideService
from ..sale.parking import ParkingService
from ..sale.tender import Payment, PaymentTerminal
from ..shift import ShiftService
from ..staff import Session, SignIn
from .basket_lines_flow import QUANTITY_PREFIX, BasketLinesFlow
from .customer_presenter import CustomerPresenter
from .exchange_flow import ExchangeFlow
from .gift_card_presenter import GiftCardPresenter
from .override_presenter import OverridePresenter
from .parked_presenter import ParkedPresenter
from .payment_flow import PaymentFlow
from .quick_keys_presenter import QuickKeysPresenter
from .return_presenter import ReturnPresenter
from .sale_screen_state import (
    SIGN_IN_FIRST,
    LineView,
    SaleDevices,
    SaleScreenState,
    line_views,
    tax_text,
)
from .search_presenter import SearchPresenter
from .shift_presenter import NO_SHIFT, ShiftPresenter
from .sign_in_presenter import SignInPresenter
from .variant_presenter import VariantPresenter

__all__ = ["QUANTITY_PREFIX", "SIGN_IN_FIRST", "LineView", "SaleDevices", "SalePresenter",
           "SaleScreenState", "tax_text"]


def _session(cashier: str | Session | None) -> Session | None:
    if isinstance(cashier, Session):
        return cashier
    return Session(cashier) if cashier else None


class SalePresenter(BasketLinesFlow, PaymentFlow, ExchangeFlow):
    """`cashier` given at construction (a name or a Session) starts signed in: tests, demo, bench.

    With `sign_in`, the till starts signed out and `self.sign_in` runs the sign-in screen.
    """

    def __init__(self, catalog: Catalog, sales: SaleService, currency: str,
                 cashier: str | Session | None = None, sign_in: SignIn | None = None, *,
                 shifts: ShiftService | None = None, terminal: PaymentTerminal | None = None,
                 require_shift: bool = False, overrides: OverrideService | None = None,
                 returns: ReturnService | None = None, devices: SaleDevices | None = None,
                 parking: ParkingService | None = None,
                 customers: CustomerService | None = None,
                 gift_cards: GiftCardService | None = None) -> None:
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
        self.gift_cards = GiftCardPresenter(gift_cards, self) if gift_cards else None  # Ctrl+G
        self.variants = VariantPresenter(catalog, self)  # size/colour picker for product families
        self.quick_keys = QuickKeysPresenter(catalog, self)  # unbarcoded items (Ctrl+K)
        self.search = SearchPresenter(catalog, self.offer)  # search-as-you-type under the scan field
        self.payment: Payment | None = None  # tenders taken for the basket being paid
        self.exchange: TakenBack | None = None  # goods coming back in this sale (Ctrl+X)
        self._exchanges = ExchangeService(sales, returns) if returns else None
        self._refund_in_cash = False  # a card refund failed: the cashier gives cash instead
        self.basket = self._new_basket(currency)
        self.state = SaleScreenState(cashier=self.session.name if self.session else "")
        self.last_sale: CompletedSale | None = None
        self._observers: list[Callable[[SaleScreenState], None]] = []
        self._printing: Future[PrintResult] | None = None
        self._render(message=self.state.message)

    def subscribe(self, observer: Callable[[SaleScreenState], None]) -> None:
        self._observers.append(observer)
        observer(self.state)

    # --- session, training and the sale's life -------------------------------------------------

    def start_session(self, session: Session) -> None:
        self.session = session
        self.state.cashier = session.name
        self._render(f"Signed in as {session.name} — scan an item to start a sale", "success")

    def sign_out(self) -> bool:
        if self.session is None:
            return self._fail(SIGN_IN_FIRST)
        if not self.basket.is_empty() or self.exchange is not None:
            return self._fail("Finish or clear this sale before signing out (Esc cancels payment, "
                              "Delete removes lines)")
        name, self.session = self.session.name, None
        self.state.training = False  # training ends with the trainee's session
        self.state.cashier, self.state.paying, self.state.change_due = "", False, None
        if self.sign_in is not None:
            self.sign_in.refresh()
        self._render(f"{name} signed out")
        return True

    def set_training(self, on: bool) -> bool:
        """Enter or leave training mode; only between sales, so no basket changes sides."""
        if not self.basket.is_empty() or self.state.paying or self.exchange is not None:
            return self._fail("Finish or clear this sale before switching training mode")
        self.state.training = on
        return self._done("Training mode — sales are practice: nothing is sold, counted or "
                          "taken from stock. Ctrl+T leaves it" if on else "Training mode ended")

    def new_sale(self) -> None:
        self._drop_payment()
        self.exchange = None
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

    # --- shift helpers -------------------------------------------------------------------------

    def _shift_ready(self) -> bool:
        if not self._require_shift or self.shift is None or self.shift.shifts.current():
            return True
        return self._fail(NO_SHIFT)

    def _busy(self) -> str:
        return "" if self.basket.is_empty() else "Finish or clear this sale before closing the shift"

    def _shift_done(self, message: str, kind: str) -> None:  # the shift panel's outcome, shown here
        self._render(message, kind, self.state.selected_line)

    # --- rendering -----------------------------------------------------------------------------

    def _total_text(self) -> str:
        totals = self.exchange_totals()
        if totals is None:
            return f"Total {self.basket.total}"
        if totals.net_minor < 0:
            return f"Refund {Money(totals.refund_minor, self.basket.currency)}"
        return f"To pay {Money(totals.due_minor, self.basket.currency)}"

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
        lines = line_views(self.basket) + self.returned_views()
        self.state.lines = lines
        self.state.total_text = self._total_text()
        self.state.exchange_text = self.exchange_text()
        self.state.tax_text = tax_text(self.basket)
        self.state.customer_text = self.customers.attached_text() if self.customers else ""
        self._render_payment()
        self.state.message, self.state.message_kind = message, kind
        if selected is None and lines:
            selected = len(self.basket.lines) or None  # the last item sold, not a returned one
        self.state.selected_line = selected if lines else None
        for observer in self._observers:
            observer(self.state)
