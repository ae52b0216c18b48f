"""What every panel's presenter shares: its screen state and the views that draw it.

`subscribe` draws the state at once and on every change; `_render(message, kind)` sets the
state's message line and redraws, answering False for an error so a key handler can
`return self._render("...", "error")`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

State = TypeVar("State")


class ScreenPresenter(Generic[State]):
    def __init__(self, state: State) -> None:
        self.state = state
        self._observers: list[Callable[[State], None]] = []

    def subscribe(self, observer: Callable[[State], None]) -> None:
        self._observers.append(observer)
        observer(self.state)

    def _notify(self) -> None:
        for observer in self._observers:
            observer(self.state)

    def _render(self, message: str, kind: str = "info") -> bool:
        state: Any = self.state  # every panel state with a message line has these two fields
        state.message, state.message_kind = message, kind
        self._notify()
        return kind != "error"
