"""The sale screen: renders `SaleScreenState` and forwards keys and clicks to `SalePresenter`.

Keyboard only: the scan field has focus; Enter adds, F12 pays, Enter in the cash field completes,
Esc clears, Delete removes the selected line, +/- change its quantity, Up/Down select, F9 reprints,
F10 signs out. Paying: Enter takes the field's amount as cash, F5 as card, F6 as e-wallet, Ctrl+1..4
the quick-cash amounts. Shift: F2 opens or closes (blind count), F3 paid in / paid out / drop, F4
X report (`ShiftPage`). Ctrl+P parks the basket, Ctrl+U recalls a parked one (`ParkedPage`),
Ctrl+T enters training mode (supervisor) or leaves it, Ctrl+F10 opens the device settings
(supervisor or manager, `SettingsPage`), Ctrl+L finds, adds and attaches a customer
(`CustomerPage`), Ctrl+Shift+L pays with their points. Ctrl+K opens the quick keys
(`QuickKeysPage`); a family's parent opens the size/colour picker (`VariantPage`). While nobody is signed in the window shows
the sign-in screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .customer_view import CustomerBar, CustomerPage
from .email_settings_view import EmailSettingsPage
from .email_view import EmailPage, EmailStatusLabel
from .override_view import OverridePage
from .parked_view import ParkedPage
from .payment_view import PaymentPanel
from .presenter import SalePresenter, SaleScreenState
from .qt import (
    QAbstractItemView,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QMainWindow,
    QObject,
    QPushButton,
    QStackedWidget,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from .quick_keys_view import QuickKeysPage
from .return_view import ReturnPage
from .search_view import SearchResults
from .settings_view import SettingsPage
from .shift_view import ShiftPage
from .sign_in_view import SignInPage
from .status_text import device_status_text, sync_status_text
from .variant_view import VariantPage
from .widgets import MESSAGE_COLOURS
from .widgets import font as _font

COLUMNS = ("Item", "Qty", "Price", "Total")
STATUS_REFRESH_MS = 500
TRAINING_TEXT = "TRAINING — nothing is sold"
TRAINING_STYLE = "background: #facc15; color: #7c2d12; padding: 8px;"


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
        self.scan_input = QLineEdit(objectName="scanInput", font=_font(22))
        self.scan_input.setPlaceholderText("Scan or type barcode / SKU, Enter")
        self.lines_table = QTableWidget(0, len(COLUMNS), font=_font(18))
        self.lines_table.setHorizontalHeaderLabels(COLUMNS)
        self.lines_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.lines_table.verticalHeader().setDefaultSectionSize(44)
        self.lines_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.lines_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.lines_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.total_label = QLabel(font=_font(32, bold=True), alignment=Qt.AlignRight)
        self.tax_label = QLabel(font=_font(14), alignment=Qt.AlignRight, objectName="taxLabel")
        self.tender_input = QLineEdit(objectName="tenderInput", font=_font(22))
        self.tender_input.setPlaceholderText("Cash given, Enter")
        self.pay_button = QPushButton("Pay (F12)", font=_font(20, bold=True))
        self.pay_button.setMinimumHeight(64)
        self.reprint_button = QPushButton("Reprint (F9)", font=_font(16))
        self.reprint_button.setMinimumHeight(64)
        self.sign_out_button = QPushButton("Sign out (F10)", font=_font(16))
        self.sign_out_button.setMinimumHeight(64)
        self.message_label = QLabel(font=_font(18), wordWrap=True)
        self.message_label.setMinimumHeight(60)
        self.sync_status_label = QLabel(font=_font(12))
        self.training_banner = QLabel(TRAINING_TEXT, font=_font(24, bold=True),
                                      alignment=Qt.AlignCenter, objectName="trainingBanner")
        self.training_banner.setStyleSheet(TRAINING_STYLE)
        self.training_banner.hide()
        # Who is selling where, always in sight (the window is maximised, its title often hidden).
        self.identity_label = QLabel(self.identity, font=_font(12, bold=True))
        self.identity_label.setContentsMargins(4, 0, 16, 0)
        self.statusBar().addPermanentWidget(self.identity_label)
        self.statusBar().addPermanentWidget(self.sync_status_label, 1)
        self.device_status_label = QLabel(font=_font(12), objectName="deviceStatus")
        self.statusBar().addPermanentWidget(self.device_status_label, 1)

        pay_row = QHBoxLayout()
        pay_row.addWidget(self.tender_input, 2)
        pay_row.addWidget(self.pay_button, 1)
        pay_row.addWidget(self.reprint_button, 1)
        pay_row.addWidget(self.sign_out_button, 1)
        column = QVBoxLayout()
        self.quick_keys_button = QPushButton("Quick keys (Ctrl+K)", font=_font(16))
        self.quick_keys_button.setMinimumHeight(56)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_input, 3)
        scan_row.addWidget(self.quick_keys_button, 1)
        column.addWidget(self.training_banner)
        column.addLayout(scan_row)
        self.search_results = SearchResults(self.presenter.search)  # typed words: matching items
        column.addWidget(self.search_results)
        column.addWidget(self.lines_table)
        column.addWidget(self.total_label)
        column.addWidget(self.tax_label)
        column.addWidget(CustomerBar(self.presenter))
        self.payment_panel = PaymentPanel(self._quick_cash, lambda: self._tender("card"),
                                          lambda: self._tender("ewallet"))
        column.addWidget(self.payment_panel)
        column.addLayout(pay_row)
        column.addWidget(self.message_label)
        self.sale_page = QWidget()
        self.sale_page.setLayout(column)
        self.pages = QStackedWidget()
        self.override_page: OverridePage | None = None
        self.return_page: ReturnPage | None = None
        self.parked_page: ParkedPage | None = None
        self.customer_page: CustomerPage | None = None
        self.variant_page = VariantPage(self.presenter.variants)  # a family's size/colour picker
        self.quick_keys_page = QuickKeysPage(self.presenter.quick_keys)  # Ctrl+K
        self.settings, self.settings_page = None, None  # add_settings: with devices only
        self.pages.addWidget(self.sale_page)
        self.sign_in_page = SignInPage(self.presenter.sign_in) if self.presenter.sign_in else None
        if self.sign_in_page is not None:
            self.pages.addWidget(self.sign_in_page)
        self.shift_page = ShiftPage(self.presenter.shift) if self.presenter.shift else None
        if self.shift_page is not None:
            self.pages.addWidget(self.shift_page)
            self.presenter.shift.subscribe(self._render_shift)  # type: ignore[union-attr]
        self.override_page = OverridePage(self.presenter.overrides) if self.presenter.overrides \
            else None
        self.return_page = ReturnPage(self.presenter.returns) if self.presenter.returns else None
        self.parked_page = ParkedPage(self.presenter.parked) if self.presenter.parked else None
        self.customer_page = CustomerPage(self.presenter.customers) if self.presenter.customers \
            else None
        for panel, page in self._panels():
            if page is not None:
                self.pages.addWidget(page)
                panel.subscribe(self._render_shift)  # type: ignore[union-attr]
        self.setCentralWidget(self.pages)

        self.scan_input.returnPressed.connect(self._scan)
        self.scan_input.textChanged.connect(self.presenter.search.typed)
        self.tender_input.returnPressed.connect(self._tender)
        self.pay_button.clicked.connect(self._begin_payment)
        self.reprint_button.clicked.connect(self.presenter.reprint_last)
        self.sign_out_button.clicked.connect(self.presenter.sign_out)
        self.quick_keys_button.clicked.connect(self.presenter.quick_keys.open)
        self.lines_table.itemSelectionChanged.connect(self._selection_changed)
        for widget in (self.scan_input, self.tender_input, self.lines_table):
            widget.installEventFilter(self)

    # --- intents -------------------------------------------------------------------------------

    def _scan(self) -> None:
        if self.presenter.search.choose() or self.presenter.scan(self.scan_input.text()):
            self.scan_input.clear()
        else:
            self.scan_input.selectAll()  # the next scan replaces the bad code

    def scan_from_device(self, text: str) -> None:
        """A scanner's code (wedge, serial or HID), whatever widget has focus."""
        if self.settings is not None and self.settings.scanned(text):
            return  # the device settings screen is open: a scan there tests, never sells
        if self.email is not None and self.email.scanned(text):
            return  # the Email receipt panel is open: a scan is the receipt's barcode
        if self.pages.currentWidget() is self.sign_in_page and self.presenter.sign_in:
            self.presenter.sign_in.submit(text)  # a badge
        elif self.presenter.scan_device(text) and self.presenter.state.paying:
            self.tender_input.setText(self.presenter.state.tender_prefill)

    def _begin_payment(self) -> None:
        if self.presenter.begin_payment():
            self.tender_input.setText(self.presenter.state.tender_prefill)
            self.tender_input.selectAll()
            self.tender_input.setFocus()

    def _tender(self, kind: str = "cash") -> None:
        text = self.tender_input.text()
        taken = {"cash": self.presenter.tender_cash, "card": self.presenter.tender_card,
                 "ewallet": self.presenter.tender_ewallet}[kind](text)
        self._after_tender(taken)

    def _quick_cash(self, amount: object) -> None:
        self._after_tender(self.presenter.tender_cash(amount.to_decimal_str()))  # type: ignore[attr-defined]

    def _after_tender(self, taken: bool) -> None:
        if taken and not self.presenter.state.paying:  # paid in full: back to scanning
            self.tender_input.clear()
            self.scan_input.setFocus()
        elif taken:  # part paid: the field now holds what is still due
            self.tender_input.setText(self.presenter.state.tender_prefill)
            self.tender_input.selectAll()
        else:
            self.tender_input.selectAll()

    def _selection_changed(self) -> None:
        rows = self.lines_table.selectionModel().selectedRows()
        self.presenter.select_line(rows[0].row() + 1 if rows else None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.KeyPress and self._handle_key(watched, event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(None, event):
            super().keyPressEvent(event)

    def _handle_key(self, watched: QObject | None, event: QKeyEvent) -> bool:
        key = event.key()
        typing = watched in (self.scan_input, self.tender_input) and bool(watched.text())
        if self._handle_email_key(key, event):
            return True
        if self._handle_shift_or_tender_key(key, event):
            return True
        if key == Qt.Key_F12:
            self._begin_payment()
        elif key == Qt.Key_F9:
            self.presenter.reprint_last()
        elif key == Qt.Key_F10:
            self.presenter.sign_out()
        elif key == Qt.Key_Escape:
            self._escape(watched)
        elif watched is self.tender_input:
            return False  # digits, comma, Enter: the cash field's own
        elif key == Qt.Key_Delete and not typing:
            self.presenter.remove_line(self.presenter.state.selected_line)
        elif key in (Qt.Key_Plus, Qt.Key_Minus) and not typing:
            self.presenter.change_quantity(self.presenter.state.selected_line,
                                           1 if key == Qt.Key_Plus else -1)
        elif key in (Qt.Key_Up, Qt.Key_Down) and watched is self.scan_input:
            step = -1 if key == Qt.Key_Up else 1
            if not self.presenter.search.move(step):  # no results listed: move in the basket
                self._move_selection(step)
        else:
            return False
        return True

    def _handle_shift_or_tender_key(self, key: int, event: QKeyEvent) -> bool:
        shift = self.presenter.shift
        actions = {Qt.Key_F5: lambda: self._tender("card"),
                   Qt.Key_F6: lambda: self._tender("ewallet")}
        if shift is not None:
            actions |= {Qt.Key_F2: shift.open_or_close, Qt.Key_F3: shift.movement,
                        Qt.Key_F4: shift.x_report}
        ctrl_digits = {Qt.Key_1: 0, Qt.Key_2: 1, Qt.Key_3: 2, Qt.Key_4: 3}
        if event.modifiers() & Qt.ControlModifier and key in ctrl_digits and self.presenter.state.paying:
            self.payment_panel.quick_cash(ctrl_digits[key])
            return True
        if self._handle_override_key(key, event):
            return True
        if key not in actions or (key in (Qt.Key_F5, Qt.Key_F6) and not self.presenter.state.paying):
            return False
        actions[key]()
        return True

    def _handle_override_key(self, key: int, event: QKeyEvent) -> bool:
        """F7 price, F8 discount, F11 no-sale, Ctrl+R return, Ctrl+Delete void, Ctrl+Shift+Delete
        cancel the sale, Ctrl+L customer, Ctrl+Shift+L pay with points."""
        ov, ret, mods = self.presenter.overrides, self.presenter.returns, event.modifiers()
        ctrl = bool(mods & Qt.ControlModifier)
        if ov is not None and key == Qt.Key_Delete and ctrl:
            (ov.cancel_sale if mods & Qt.ShiftModifier else ov.void_line)()
        elif ov is not None and key in (Qt.Key_F7, Qt.Key_F8, Qt.Key_F11):
            {Qt.Key_F7: ov.price, Qt.Key_F8: ov.discount, Qt.Key_F11: ov.no_sale}[key]()
        elif ret is not None and key == Qt.Key_R and ctrl:
            ret.open()
        elif self.presenter.customers is not None and key == Qt.Key_L and ctrl:
            customers = self.presenter.customers
            (customers.redeem if mods & Qt.ShiftModifier else customers.open)()
        else:
            return self._handle_park_key(key, ctrl)
        return True

    def _panels(self) -> tuple[tuple[Any, QWidget | None], ...]:
        return ((self.presenter.overrides, self.override_page),
                (self.presenter.returns, self.return_page),
                (self.presenter.parked, self.parked_page), (self.settings, self.settings_page),
                (self.presenter.customers, self.customer_page),
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
        row = next(lay for lay in self.sale_page.layout().children()
                   if lay.indexOf(self.reprint_button) >= 0)  # the Pay / Reprint row
        row.insertWidget(row.indexOf(self.reprint_button) + 1, self.email_button, 1)
        self.statusBar().addPermanentWidget(EmailStatusLabel(email))

    def _email_panels(self) -> tuple[tuple[Any, QWidget | None], ...]:
        return ((self.email, self.email_page), (self.email_settings, self.email_settings_page)) \
            if self.email is not None else ()

    def _handle_email_key(self, key: int, event: QKeyEvent) -> bool:
        if self.email is None or key != Qt.Key_E or not event.modifiers() & Qt.ControlModifier:
            return False
        (self.email_settings.open if event.modifiers() & Qt.ShiftModifier else self.email.open)()
        return True

    def _handle_park_key(self, key: int, ctrl: bool) -> bool:
        """Ctrl+P park, Ctrl+U recall a parked sale, Ctrl+T training mode, Ctrl+K quick keys."""
        parked, ov = self.presenter.parked, self.presenter.overrides
        if not ctrl:
            return False
        if parked is not None and key in (Qt.Key_P, Qt.Key_U):
            (parked.park if key == Qt.Key_P else parked.open)()
        elif ov is not None and key == Qt.Key_T:
            ov.training()
        elif self.settings is not None and key == Qt.Key_F10:
            self.settings.open()
        elif key == Qt.Key_K:
            self.presenter.quick_keys.open()
        else:
            return False
        return True

    def _escape(self, watched: QObject | None) -> None:
        if watched is self.tender_input or self.presenter.state.paying:
            self.tender_input.clear()
            self.presenter.cancel_payment()
        self.scan_input.clear()
        self.scan_input.setFocus()

    def _move_selection(self, step: int) -> None:
        count = len(self.presenter.state.lines)
        if count:
            current = self.presenter.state.selected_line or count
            self.lines_table.selectRow(min(max(current + step, 1), count) - 1)

    # --- rendering -----------------------------------------------------------------------------

    def render(self, state: SaleScreenState) -> None:
        self._show_page(state.cashier)
        table = self.lines_table
        table.blockSignals(True)  # our own re-render is not the cashier selecting a line
        table.setRowCount(len(state.lines))
        for row, line in enumerate(state.lines):
            cells = (line.name, str(line.quantity), line.price_text, line.total_text)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                table.setItem(row, col, item)
        if state.selected_line:
            table.selectRow(state.selected_line - 1)
        else:
            table.clearSelection()
        table.blockSignals(False)
        self.total_label.setText(state.total_text)
        self.tax_label.setText(state.tax_text)
        self.tax_label.setVisible(bool(state.tax_text))
        self.training_banner.setVisible(state.training)
        self.payment_panel.render(state)
        self.message_label.setText(state.message)
        colour = MESSAGE_COLOURS.get(state.message_kind, MESSAGE_COLOURS["info"])
        self.message_label.setStyleSheet(f"color: {colour};")

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
            if page is self.sign_in_page:
                self.sign_in_page.focus()
            elif page in (self.shift_page, self.override_page, self.return_page, self.parked_page,
                          self.settings_page, self.customer_page, self.email_page,
                          self.email_settings_page, self.variant_page, self.quick_keys_page):
                page.focus()
            else:
                self.scan_input.setFocus()

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
