"""The gift card panel: renders `GiftCardScreenState`. Enter in the number field shows the card's
balance and moves on; Enter in the amount (or the supervisor field) submits; Esc goes back."""

from __future__ import annotations

from .gift_card_presenter import GiftCardPresenter, GiftCardScreenState
from .qt import QKeyEvent, QLabel, QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget
from .widgets import font, show_message


class GiftCardPage(QWidget):
    def __init__(self, presenter: GiftCardPresenter) -> None:
        super().__init__()
        self.presenter, self._mode, self._scans = presenter, "", 0
        self.title = QLabel(font=font(26, bold=True))
        self.number_input = QLineEdit(objectName="giftCardNumber", font=font(22))
        self.number_input.setProperty("acceptsScans", True)  # the card's barcode types here
        self.number_input.setPlaceholderText("Card number: scan the card or type its 16 digits")
        self.balance_label = QLabel(font=font(18, bold=True))
        self.amount_input = QLineEdit(objectName="giftCardAmount", font=font(22))
        self.code_input = QLineEdit(objectName="giftCardCode", font=font(20))
        self.code_input.setProperty("acceptsScans", True)  # a supervisor's badge
        self.code_input.setEchoMode(QLineEdit.Password)
        self.code_input.setPlaceholderText("Supervisor PIN or badge: the till does not know "
                                           "this card")
        self.message_label = QLabel(font=font(16), wordWrap=True)
        column = QVBoxLayout(self)
        for widget in (self.title, self.number_input, self.balance_label, self.amount_input,
                       self.code_input, self.message_label):
            column.addWidget(widget)
        column.addStretch(1)
        self.number_input.returnPressed.connect(self._check)
        self.amount_input.returnPressed.connect(self._submit)
        self.code_input.returnPressed.connect(self._submit)
        presenter.subscribe(self.render)

    def _check(self) -> None:
        if self.presenter.check(self.number_input.text()):
            self.amount_input.setFocus()

    def _submit(self) -> None:
        if not self.presenter.submit(self.number_input.text(), self.amount_input.text(),
                                     self.code_input.text()):
            self.code_input.clear()  # a refused PIN is typed again, not edited
            if self.presenter.state.needs_supervisor:
                self.code_input.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key_Escape:
            self.presenter.close()
        else:
            super().keyPressEvent(event)

    def render(self, state: GiftCardScreenState) -> None:
        if state.mode != self._mode:
            self._mode = state.mode
            self.focus()
        if state.scans != self._scans:  # a serial/HID scanner read the card
            self._scans = state.scans
            self.number_input.setText(state.scanned_number)
            self.amount_input.setFocus()
        self.title.setText(state.title)
        self.balance_label.setText(state.balance_text)
        self.code_input.setVisible(state.needs_supervisor)
        show_message(self.message_label, state.message, state.message_kind)

    def focus(self) -> None:
        for field in (self.number_input, self.amount_input, self.code_input):
            field.clear()
        selling = self.presenter.state.mode == "sell"
        self.amount_input.setPlaceholderText("Amount to load, e.g. 50.00" if selling else
                                             "Amount to pay (empty: all the card can pay)")
        self.number_input.setFocus()


def gift_card_button(presenter: GiftCardPresenter) -> QPushButton:
    """The sale page's touch button for the panel (Ctrl+G does the same)."""
    button = QPushButton("Gift card (Ctrl+G)", objectName="giftCardButton", font=font(16))
    button.setMinimumHeight(64)
    button.clicked.connect(presenter.open)
    return button
