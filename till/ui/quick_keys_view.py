"""The quick-key grid: renders `QuickKeysScreenState` as large buttons; keys move, Enter adds.

The grid stays open after each key so several items can be tapped; Done or Esc closes it."""

from __future__ import annotations

from .qt import (
    QEvent,
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from .quick_keys_presenter import COLUMNS, QuickKeysPresenter, QuickKeysScreenState
from .widgets import font, show_message

KEY_HEIGHT = 96  # large touch targets, readable at arm's length
SELECTED_STYLE = "border: 4px solid #2563eb;"


class QuickKeysPage(QWidget):
    def __init__(self, presenter: QuickKeysPresenter) -> None:
        super().__init__()
        self.presenter = presenter
        self.title = QLabel(font=font(26, bold=True))
        self.grid_host = QWidget(objectName="quickKeyGrid")
        self.grid = QGridLayout(self.grid_host)
        self.buttons: list[QPushButton] = []
        self.message_label = QLabel(font=font(16), wordWrap=True)
        self.done_button = QPushButton("Done (Esc)", font=font(18, bold=True))
        self.done_button.setMinimumHeight(64)
        self.done_button.setFocusPolicy(Qt.NoFocus)  # the keys keep the keyboard
        self.done_button.clicked.connect(presenter.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message_label, 3)
        bottom.addWidget(self.done_button, 1)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.grid_host, 1)
        column.addLayout(bottom)
        self.setFocusPolicy(Qt.StrongFocus)
        presenter.subscribe(self.render)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # the buttons' keys are ours
        if event.type() == QEvent.KeyPress and self._key(event.key()):  # type: ignore[attr-defined]
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event.key()):
            super().keyPressEvent(event)

    def _key(self, key: int) -> bool:
        steps = {Qt.Key_Left: -1, Qt.Key_Right: 1, Qt.Key_Up: -COLUMNS, Qt.Key_Down: COLUMNS}
        if key == Qt.Key_Escape:
            self.presenter.close()
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            self.presenter.press()
        elif key in steps:
            self.presenter.move(steps[key])
        elif key in (Qt.Key_PageUp, Qt.Key_PageDown):
            self.presenter.turn_page(-1 if key == Qt.Key_PageUp else 1)
        else:
            return False
        return True

    def render(self, state: QuickKeysScreenState) -> None:
        page = state.pages[state.page] if state.pages else ""
        count = f" ({state.page + 1}/{len(state.pages)})" if len(state.pages) > 1 else ""
        self.title.setText(f"Quick keys — {page}{count}" if page else "Quick keys")
        texts = [f"{k.label}\n{k.price}" for k in state.keys]
        if [b.text() for b in self.buttons] != texts:
            self._rebuild(texts)
        for index, button in enumerate(self.buttons):
            button.setStyleSheet(SELECTED_STYLE if index == state.selected else "")
        show_message(self.message_label, state.message, state.message_kind)

    def _rebuild(self, texts: list[str]) -> None:
        for button in self.buttons:
            self.grid.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for index, text in enumerate(texts):
            button = QPushButton(text, font=font(18, bold=True))
            button.setMinimumHeight(KEY_HEIGHT)
            button.clicked.connect(lambda _=False, i=index: self.presenter.press(i))
            button.installEventFilter(self)
            self.grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.buttons.append(button)

    def focus(self) -> None:
        (self.buttons[0] if self.buttons else self).setFocus()
