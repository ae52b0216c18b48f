"""The till window: a stack of pages (sign-in, the sale page, and one page per panel) and the
status bar, with the keyboard routed by `sale_keys.SaleKeys`.

The sale page itself (scan field, lines, totals, payment) is `sale_page.SalePage`; its widgets are
also reachable on the window (`window.scan_input`, `window.tender_input`, ...). A panel whose
presenter is in a `mode` (shift, override, return, parked sales, customers, quick keys, variants,
settings, email) takes the screen until it closes. While nobody is signed in the window shows the
sign-in screen. The scanner works whichever widget has focus (`scan_from_device`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .customer_view import CustomerPage
from .email_settings_view import EmailSettingsPage
from .email_view import EmailPage, EmailStatusLabel
from .gift_card_view import GiftCardPage, gift_card_button
from .override_view import OverridePage
from .parked_view import ParkedPage
from .presenter import SalePresenter
from .qt import (
    QEvent,
    QKeyEvent,
    QLabel,
    QMainWindow,
    QObject,
    QPushButton,
    QStackedWidget,
    QTimer,
    QWidget,
)
from .quick_keys_view import QuickKeysPage
from .return_view import ReturnPage
from .sale_keys import SaleKeys
from .sale_page import COLUMNS, TRAINING_STYLE, TRAINING_TEXT, SalePage
from .sale_screen_state import SaleScreenState
from .settings_view import SettingsPage
from .shift_view import ShiftPage
from .sign_in_view import SignInPage
from .status_text import device_status_text, sync_status_text
from .variant_view import VariantPage
from .widgets import font as _font

__all__ = ["COLUMNS", "TRAINING_STYLE", "TRAINING_TEXT", "MainWindow"]
STATUS_REFRESH_MS = 500
SALE_PAGE_WIDGETS = ("scan_input", "lines_table", "total_label", "tax_label", "exchange_label",
                     "tender_input", "pay_button", "reprint_button", "sign_out_button", "quick_keys_button",
                     "message_label", "training_banner", "search_results", "payment_panel")


class MainWindow(QMainWindow):
    def __init__(self, presenter: SalePresenter,
                 status_provider: Callable[[], Any] | None = None, identity: str = "",
                 device_status: Callable[[], tuple[list[Any], list[str]]] | None = None) -> None:
        super().__init__()
        self.presenter = presenter
        self.status_provider = status_provider or (lambda: None)
        self.device_status = device_status  # (device states, config problems) for the status bar
        self.identity = identity  # e.g. "S001 Lumen Beauty — Camden"; the cashier is added
        self.setWindowTitle(f"TillHQ — {identity}" if identity else "TillHQ")
        self.setMinimumSize(1000, 700)  # fits 1024x768; layouts stretch to full HD
        self.email: Any = None  # add_email: the Email receipt panel and mail server settings
        self.email_settings: Any = None
        self.email_page: EmailPage | None = None
        self.email_settings_page: EmailSettingsPage | None = None
        self.keys = SaleKeys(self)
        self._build()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(STATUS_REFRESH_MS)
        presenter.subscribe(self.render)
        self._tick()
        if self.sign_in_page is not None and not presenter.state.cashier:
            presenter.sign_in.refresh()  # type: ignore[union-attr]
        if self.pages.currentWidget() is self.sign_in_page:
            self.sign_in_page.focus()  # type: ignore[union-attr]
        else:
            self.scan_input.setFocus()

    # --- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.sale_page = SalePage(self.presenter)
        for name in SALE_PAGE_WIDGETS:
            setattr(self, name, getattr(self.sale_page, name))
        self._build_status_bar()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.sale_page)
        p = self.presenter
        self.variant_page = VariantPage(p.variants)  # a family's size/colour picker
        self.quick_keys_page = QuickKeysPage(p.quick_keys)  # Ctrl+K
        self.settings, self.settings_page = None, None  # add_settings: with devices only
        # a page's construction may render the window, which reads every panel's page
        self.override_page = self.return_page = self.parked_page = self.customer_page = None
        self.gift_card_page = None
        self.sign_in_page = SignInPage(p.sign_in) if p.sign_in else None
        if self.sign_in_page is not None:
            self.pages.addWidget(self.sign_in_page)
        self.shift_page = ShiftPage(p.shift) if p.shift else None
        if self.shift_page is not None:
            self.pages.addWidget(self.shift_page)
            p.shift.subscribe(self._render_shift)  # type: ignore[union-attr]
        self.override_page = OverridePage(p.overrides) if p.overrides else None
        self.return_page = ReturnPage(p.returns) if p.returns else None
        self.parked_page = ParkedPage(p.parked) if p.parked else None
        self.customer_page = CustomerPage(p.customers) if p.customers else None
        self.gift_card_page = GiftCardPage(p.gift_cards) if p.gift_cards else None
        if p.gift_cards is not None:  # its touch button, after Reprint
            row = self.sale_page.pay_row
            row.insertWidget(row.indexOf(self.reprint_button) + 1, gift_card_button(p.gift_cards), 1)
        for panel, page in self._panels():
            if page is not None:
                self.pages.addWidget(page)
                panel.subscribe(self._render_shift)  # type: ignore[union-attr]
        self.setCentralWidget(self.pages)
        for widget in (self.scan_input, self.tender_input, self.lines_table):
            widget.installEventFilter(self)

    def _build_status_bar(self) -> None:
        # Who is selling where, always in sight (the window is maximised, its title often hidden).
        self.identity_label = QLabel(self.identity, font=_font(12, bold=True))
        self.identity_label.setContentsMargins(4, 0, 16, 0)
        self.sync_status_label = QLabel(font=_font(12))
        self.device_status_label = QLabel(font=_font(12), objectName="deviceStatus")
        self.statusBar().addPermanentWidget(self.identity_label)
        self.statusBar().addPermanentWidget(self.sync_status_label, 1)
        self.statusBar().addPermanentWidget(self.device_status_label, 1)

    def _panels(self) -> tuple[tuple[Any, QWidget | None], ...]:
        return ((self.presenter.overrides, self.override_page),
                (self.presenter.returns, self.return_page),
                (self.presenter.parked, self.parked_page), (self.settings, self.settings_page),
                (self.presenter.customers, self.customer_page),
                (self.presenter.gift_cards, self.gift_card_page),
                (self.presenter.quick_keys, self.quick_keys_page),
                (self.presenter.variants, self.variant_page)) + self._email_panels()

    def add_settings(self, settings: Any) -> None:
        """The device settings screen (Ctrl+F10), given by the code that started the devices."""
        self.settings, self.settings_page = settings, SettingsPage(settings)
        self.pages.addWidget(self.settings_page)
        settings.subscribe(self._render_shift)

    def add_email(self, email: Any, email_settings: Any) -> None:
        """Email receipts: Ctrl+E (or the button) emails a receipt, Ctrl+Shift+E sets the mail
        server (supervisor or manager); the status bar says how many emails wait."""
        self.email, self.email_page = email, EmailPage(email)
        self.email_settings, self.email_settings_page = (email_settings,
                                                         EmailSettingsPage(email_settings))
        for panel, page in self._email_panels():
            self.pages.addWidget(page)
            panel.subscribe(self._render_shift)
        self.email_button = QPushButton("Email receipt (Ctrl+E)", font=_font(16))
        self.email_button.setMinimumHeight(64)
        self.email_button.clicked.connect(email.open)
        row = self.sale_page.pay_row  # after Reprint
        row.insertWidget(row.indexOf(self.reprint_button) + 1, self.email_button, 1)
        self.statusBar().addPermanentWidget(EmailStatusLabel(email))

    def _email_panels(self) -> tuple[tuple[Any, QWidget | None], ...]:
        return ((self.email, self.email_page), (self.email_settings, self.email_settings_page)) \
            if self.email is not None else ()

    # --- input ---------------------------------------------------------------------------------

    def scan_from_device(self, text: str) -> None:
        """A scanner's code (wedge, serial or HID), whatever widget has focus."""
        if self.settings is not None and self.settings.scanned(text):
            return  # the device settings screen is open: a scan there tests, never sells
        if self.email is not None and self.email.scanned(text):
            return  # the Email receipt panel is open: a scan is the receipt's barcode
        if self.presenter.gift_cards is not None and self.presenter.gift_cards.scanned(text):
            return  # the gift card panel is open: a scan is the card's number
        if self.pages.currentWidget() is self.sign_in_page and self.presenter.sign_in:
            self.presenter.sign_in.submit(text)  # a badge
        elif self.presenter.scan_device(text) and self.presenter.state.paying:
            self.tender_input.setText(self.presenter.state.tender_prefill)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.KeyPress and self.keys.handle(watched, event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.keys.handle(None, event):
            super().keyPressEvent(event)

    # --- rendering -----------------------------------------------------------------------------

    def render(self, state: SaleScreenState) -> None:
        self._show_page(state.cashier)
        self.sale_page.render(state)

    def _render_shift(self, state: object) -> None:  # any panel: shift, override, return
        self._show_page(self.presenter.state.cashier)

    def _show_page(self, cashier: str) -> None:
        who = f"Cashier {cashier}" if cashier else "Not signed in"
        self.identity_label.setText(f"{self.identity} · {who}" if self.identity else who)
        page = self.sale_page if cashier or self.sign_in_page is None else self.sign_in_page
        shift = self.presenter.shift
        if cashier and shift is not None and shift.state.mode:
            page = self.shift_page
        for panel, panel_page in self._panels():
            if cashier and panel is not None and panel.state.mode:
                page = panel_page
        if self.pages.currentWidget() is not page:
            self.pages.setCurrentWidget(page)
            if page is self.sale_page:
                self.scan_input.setFocus()
            else:
                page.focus()

    def _tick(self) -> None:
        self.presenter.poll()
        if self.device_status is not None:
            try:
                self.device_status_label.setText(device_status_text(*self.device_status()))
            except Exception as exc:  # noqa: BLE001 — never take the till down for a status
                self.device_status_label.setText(f"Device status unavailable: {exc}")
        try:
            status = self.status_provider()
        except Exception as exc:  # the status bar must never take the till down
            self.sync_status_label.setText(f"Sync status unavailable: {exc}")
            return
        self.sync_status_label.setText(sync_status_text(status))
