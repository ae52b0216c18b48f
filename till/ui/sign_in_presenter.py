"""The sign-in screen's logic, without widgets: pick your name, type your PIN, or scan a badge.

A PIN is checked with argon2 (slow on purpose) through `runner`: the till gives it the UI's
worker thread, so the screen keeps painting meanwhile; a badge is one hash, checked at once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from ..staff import Session, SignIn, SignInRefused, TillUser
from .background import Inline, Runner
from .screen_presenter import ScreenPresenter


@dataclass(slots=True)
class SignInState:
    users: list[TillUser] = field(default_factory=list)
    selected: int | None = None  # index into users
    message: str = "Choose your name, type your PIN and press Enter — or scan your badge"
    message_kind: str = "info"


class SignInPresenter(ScreenPresenter[SignInState]):
    def __init__(self, sign_in: SignIn, on_signed_in: Callable[[Session], None],
                 runner: Runner | None = None) -> None:
        self._sign_in, self._on_signed_in = sign_in, on_signed_in
        self.runner: Runner = runner or Inline()
        self._checking = False  # a PIN is being checked: one at a time
        super().__init__(SignInState())

    def refresh(self) -> None:
        """Reload the users (HQ may have added some since); keep the chosen one if still there."""
        chosen = self._chosen()
        self.state.users = self._sign_in.users()
        ids = [u.user_id for u in self.state.users]
        self.state.selected = ids.index(chosen.user_id) if chosen and chosen.user_id in ids else None
        if not self.state.users:
            self._show("No till users yet — this till gets them from HQ; check the sync status "
                       "below", "error")
        else:
            self._notify()

    def select(self, index: int | None) -> None:
        self.state.selected = index
        if (user := self._chosen()) is not None:
            self._show(f"{user.name}: type your PIN and press Enter")

    def submit(self, text: str) -> bool:
        """Enter in the PIN field: a badge scan if it is a known badge, else the chosen user's PIN.
        True when signed in — or, with a worker, when the PIN is being checked."""
        if self._checking:
            return False
        chosen = self._chosen()
        user_id, runner = (chosen.user_id if chosen else ""), self.runner
        if text.strip() and self._sign_in.is_badge(text):  # one sha256: no need for the worker
            task, runner = (lambda: self._sign_in.with_badge(text)), Inline()
        else:
            task = lambda: self._sign_in.with_pin(user_id, text)  # noqa: E731
            self._show("Checking the PIN…")
        self._checking, outcome = True, []
        runner.run(task, lambda done: outcome.append(self._signed_in(done)))
        return outcome[0] if outcome else True

    def _signed_in(self, done: Future) -> bool:  # type: ignore[type-arg]
        self._checking = False
        try:
            session = done.result()
        except SignInRefused as exc:
            self._show(str(exc), "error")
            return False
        self.state.selected = None
        self._show(SignInState().message)
        self._on_signed_in(session)
        return True

    def _chosen(self) -> TillUser | None:
        i = self.state.selected
        return self.state.users[i] if i is not None and 0 <= i < len(self.state.users) else None

    def _show(self, message: str, kind: str = "info") -> None:
        self.state.message, self.state.message_kind = message, kind
        self._notify()

