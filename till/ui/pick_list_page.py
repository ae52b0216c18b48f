"""A full-screen list to pick from: a title, rows, a message line. Up/Down move, Enter picks,
Esc goes back; the keys are the page's whichever widget has focus. Subclasses say what picking
and going back do (`pick`, `back`) and which rows to show (`show_rows`)."""

from __future__ import annotations

from .qt import QEvent, QKeyEvent, QLabel, QListWidget, QObject, Qt, QVBoxLayout, QWidget
from .widgets import font


class PickListPage(QWidget):
    def __init__(self, list_name: str, title: str = "", row_points: int = 18) -> None:
        super().__init__()
        self.title = QLabel(title, font=font(26, bold=True), wordWrap=True)
        self.list = QListWidget(objectName=list_name, font=font(row_points))
        self.message_label = QLabel(font=font(16), wordWrap=True)
        column = QVBoxLayout(self)
        for widget in (self.title, self.list, self.message_label):
            column.addWidget(widget)
        self.list.installEventFilter(self)

    def pick(self) -> None:
        raise NotImplementedError

    def back(self) -> None:
        raise NotImplementedError

    def move_selection(self, step: int) -> None:
        raise NotImplementedError

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # the list's keys are ours
        if event.type() == QEvent.KeyPress and self._key(event.key()):  # type: ignore[attr-defined]
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event.key()):
            super().keyPressEvent(event)

    def _key(self, key: int) -> bool:
        if key == Qt.Key_Escape:
            self.back()
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            self.pick()
        elif key in (Qt.Key_Up, Qt.Key_Down):
            self.move_selection(-1 if key == Qt.Key_Up else 1)
        else:
            return False
        return True

    def show_rows(self, texts: list[str], selected: int) -> None:
        """Redraw only when the rows changed, so the list keeps its scroll position."""
        if [self.list.item(i).text() for i in range(self.list.count())] != texts:
            self.list.clear()
            self.list.addItems(texts)
        if texts:
            self.list.setCurrentRow(selected)

    def focus(self) -> None:
        self.list.setFocus()
