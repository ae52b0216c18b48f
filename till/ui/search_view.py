"""The search results under the scan field: a list shown while typed words match products."""

from __future__ import annotations

from .qt import QFont, QListWidget, Qt
from .search_presenter import SearchPresenter, SearchState

ROW_HEIGHT = 44  # a touch target


class SearchResults(QListWidget):
    def __init__(self, presenter: SearchPresenter) -> None:
        super().__init__(objectName="searchResults")
        font = QFont()
        font.setPointSize(18)
        self.setFont(font)
        self.setStyleSheet(f"QListWidget::item {{ min-height: {ROW_HEIGHT}px; }}")
        self.setFocusPolicy(Qt.NoFocus)  # the scan field keeps the keyboard: Up/Down/Enter go there
        self.itemClicked.connect(lambda item: presenter.choose(self.row(item)))
        self.hide()
        presenter.subscribe(self.render)

    def render(self, state: SearchState) -> None:
        self.clear()
        self.addItems(state.rows)
        if state.selected is not None:
            self.setCurrentRow(state.selected)
        self.setFixedHeight((ROW_HEIGHT + 2) * len(state.rows) + 6)
        self.setVisible(bool(state.rows))
