"""The parked-sales list: renders `ParkedScreenState`; Up/Down, Enter recalls, Esc goes back."""

from __future__ import annotations

from .parked_presenter import ParkedPresenter, ParkedScreenState
from .pick_list_page import PickListPage
from .widgets import show_message


class ParkedPage(PickListPage):
    def __init__(self, presenter: ParkedPresenter) -> None:
        super().__init__("parkedList", "Parked sales — recall (Ctrl+U)")
        self.presenter = presenter
        presenter.subscribe(self.render)

    def pick(self) -> None:
        self.presenter.recall()

    def back(self) -> None:
        self.presenter.close()

    def move_selection(self, step: int) -> None:
        self.presenter.move(step)

    def render(self, state: ParkedScreenState) -> None:
        self.show_rows(state.rows, state.selected)
        show_message(self.message_label, state.message, state.message_kind)
