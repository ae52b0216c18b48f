"""The parked-sales list: renders `ParkedScreenState`; Up/Down, Enter recalls, Esc goes back."""

from __future__ import annotations

from .parked_presenter import ParkedPresenter, ParkedScreenState
from .qt import QEvent, QKeyEvent, QLabel, QListWidget, QObject, Qt, QVBoxLayout, QWidget
from .widgets import MESSAGE_COLOURS, font


class ParkedPage(QWidget):
    def __init__(self, presenter: ParkedPresenter) -> None:
        super().__init__()
        self.presenter = presenter
        self.title = QLabel("Parked sales — recall (Ctrl+U)", font=font(26, bold=True))
        self.list = QListWidget(objectName="parkedList", font=font(18))
        self.message_label = QLabel(font=font(16), wordWrap=True)
        column = QVBoxLayout(self)
        for widget in (self.title, self.list, self.message_label):
            column.addWidget(widget)
        self.list.installEventFilter(self)
        presenter.subscribe(self.render)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # the list's keys are ours
        if event.type() == QEvent.KeyPress and self._key(event.key()):  # type: ignore[attr-defined]
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event.key()):
            super().keyPressEvent(event)

    def _key(self, key: int) -> bool:
        if key == Qt.Key_Escape:
            self.presenter.close()
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            self.presenter.recall()
        elif key in (Qt.Key_Up, Qt.Key_Down):
            self.presenter.move(-1 if key == Qt.Key_Up else 1)
        else:
            return False
        return True

    def render(self, state: ParkedScreenState) -> None:
        if [self.list.item(i).text() for i in range(self.list.count())] != state.rows:
            self.list.clear()
            self.list.addItems(state.rows)
        if state.rows:
            self.list.setCurrentRow(state.selected)
        self.message_label.setText(state.message)
        colour = MESSAGE_COLOURS.get(state.message_kind, MESSAGE_COLOURS["info"])
        self.message_label.setStyleSheet(f"color: {colour};")

    def focus(self) -> None:
        self.list.setFocus()
