"""The "Email receipt" panel (renders `EmailScreenState`) and the status bar's emails-waiting label.

Keys: Enter queues, Esc goes back, Tab moves between the receipt number and the address (Alt+R,
Alt+A: their labels' letters).
"""

from __future__ import annotations

from typing import Any

from .email_presenter import EmailReceiptPresenter, EmailScreenState
from .qt import (
    QEvent,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from .widgets import font, labelled_fields, show_message

STATUS_REFRESH_MS = 1000


class EmailPage(QWidget):
    def __init__(self, presenter: EmailReceiptPresenter) -> None:
        super().__init__()
        self.presenter, self._version = presenter, -1
        self.title = QLabel("Email receipt (Ctrl+E)", font=font(26, bold=True))
        self.receipt_input = QLineEdit(objectName="emailReceiptNo", font=font(20))
        self.receipt_input.setPlaceholderText("e.g. S001-9C2F-000012")
        self.address_input = QLineEdit(objectName="emailAddress", font=font(20))
        self.address_input.setPlaceholderText("the customer's, e.g. ann@example.com")
        self.send_button = QPushButton("Send (Enter)", font=font(16, bold=True))
        self.back_button = QPushButton("Back to the sale (Esc)", font=font(16))
        self.message_label = QLabel(font=font(16), wordWrap=True, objectName="emailMessage")
        for button in (self.send_button, self.back_button):
            button.setMinimumHeight(56)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.back_button)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(labelled_fields((("&Receipt", self.receipt_input),
                                          ("Email &address", self.address_input)), size=18))
        column.addLayout(buttons)
        column.addWidget(self.message_label)
        column.addStretch(1)
        self.send_button.clicked.connect(self._submit)
        self.back_button.clicked.connect(presenter.close)
        for widget in (self.receipt_input, self.address_input):
            widget.installEventFilter(self)
            widget.textChanged.connect(self._edited)
        presenter.subscribe(self.render)

    def _edited(self) -> None:
        self.presenter.edit(self.receipt_input.text(), self.address_input.text())

    def _submit(self) -> None:
        self.presenter.submit(self.receipt_input.text(), self.address_input.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.KeyPress and self._key(event):  # type: ignore[arg-type]
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: Any) -> bool:
        if event.key() == Qt.Key_Escape:
            self.presenter.close()
        elif event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self._submit()
        else:
            return False
        return True

    def render(self, state: EmailScreenState) -> None:
        if state.form_version != self._version:
            self._version = state.form_version
            for field, text in ((self.receipt_input, state.receipt_no),
                                (self.address_input, state.address)):
                field.blockSignals(True)  # filling the form is not an edit
                field.setText(text)
                field.blockSignals(False)
            if state.mode:
                self.focus()
        show_message(self.message_label, state.message, state.message_kind)
        if state.message_kind == "error":
            self.address_input.selectAll()

    def focus(self) -> None:
        (self.address_input if self.receipt_input.text() else self.receipt_input).setFocus()


class EmailStatusLabel(QLabel):
    """"✉ 2 emails waiting", refreshed on its own timer; empty (and hidden) with none waiting."""

    def __init__(self, presenter: EmailReceiptPresenter) -> None:
        super().__init__(font=font(12), objectName="emailStatus")
        self.presenter = presenter
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(STATUS_REFRESH_MS)
        self.refresh()

    def refresh(self) -> None:
        try:
            text = self.presenter.status_text()
        except Exception as exc:  # noqa: BLE001 — a status must never take the till down
            text = f"Email status unavailable: {exc}"
        self.setText(text)
        self.setVisible(bool(text))
