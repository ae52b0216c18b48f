"""The variant picker: renders `VariantScreenState`; Up/Down, Enter or a touch picks, Esc cancels."""

from __future__ import annotations

from .qt import QEvent, QKeyEvent, QLabel, QListWidget, QObject, Qt, QVBoxLayout, QWidget
from .variant_presenter import VariantPresenter, VariantRow, VariantScreenState
from .widgets import MESSAGE_COLOURS, font


def row_text(row: VariantRow) -> str:
    return "    ".join(part for part in (row.attributes, row.price, row.stock) if part)


class VariantPage(QWidget):
    def __init__(self, presenter: VariantPresenter) -> None:
        super().__init__()
        self.presenter = presenter
        self.title = QLabel(font=font(26, bold=True), wordWrap=True)
        self.list = QListWidget(objectName="variantList", font=font(22))
        self.list.setStyleSheet("QListWidget::item { min-height: 56px; }")  # a finger's width
        self.message_label = QLabel(font=font(16), wordWrap=True)
        column = QVBoxLayout(self)
        for widget in (self.title, self.list, self.message_label):
            column.addWidget(widget)
        self.list.installEventFilter(self)
        self.list.itemClicked.connect(lambda item: presenter.choose(self.list.row(item)))
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
            self.presenter.cancel()
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            self.presenter.choose()
        elif key in (Qt.Key_Up, Qt.Key_Down):
            self.presenter.move(-1 if key == Qt.Key_Up else 1)
        else:
            return False
        return True

    def render(self, state: VariantScreenState) -> None:
        self.title.setText(f"Choose {state.title}" if state.title else "")
        texts = [row_text(row) for row in state.rows]
        if [self.list.item(i).text() for i in range(self.list.count())] != texts:
            self.list.clear()
            self.list.addItems(texts)
        if state.rows:
            self.list.setCurrentRow(state.selected)
        self.message_label.setText(state.message)
        colour = MESSAGE_COLOURS.get(state.message_kind, MESSAGE_COLOURS["info"])
        self.message_label.setStyleSheet(f"color: {colour};")

    def focus(self) -> None:
        self.list.setFocus()
