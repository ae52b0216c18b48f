"""The variant picker: renders `VariantScreenState`; Up/Down, Enter or a touch picks, Esc cancels."""

from __future__ import annotations

from .pick_list_page import PickListPage
from .variant_presenter import VariantPresenter, VariantRow, VariantScreenState
from .widgets import show_message


def row_text(row: VariantRow) -> str:
    return "    ".join(part for part in (row.attributes, row.price, row.stock) if part)


class VariantPage(PickListPage):
    def __init__(self, presenter: VariantPresenter) -> None:
        super().__init__("variantList", row_points=22)
        self.presenter = presenter
        self.list.setStyleSheet("QListWidget::item { min-height: 56px; }")  # a finger's width
        self.list.itemClicked.connect(lambda item: presenter.choose(self.list.row(item)))
        presenter.subscribe(self.render)

    def pick(self) -> None:
        self.presenter.choose()

    def back(self) -> None:
        self.presenter.cancel()

    def move_selection(self, step: int) -> None:
        self.presenter.move(step)

    def render(self, state: VariantScreenState) -> None:
        self.title.setText(f"Choose {state.title}" if state.title else "")
        self.show_rows([row_text(row) for row in state.rows], state.selected)
        show_message(self.message_label, state.message, state.message_kind)
