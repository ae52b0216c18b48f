"""The second-screen customer display: a full-screen window on the customer-facing monitor.

`CustomerScreen` opens it on the screen devices.json names ("customer_screen": {"screen": 1},
counted in QGuiApplication.screens() order) and is the `CustomerDisplay` the sale tells, next to
the pole display. A screen that is not connected leaves the display off, said in words.
"""

from __future__ import annotations

from typing import Any

from ..devices.config import CustomerScreenConfig
from ..devices.customer_display import WithCustomerDisplays
from .customer_display_presenter import CustomerScreenPresenter, CustomerScreenState
from .qt import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from .widgets import font

TICK_MS = 1000
STYLE = "background: #0f172a; color: #f8fafc;"
CHANGE_STYLE = "color: #4ade80;"


class CustomerScreenWindow(QWidget):
    def __init__(self, presenter: CustomerScreenPresenter) -> None:
        super().__init__()
        self.presenter = presenter
        self.setWindowTitle("TillHQ — customer display")
        self.setObjectName("customerScreen")
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.NoFocus)  # the cashier's keys stay on the till window
        self.welcome_label = QLabel(font=font(48, bold=True), alignment=Qt.AlignCenter)
        self.last_item_label = QLabel(font=font(30, bold=True), alignment=Qt.AlignCenter)
        self.lines_table = QTableWidget(0, 3, font=font(22))
        self.lines_table.setHorizontalHeaderLabels(("Item", "Qty", "Total"))
        self.lines_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        for col in (1, 2):  # prices are never cut
            self.lines_table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.lines_table.verticalHeader().hide()
        self.lines_table.verticalHeader().setDefaultSectionSize(48)
        self.lines_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.lines_table.setFocusPolicy(Qt.NoFocus)
        self.lines_table.setSelectionMode(QAbstractItemView.NoSelection)
        self.total_label = QLabel(font=font(40, bold=True), alignment=Qt.AlignRight)
        self.paid_label = QLabel(font=font(28), alignment=Qt.AlignRight)
        self.change_label = QLabel(font=font(44, bold=True), alignment=Qt.AlignRight)
        self.change_label.setStyleSheet(CHANGE_STYLE)
        self.filler = QWidget()  # takes the table's room when there are no lines to show
        column = QVBoxLayout(self)
        for widget in (self.welcome_label, self.last_item_label, self.lines_table, self.filler,
                       self.total_label, self.paid_label, self.change_label):
            column.addWidget(widget, 1 if widget in (self.lines_table, self.filler) else 0)
        self._timer = QTimer(self)
        self._timer.timeout.connect(presenter.tick)
        self._timer.start(TICK_MS)
        presenter.subscribe(self.render)

    def render(self, state: CustomerScreenState) -> None:
        self.welcome_label.setText(state.welcome)
        self.welcome_label.setVisible(state.idle)
        self.last_item_label.setText(state.last_item)
        self.lines_table.setVisible(not state.idle and bool(state.lines))
        self.filler.setVisible(self.lines_table.isHidden() and not state.idle)
        self.lines_table.setRowCount(len(state.lines))
        for row, cells in enumerate(state.lines):
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.lines_table.setItem(row, col, item)
        if state.lines:
            self.lines_table.scrollToBottom()  # the newest line is always in sight
        for label, text in ((self.total_label, state.total_text), (self.paid_label, state.paid_text),
                            (self.change_label, state.change_text)):
            label.setText(text)
            label.setVisible(bool(text) and not state.idle)


class CustomerScreen:
    """The sale's second-screen display: forwards the sale's events to the open window, if any.

    `attach` wraps the sale presenter's devices once; `apply` (start, and after Save in the
    device settings) opens, moves or closes the window."""

    def __init__(self, sale: Any, full_screen: bool = True) -> None:
        self.sale, self.full_screen = sale, full_screen
        self.presenter: CustomerScreenPresenter | None = None
        self.window: CustomerScreenWindow | None = None
        self.problem = ""
        sale.devices = WithCustomerDisplays(sale.devices, [self])
        sale.subscribe(self._sale_state)

    def apply(self, config: CustomerScreenConfig | None) -> None:
        self.close()
        self.problem = ""
        if config is None:
            return
        screens = QApplication.screens()
        if config.screen >= len(screens):
            self.problem = (f"customer screen {config.screen} is not connected ({len(screens)} "
                            "screen(s) found) — the customer display is off")
            return
        self.presenter = CustomerScreenPresenter(config.welcome)
        self.window = CustomerScreenWindow(self.presenter)
        self._sale_state(self.sale.state)
        self.window.setGeometry(screens[config.screen].geometry())
        (self.window.showFullScreen if self.full_screen else self.window.show)()

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
        self.window, self.presenter = None, None

    # --- CustomerDisplay, forwarded ------------------------------------------------------------

    def _sale_state(self, state: Any) -> None:
        if self.presenter is not None:
            self.presenter.sale_state(state)

    def line_added(self, name: str, price: str, quantity: int = 1) -> None:
        if self.presenter is not None:
            self.presenter.line_added(name, price, quantity)

    def paying(self, total: str) -> None:
        if self.presenter is not None:
            self.presenter.paying(total)

    def sale_completed(self, paid: str, change: str, cash: bool) -> None:
        if self.presenter is not None:
            self.presenter.sale_completed(paid, change, cash)
