"""The sale page: scan field, basket lines, totals, payment panel, Pay row and the message line.

It renders `SaleScreenState` and forwards the cashier's typing and clicks to `SalePresenter`:
Enter in the scan field adds, Enter in the cash field takes cash, F5/F6 (via `sale_keys`) card and
e-wallet, the quick-cash buttons their amount.
"""

from __future__ import annotations

from shared.money import Money

from .customer_view import CustomerBar
from .payment_view import PaymentPanel
from .presenter import SalePresenter
from .qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from .sale_screen_state import SaleScreenState
from .search_view import SearchResults
from .widgets import font as _font
from .widgets import show_message

COLUMNS = ("Item", "Qty", "Price", "Total")
TRAINING_TEXT = "TRAINING — nothing is sold"
TRAINING_STYLE = "background: #facc15; color: #7c2d12; padding: 8px;"


def _button(text: str, size: int, height: int, bold: bool = False) -> QPushButton:
    button = QPushButton(text, font=_font(size, bold=bold))
    button.setMinimumHeight(height)
    return button


class SalePage(QWidget):
    def __init__(self, presenter: SalePresenter) -> None:
        super().__init__()
        self.presenter = presenter
        self._build_widgets()
        self._lay_out()
        self._connect()

    def _build_widgets(self) -> None:
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
        self.exchange_label = QLabel(font=_font(16, bold=True), alignment=Qt.AlignRight,
                                     objectName="exchangeLabel", wordWrap=True)
        self.tender_input = QLineEdit(objectName="tenderInput", font=_font(22))
        self.tender_input.setPlaceholderText("e.g. 20.00, Enter")
        self.pay_button = _button("Pay (F12)", 20, 64, bold=True)
        self.reprint_button = _button("Reprint (F9)", 16, 64)
        self.sign_out_button = _button("Sign out (F10)", 16, 64)
        self.quick_keys_button = _button("Quick keys (Ctrl+K)", 16, 56)
        self.message_label = QLabel(font=_font(18), wordWrap=True)
        self.message_label.setMinimumHeight(60)
        self.training_banner = QLabel(TRAINING_TEXT, font=_font(24, bold=True),
                                      alignment=Qt.AlignCenter, objectName="trainingBanner")
        self.training_banner.setStyleSheet(TRAINING_STYLE)
        self.training_banner.hide()
        self.search_results = SearchResults(self.presenter.search)  # typed words: matching items
        self.payment_panel = PaymentPanel(self._quick_cash, lambda: self.tender("card"),
                                          lambda: self.tender("ewallet"))

    def _lay_out(self) -> None:
        self.pay_row = QHBoxLayout()
        self.pay_row.addLayout(self._tender_field(), 2)
        for widget in (self.pay_button, self.reprint_button, self.sign_out_button):
            self.pay_row.addWidget(widget, 1)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_input, 3)
        scan_row.addWidget(self.quick_keys_button, 1)
        column = QVBoxLayout()
        column.addWidget(self.training_banner)
        column.addLayout(scan_row)
        for widget in (self.search_results, self.lines_table, self.total_label, self.tax_label,
                       self.exchange_label, CustomerBar(self.presenter), self.payment_panel):
            column.addWidget(widget)
        column.addLayout(self.pay_row)
        column.addWidget(self.message_label)
        self.setLayout(column)

    def _tender_field(self) -> QVBoxLayout:
        """The cash field with its label above it: the amount in it (the prefilled amount due, or
        what the cashier typed) is never left unexplained. Alt+G focuses it."""
        label = QLabel("Cash &given", font=_font(12))
        label.setBuddy(self.tender_input)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(label)
        box.addWidget(self.tender_input)
        return box

    def _connect(self) -> None:
        self.scan_input.returnPressed.connect(self._scan)
        self.scan_input.textChanged.connect(self.presenter.search.typed)
        self.tender_input.returnPressed.connect(self.tender)
        self.pay_button.clicked.connect(self.begin_payment)
        self.reprint_button.clicked.connect(self.presenter.reprint_last)
        self.sign_out_button.clicked.connect(self.presenter.sign_out)
        self.quick_keys_button.clicked.connect(self.presenter.quick_keys.open)
        self.lines_table.itemSelectionChanged.connect(self._selection_changed)

    # --- intents -------------------------------------------------------------------------------

    def _scan(self) -> None:
        if self.presenter.search.choose() or self.presenter.scan(self.scan_input.text()):
            self.scan_input.clear()
        else:
            self.scan_input.selectAll()  # the next scan replaces the bad code

    def begin_payment(self) -> None:
        if self.presenter.begin_payment():
            self.tender_input.setText(self.presenter.state.tender_prefill)
            self.tender_input.selectAll()
            self.tender_input.setFocus()

    def tender(self, kind: str = "cash") -> None:
        text = self.tender_input.text()
        taken = {"cash": self.presenter.tender_cash, "card": self.presenter.tender_card,
                 "ewallet": self.presenter.tender_ewallet}[kind](text)
        self._after_tender(taken)

    def _quick_cash(self, amount: Money) -> None:
        self._after_tender(self.presenter.tender_cash(amount.to_decimal_str()))

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

    def escape(self, from_tender_field: bool) -> None:
        if from_tender_field or self.presenter.state.paying:
            self.tender_input.clear()
            self.presenter.cancel_payment()
        self.scan_input.clear()
        self.scan_input.setFocus()

    def move_selection(self, step: int) -> None:
        count = len(self.presenter.state.lines)
        if count:
            current = self.presenter.state.selected_line or count
            self.lines_table.selectRow(min(max(current + step, 1), count) - 1)

    # --- rendering -----------------------------------------------------------------------------

    def render(self, state: SaleScreenState) -> None:
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
        self.exchange_label.setText(state.exchange_text)
        self.exchange_label.setVisible(bool(state.exchange_text))
        self.training_banner.setVisible(state.training)
        self.payment_panel.render(state)
        show_message(self.message_label, state.message, state.message_kind)
