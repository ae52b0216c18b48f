"""The gift card panel: renders `GiftCardScreenState`. Enter in the number field shows the card's
balance and moves on; Enter in the amount (or the supervisor field) submits; F12 (while selling,
with items in the basket) pays the sale with the card instead; Esc goes back. Each field has a
visible label: Alt+N the card number, Alt+A the amount, Alt+S the supervisor's PIN or badge."""

from __future__ import annotations

from .gift_card_presenter import PAY, SELL, GiftCardPresenter, GiftCardScreenState
from .qt import QKeyEvent, QLabel, QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget
from .widgets import font, labelled_fields, show_message

AMOUNT_FIELD = {SELL: ("&Amount to load", "e.g. 50.00"),  # (label, example) per mode
                PAY: ("&Amount to pay", "empty: all the card can pay")}


class GiftCardPage(QWidget):
    def __init__(self, presenter: GiftCardPresenter) -> None:
        super().__init__()
        self.presenter, self._mode, self._scans = presenter, "", 0
        self.title = QLabel(font=font(26, bold=True))
        self.number_input = QLineEdit(objectName="giftCardNumber", font=font(22))
        self.number_input.setProperty("acceptsScans", True)  # the card's barcode types here
        self.number_input.setPlaceholderText("scan the card or type its 16 digits")
        self.balance_label = QLabel(font=font(18, bold=True))
        self.amount_input = QLineEdit(objectName="giftCardAmount", font=font(22))
        self.code_input = QLineEdit(objectName="giftCardCode", font=font(20))
        self.code_input.setProperty("acceptsScans", True)  # a supervisor's badge
        self.code_input.setEchoMode(QLineEdit.Password)
        self.code_input.setPlaceholderText("the till does not know this card")
        self.pay_button = QPushButton("Pay this sale with the card (F12)", font=font(16),
                                      objectName="giftCardPayInstead")
        self.pay_button.setMinimumHeight(56)
        self.message_label = QLabel(font=font(16), wordWrap=True)
        self.form = labelled_fields((("Card &number", self.number_input),
                                     ("", self.balance_label),
                                     (AMOUNT_FIELD[PAY][0], self.amount_input),
                                     ("&Supervisor PIN or badge", self.code_input)), size=18)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(self.form)
        column.addWidget(self.pay_button)
        column.addWidget(self.message_label)
        column.addStretch(1)
        self.number_input.returnPressed.connect(self._check)
        self.amount_input.returnPressed.connect(self._submit)
        self.code_input.returnPressed.connect(self._submit)
        self.pay_button.clicked.connect(self._pay_instead)
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

    def _pay_instead(self) -> None:
        self.presenter.pay_instead(self.number_input.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key_Escape:
            self.presenter.close()
        elif event.key() == Qt.Key_F12:
            self._pay_instead()
        else:
            super().keyPressEvent(event)

    def render(self, state: GiftCardScreenState) -> None:
        if state.mode != self._mode:
            self._mode = state.mode
            self.focus()
        if state.scans != self._scans:  # a scanner read the card (here or at the scan field)
            self._scans = state.scans
            self.number_input.setText(state.scanned_number)
            self.amount_input.setFocus()
        self.title.setText(state.title)
        self.balance_label.setText(state.balance_text)
        self.form.setRowVisible(self.code_input, state.needs_supervisor)
        self.pay_button.setVisible(state.offers_pay)
        show_message(self.message_label, state.message, state.message_kind)

    def focus(self) -> None:
        """A new mode starts empty, at the card number; a scanned card is filled in by render."""
        for field in (self.number_input, self.amount_input, self.code_input):
            field.clear()
        label, example = AMOUNT_FIELD.get(self.presenter.state.mode, AMOUNT_FIELD[PAY])
        self.form.labelForField(self.amount_input).setText(label)
        self.amount_input.setPlaceholderText(example)
        self.number_input.setFocus()


def gift_card_button(presenter: GiftCardPresenter) -> QPushButton:
    """The sale page's touch button for the panel (Ctrl+G does the same)."""
    button = QPushButton("Gift card (Ctrl+G)", objectName="giftCardButton", font=font(16))
    button.setMinimumHeight(64)
    button.clicked.connect(presenter.open)
    return button
