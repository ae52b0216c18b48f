"""The returns panel: receipt field, the sale's lines with what is refundable, reason, supervisor.

Keys: Enter in the receipt field finds the receipt (or adds a scanned item without receipt);
Up/Down select a line, + / - how many come back; Enter in the PIN field (or the reason box) refunds;
Esc goes back.
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
from .widgets import MESSAGE_COLOURS, font

COLUMNS = ("Item", "Sold", "Refundable", "Back", "Price")


class ReturnPage(QWidget):
    def __init__(self, presenter: ReturnPresenter) -> None:
        super().__init__()
        self.presenter, self._mode = presenter, ""
        self.title = QLabel("Return / refund", font=font(26, bold=True))
        self.receipt_input = QLineEdit(objectName="returnReceipt", font=font(20))
        self.receipt_input.setProperty("acceptsScans", True)  # badge/receipt scans type here
        self.receipt_input.setPlaceholderText("Scan the receipt or type its number, Enter")
        self.lines_table = QTableWidget(0, len(COLUMNS), font=font(16))
        self.lines_table.setHorizontalHeaderLabels(COLUMNS)
        self.lines_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.lines_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.lines_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.lines_table.setFocusPolicy(Qt.NoFocus)
        self.reason_input = QComboBox(objectName="returnReason", font=font(18))
        for key, label in presenter.state.reasons:
            self.reason_input.addItem(label, key)
        self.code_input = QLineEdit(objectName="returnCode", font=font(20))
        self.code_input.setProperty("acceptsScans", True)  # badge/receipt scans type here
        self.code_input.setEchoMode(QLineEdit.Password)
        self.code_input.setPlaceholderText("Supervisor PIN or badge (when asked), Enter refunds")
        self.total_label = QLabel(font=font(22, bold=True))
        self.message_label = QLabel(font=font(16), wordWrap=True)
        column = QVBoxLayout(self)
        for widget in (self.title, self.receipt_input, self.lines_table, self.reason_input,
                       self.code_input, self.total_label, self.message_label):
            column.addWidget(widget)
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
        if not self.presenter.submit(self.reason_input.currentData(), self.code_input.text()):
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
        self.title.setText(f"Return — receipt {state.receipt_no}" if state.receipt_no
                           else "Return / refund")
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
        self.message_label.setText(state.message)
        colour = MESSAGE_COLOURS.get(state.message_kind, MESSAGE_COLOURS["info"])
        self.message_label.setStyleSheet(f"color: {colour};")

    def focus(self) -> None:
        self.receipt_input.clear()
        self.code_input.clear()
        self.receipt_input.setFocus()
