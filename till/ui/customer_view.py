"""The customer screen (renders `CustomerScreenState`) and the sale screen's customer bar.

Keys: typing searches, Up/Down choose, Enter attaches (or saves the new-customer form), Ctrl+N
new customer, Esc back; Alt+F the search, Alt+N / Alt+P / Alt+E the form's fields (each field has
a visible label). The bar's "Pay with points" shows while paying for a customer's sale.
"""

from __future__ import annotations

from typing import Any

from .customer_presenter import CustomerPresenter, CustomerScreenState
from .qt import (
    QEvent,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QListWidget,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from .widgets import font, labelled_fields, show_message


class CustomerPage(QWidget):
    def __init__(self, presenter: CustomerPresenter) -> None:
        super().__init__()
        self.presenter = presenter
        self._mode = ""
        self.title = QLabel("Customer (Ctrl+L)", font=font(26, bold=True))
        self.search_input = QLineEdit(objectName="customerSearch", font=font(20))
        self.search_input.setPlaceholderText("name or phone number")
        self.search = QWidget()
        self.search.setLayout(labelled_fields((("&Find", self.search_input),), size=18))
        self.list = QListWidget(objectName="customerList", font=font(18))
        self.form = QWidget()
        self.name_input, self.phone_input, self.email_input = (
            QLineEdit(objectName=f"customer{label}", font=font(18), placeholderText=example)
            for label, example in (("Name", "e.g. Ann Smith"), ("Phone", "e.g. 0171 555 0100"),
                                   ("Email", "e.g. ann@example.com")))
        self.form.setLayout(labelled_fields((("&Name", self.name_input),
                                             ("&Phone", self.phone_input),
                                             ("&Email", self.email_input)), size=18))
        self.new_button = QPushButton("New customer (Ctrl+N)", font=font(16))
        self.message_label = QLabel(font=font(16), wordWrap=True)
        column = QVBoxLayout(self)
        for widget in (self.title, self.search, self.list, self.form, self.new_button,
                       self.message_label):
            column.addWidget(widget, 1 if widget is self.list else 0)
        column.addStretch(0)  # the new-customer form (list hidden) stays at the top
        self.search_input.textChanged.connect(presenter.search)
        self.new_button.clicked.connect(presenter.new_customer)
        self.list.itemDoubleClicked.connect(lambda _: presenter.attach(self.list.currentRow()))
        for widget in (self.search_input, self.list, self.name_input, self.phone_input,
                       self.email_input):
            widget.installEventFilter(self)
        presenter.subscribe(self.render)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.KeyPress and self._key(event):  # type: ignore[arg-type]
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: Any) -> bool:
        key, presenter = event.key(), self.presenter
        if key == Qt.Key_Escape:
            presenter.back()
        elif key == Qt.Key_N and event.modifiers() & Qt.ControlModifier:
            presenter.new_customer()
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            if self._mode == "create":
                presenter.create(self.name_input.text(), self.phone_input.text(),
                                 self.email_input.text())
            else:
                presenter.attach()
        elif key in (Qt.Key_Up, Qt.Key_Down) and self._mode == "search":
            presenter.move(-1 if key == Qt.Key_Up else 1)
        else:
            return False
        return True

    def render(self, state: CustomerScreenState) -> None:
        if state.mode != self._mode:
            self._switch(state)
        if [self.list.item(i).text() for i in range(self.list.count())] != state.rows:
            self.list.clear()
            self.list.addItems(state.rows)
        if state.rows:
            self.list.setCurrentRow(state.selected)
        show_message(self.message_label, state.message, state.message_kind)

    def _switch(self, state: CustomerScreenState) -> None:
        """A new mode: show its widgets and start it with the presenter's text."""
        self._mode = state.mode
        creating = state.mode == "create"
        for widget in (self.search, self.list, self.new_button):
            widget.setVisible(not creating)
        self.form.setVisible(creating)
        if creating:
            for field, text in zip((self.name_input, self.phone_input, self.email_input),
                                   state.form, strict=True):
                field.setText(text)
        elif state.mode == "search" and not state.rows:
            self.search_input.blockSignals(True)  # emptying the field is not a search
            self.search_input.clear()
            self.search_input.blockSignals(False)
        if state.mode:
            self.focus()

    def focus(self) -> None:
        if self._mode == "create":
            empty = [f for f in (self.name_input, self.phone_input) if not f.text()]
            (empty[0] if empty else self.email_input).setFocus()
        else:
            self.search_input.setFocus()


class CustomerBar(QWidget):
    """The sale screen's line: the attached customer and the button that opens the screen."""

    def __init__(self, sale_presenter: Any) -> None:
        super().__init__()
        self.label = QLabel(font=font(16, bold=True), objectName="customerLabel")
        self.button = QPushButton("Customer (Ctrl+L)", font=font(16))
        self.points_button = QPushButton("Pay with points (Ctrl+Shift+L)", font=font(16))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 3)
        for button in (self.points_button, self.button):
            button.setMinimumHeight(48)
            row.addWidget(button, 1)
        customers = sale_presenter.customers
        self.setVisible(customers is not None)
        if customers is not None:
            self.button.clicked.connect(customers.open)
            self.points_button.clicked.connect(customers.redeem)
            sale_presenter.subscribe(self.render)

    def render(self, state: Any) -> None:
        self.label.setText(state.customer_text or "No customer — Ctrl+L to find or add one")
        self.points_button.setVisible(bool(state.paying and state.customer_text))
