"""The payment panel under the basket: tenders so far, what is still due, quick-cash buttons."""

from __future__ import annotations

from collections.abc import Callable

from shared.money import Money

from .qt import QHBoxLayout, QLabel, QListWidget, QPushButton, Qt, QVBoxLayout, QWidget
from .sale_screen_state import SaleScreenState
from .widgets import font

QUICK_CASH_BUTTONS = 4


class PaymentPanel(QWidget):
    """Quick cash: click, or Ctrl+1..Ctrl+4 (the window forwards those keys)."""

    def __init__(self, on_quick_cash: Callable[[Money], None], on_card: Callable[[], None],
                 on_ewallet: Callable[[], None]) -> None:
        super().__init__()
        self._amounts: list[Money] = []
        self._on_quick_cash = on_quick_cash
        self.tenders_list = QListWidget(objectName="tendersList", font=font(16))
        self.tenders_list.setMaximumHeight(80)
        self.tenders_list.setFocusPolicy(Qt.NoFocus)
        self.remaining_label = QLabel(objectName="remainingLabel", font=font(22, bold=True))
        self.card_button = QPushButton("Card (F5)", font=font(16))
        self.ewallet_button = QPushButton("E-wallet (F6)", font=font(16))
        self.quick_buttons = [QPushButton(font=font(16)) for _ in range(QUICK_CASH_BUTTONS)]
        # Two rows, so at 1024x768 neither what is due nor a quick-cash amount is cut off.
        row = QHBoxLayout()
        row.addWidget(self.remaining_label, 2)
        quick_row = QHBoxLayout()
        for i, button in enumerate(self.quick_buttons):
            button.setFocusPolicy(Qt.NoFocus)  # the cash field keeps the keyboard
            button.setMinimumHeight(48)
            button.clicked.connect(lambda _=False, n=i: self.quick_cash(n))
            quick_row.addWidget(button, 1)
        for button, action in ((self.card_button, on_card), (self.ewallet_button, on_ewallet)):
            button.setFocusPolicy(Qt.NoFocus)
            button.setMinimumHeight(48)
            button.clicked.connect(action)
            row.addWidget(button, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.tenders_list)
        column.addLayout(row)
        column.addLayout(quick_row)

    def quick_cash(self, index: int) -> None:
        if index < len(self._amounts):
            self._on_quick_cash(self._amounts[index])

    def render(self, state: SaleScreenState) -> None:
        self.setVisible(state.paying)
        self.tenders_list.clear()
        self.tenders_list.addItems(state.tenders)
        self.remaining_label.setText(state.remaining_text)
        self._amounts = list(state.quick_cash)
        for i, button in enumerate(self.quick_buttons):
            amount = self._amounts[i] if i < len(self._amounts) else None
            button.setVisible(amount is not None)
            button.setText(f"{amount} (Ctrl+{i + 1})" if amount else "")
