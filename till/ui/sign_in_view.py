"""The sign-in screen: renders `SignInState`, forwards choices and the PIN to `SignInPresenter`.

Keyboard: Up/Down choose a name (the PIN field keeps focus), digits type the PIN, Enter signs in,
Esc clears. Touch: tap a name, the keypad, OK. A badge scanner types into the PIN field and
presses Enter, which signs in too.
"""

from __future__ import annotations

from .qt import (
    QEvent,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from .sign_in_presenter import SignInPresenter, SignInState
from .widgets import font, show_message

KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK")


class SignInPage(QWidget):
    def __init__(self, presenter: SignInPresenter) -> None:
        super().__init__()
        self.presenter = presenter
        self._build()
        presenter.subscribe(self.render)

    def _build(self) -> None:
        self.title = QLabel("Sign in", font=font(28, bold=True))
        self.user_list = QListWidget(objectName="signInUsers", font=font(20))
        self.user_list.setMinimumWidth(320)
        self.pin_input = QLineEdit(objectName="pinInput", font=font(26))
        self.pin_input.setProperty("acceptsScans", True)  # badge/receipt scans type here
        self.pin_input.setEchoMode(QLineEdit.Password)
        self.pin_input.setPlaceholderText("PIN, then Enter")  # the line below says the rest
        self.keys: dict[str, QPushButton] = {}
        keypad = QGridLayout()
        for i, label in enumerate(KEYPAD):
            button = QPushButton(label, font=font(22, bold=True))
            button.setMinimumSize(96, 72)  # a thumb, not a mouse pointer
            button.setFocusPolicy(Qt.NoFocus)  # the PIN field keeps the keyboard and scanner
            button.clicked.connect(lambda _=False, key=label: self._key(key))
            keypad.addWidget(button, i // 3, i % 3)
            self.keys[label] = button
        self.message_label = QLabel(font=font(18), wordWrap=True)
        self.message_label.setMinimumHeight(60)

        right = QVBoxLayout()
        pin_label = QLabel("&PIN or badge", font=font(18))  # stays in sight while typing
        pin_label.setBuddy(self.pin_input)
        right.addWidget(pin_label)
        right.addWidget(self.pin_input)
        right.addLayout(keypad)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.user_list, 1)
        row.addLayout(right, 1)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(row, 1)
        column.addWidget(self.message_label)

        self.pin_input.returnPressed.connect(self._submit)
        self.user_list.currentRowChanged.connect(self._chosen)
        self.pin_input.installEventFilter(self)

    def focus(self) -> None:
        self.pin_input.setFocus()

    def _key(self, key: str) -> None:
        if key == "OK":
            self._submit()
        elif key == "⌫":
            self.pin_input.backspace()
        else:
            self.pin_input.insert(key)
        self.pin_input.setFocus()

    def _submit(self) -> None:
        self.presenter.submit(self.pin_input.text())
        self.pin_input.clear()

    def _chosen(self, row: int) -> None:
        self.presenter.select(row if row >= 0 else None)
        self.pin_input.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Up, Qt.Key_Down):
            count = self.user_list.count()
            if count:
                step = -1 if event.key() == Qt.Key_Up else 1
                current = self.user_list.currentRow()
                start = (count if step < 0 else -1) if current < 0 else current
                self.user_list.setCurrentRow(min(max(start + step, 0), count - 1))
            return True
        if event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape:
            self.pin_input.clear()
            return True
        return super().eventFilter(watched, event)

    def render(self, state: SignInState) -> None:
        labels = [f"{u.name}  ·  {u.role}" for u in state.users]
        if labels != [self.user_list.item(i).text() for i in range(self.user_list.count())]:
            self.user_list.blockSignals(True)
            self.user_list.clear()
            self.user_list.addItems(labels)
            self.user_list.blockSignals(False)
        if self.user_list.currentRow() != (-1 if state.selected is None else state.selected):
            self.user_list.blockSignals(True)
            self.user_list.setCurrentRow(-1 if state.selected is None else state.selected)
            self.user_list.blockSignals(False)
        show_message(self.message_label, state.message, state.message_kind)
