"""The returns panel: receipt field, the sale's lines with what is refundable, reason, supervisor.

Keys: Enter in the receipt field finds the receipt (or adds a scanned item without receipt);
Up/Down select a line, + / - how many come back; Enter in the PIN field (or the reason box) refunds;
Esc goes back. Alt+R the receipt field, Alt+A the reason, Alt+T where the refund goes, Alt+S the
supervisor's PIN or badge (each field has a visible label).
"""

from __future__ import annotations

from .qt import (
    QAbstractItemView,
    QComboBox,
    QEvent,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from .return_presenter import ReturnPresenter, ReturnScreenState
from .widgets import align_labels, font, labelled_fields, show_message

COLUMNS = ("Item", "Sold", "Refundable", "Back", "Price")


class ReturnPage(QWidget):
    def __init__(self, presenter: ReturnPresenter) -> None:
        super().__init__()
        self.presenter, self._mode = presenter, ""
        self.title = QLabel("Return / refund", font=font(26, bold=True))
        self.receipt_input = QLineEdit(objectName="returnReceipt", font=font(20))
        self.receipt_input.setProperty("acceptsScans", True)  # badge/receipt scans type here
        self.receipt_input.setPlaceholderText("scan the receipt or type its number, Enter")
        self.lines_table = QTableWidget(0, len(COLUMNS), font=font(16))
        self.lines_table.setHorizontalHeaderLabels(COLUMNS)
        self.lines_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        for col in range(1, len(COLUMNS)):  # "Refundable" and the amounts are never cut off
            self.lines_table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.lines_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.lines_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.lines_table.setFocusPolicy(Qt.NoFocus)
        self.reason_input = QComboBox(objectName="returnReason", font=font(18))
        for key, label in presenter.state.reasons:
            self.reason_input.addItem(label, key)
        # Where the money goes: the sale's tenders, or store credit (till.gift_cards)
        self.refund_to_input = QComboBox(objectName="returnRefundTo", font=font(18))
        self.refund_to_input.addItem("Refund to the original payment", "original")
        self.refund_to_input.addItem("Refund as store credit (a credit note, or the attached "
                                     "customer's account)", "store_credit")
        # its longest choice must not push the page past 1024 wide beside its label
        self.refund_to_input.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.refund_to_input.setMinimumContentsLength(24)
        self.code_input = QLineEdit(objectName="returnCode", font=font(20))
        self.code_input.setProperty("acceptsScans", True)  # badge/receipt scans type here
        self.code_input.setEchoMode(QLineEdit.Password)
        self.code_input.setPlaceholderText("when asked; Enter refunds")
        self.total_label = QLabel(font=font(22, bold=True))
        self.message_label = QLabel(font=font(16), wordWrap=True)
        receipt = labelled_fields((("&Receipt", self.receipt_input),), size=18)
        self.form = labelled_fields((("Re&ason", self.reason_input),
                                     ("Refund &to", self.refund_to_input),
                                     ("&Supervisor PIN or badge", self.code_input)), size=18)
        align_labels(receipt, self.form)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(receipt)
        column.addWidget(self.lines_table)
        column.addLayout(self.form)
        column.addWidget(self.total_label)
        column.addWidget(self.message_label)
        self.receipt_input.returnPressed.connect(self._find)
        self.code_input.returnPressed.connect(self._submit)
        for widget in (self.receipt_input, self.code_input, self.reason_input):
            widget.installEventFilter(self)
        presenter.subscribe(self.render)

    def _find(self) -> None:
        if self.presenter.find(self.receipt_input.text()):
            self.receipt_input.clear()
        else:
            self.receipt_input.selectAll()

    def _submit(self) -> None:
        to_credit = self.refund_to_input.currentData() == "store_credit"
        if not self.presenter.submit(self.reason_input.currentData(), self.code_input.text(),
                                     to_credit):
            self.code_input.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.KeyPress:
            return super().eventFilter(watched, event)
        key, typing = event.key(), watched is self.receipt_input and bool(watched.text())
        if key in (Qt.Key_Plus, Qt.Key_Minus) and watched is not self.code_input and not typing:
            self.presenter.change_quantity(1 if key == Qt.Key_Plus else -1)
        elif key in (Qt.Key_Up, Qt.Key_Down) and watched is not self.reason_input:
            self.presenter.move(-1 if key == Qt.Key_Up else 1)
        elif key == Qt.Key_Return and watched is self.reason_input:
            self._submit()
        elif key == Qt.Key_Escape:
            self.presenter.close()
        else:
            return super().eventFilter(watched, event)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key_Escape:
            self.presenter.close()
        else:
            super().keyPressEvent(event)

    def render(self, state: ReturnScreenState) -> None:
        if state.mode != self._mode:
            self._mode = state.mode
            self.focus()
        what = "Exchange: goods back" if state.exchange else "Return"
        self.title.setText(f"{what} — receipt {state.receipt_no}" if state.receipt_no
                           else f"{what} / refund" if not state.exchange else what)
        # in an exchange the money settles with the new sale, never as store credit here
        self.form.setRowVisible(self.refund_to_input,
                                self.presenter.offers_store_credit and not state.exchange)
        table = self.lines_table
        table.setRowCount(len(state.lines))
        for row, ln in enumerate(state.lines):
            for col, text in enumerate((ln.name, str(ln.sold), str(ln.refundable),
                                        str(ln.quantity), ln.price_text)):
                table.setItem(row, col, QTableWidgetItem(text))
        if state.selected:
            table.selectRow(state.selected - 1)
        self.code_input.setEnabled(True)
        self.total_label.setText(state.total_text + ("  — supervisor needed"
                                                     if state.needs_supervisor else ""))
        show_message(self.message_label, state.message, state.message_kind)

    def focus(self) -> None:
        self.refund_to_input.setCurrentIndex(0)  # each return starts back to the original payment
        self.receipt_input.clear()
        self.code_input.clear()
        self.receipt_input.setFocus()
