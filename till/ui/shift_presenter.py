"""The shift panel's logic, without widgets: open with a float, paid in/out/drop, X, Z close.

The Z count is blind: the expected amount is shown only after the count is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from shared.cash import denominations
from shared.money import Money, MoneyError

from ..receipt.report import render_report_text
from ..shift import ShiftError, ShiftService, cash_count
from ..shift.report import ms_to_local
from ..staff import Session
from .screen_presenter import ScreenPresenter

MOVEMENTS = (("paid_in", "Paid in"), ("paid_out", "Paid out"), ("drop", "Drop to safe"))
NO_SHIFT = "No shift is open — press F2 to open a shift and count the float"


@dataclass(slots=True)
class ShiftScreenState:
    mode: str = ""  # "" hidden | open | movement | report | close
    title: str = ""
    message: str = ""
    message_kind: str = "info"
    report_text: str = ""
    denominations: list[tuple[str, str]] = field(default_factory=list)  # (key, label)
    shift_line: str = NO_SHIFT


class ShiftPresenter(ScreenPresenter[ShiftScreenState]):
    def __init__(self, shifts: ShiftService, currency: str, session: Callable[[], Session | None],
                 busy: Callable[[], str] = lambda: "",
                 done: Callable[[str, str], None] = lambda message, kind: None,
                 open_drawer: Callable[[], None] | None = None) -> None:
        self.shifts, self.currency = shifts, currency
        self._open_drawer = open_drawer or (lambda: None)  # paid in/out, drop, close: cash moves
        self._session, self._busy, self._done = session, busy, done
        super().__init__(ShiftScreenState())
        self.state.denominations = [(str(d), Money(d, currency).format())
                                    for d in denominations(currency)]
        self._render("")

    # --- intents (keys F2, F3, F4, Enter, Esc) ----------------------------------------------

    def open_or_close(self) -> bool:
        if (who := self._who()) is None:
            return False
        if self.shifts.current() is None:
            return self._show("open", "Open shift — count the float",
                              "Type the float or the pieces of each note and coin, then Enter")
        if busy := self._busy():
            return self._refuse(busy)
        return self._show("close", f"Close shift — blind count by {who.name}",
                          "Count the drawer: pieces of each note and coin, then Enter")

    def movement(self) -> bool:
        if self._who() is None or not self._shift_open():
            return False
        return self._show("movement", "Paid in / paid out / drop",
                          "Choose the kind, type the amount and a reason, then Enter")

    def x_report(self) -> bool:
        if (who := self._who()) is None or not self._shift_open():
            return False
        report, _ = self.shifts.print_x_report(who.name)
        self.state.report_text = render_report_text(report)
        return self._show("report", "X report (the shift stays open)", "Sent to the printer. Esc to go back")

    def submit_float(self, amount_text: str, pieces: Mapping[str, str]) -> bool:
        return self._run(lambda who: self._open(who, amount_text, pieces))

    def submit_movement(self, kind: str, amount_text: str, reason: str) -> bool:
        return self._run(lambda who: self._move(who, kind, amount_text, reason))

    def submit_count(self, pieces: Mapping[str, str], amount_text: str = "") -> bool:
        return self._run(lambda who: self._close(who, amount_text, pieces))

    def close_panel(self) -> None:
        self.state.mode, self.state.report_text = "", ""
        self._render("")

    # --- work -----------------------------------------------------------------------------

    def _open(self, who: Session, amount_text: str, pieces: Mapping[str, str]) -> None:
        shift = self.shifts.open_shift(self._count(amount_text, pieces), who.name, by_id=who.user_id)
        self.close_panel()
        self._done(f"Shift open — float {Money(shift.float_minor, shift.currency)}. "
                   "Scan an item to start a sale", "success")

    def _move(self, who: Session, kind: str, amount_text: str, reason: str) -> None:
        event = self.shifts.record_movement(kind, self._money(amount_text), reason, who.name,
                                            by_id=who.user_id)
        self._open_drawer()
        self.close_panel()
        name = dict(MOVEMENTS)[kind]
        self._done(f"{name} {Money(event.amount_minor, event.currency)} recorded ({event.reason})", "success")

    def _close(self, who: Session, amount_text: str, pieces: Mapping[str, str]) -> None:
        closed = self.shifts.close_shift(self._count(amount_text, pieces), who.name,
                                         by_id=who.user_id)
        self._open_drawer()
        self.state.report_text = closed.text
        diff = closed.report.over_short
        verdict = "even" if not diff or diff.minor == 0 else (
            f"over {diff}" if diff.minor > 0 else f"short {-diff}")
        self._show("report", "Z report — shift closed",
                   f"Shift closed: expected {closed.report.expected_cash}, counted "
                   f"{closed.report.count.counted if closed.report.count else ''}, {verdict}. "
                   "Printing the Z report. Esc to go back", "success")

    def _count(self, amount_text: str, pieces: Mapping[str, str]):  # noqa: ANN202
        counted: dict[str, int] = {}
        for key, text in pieces.items():
            if text.strip():
                if not text.strip().isdigit():
                    raise ShiftError(f"“{text}” is not a number of pieces")
                counted[key] = int(text.strip())
        amount = self._money(amount_text) if amount_text.strip() and not counted else None
        return cash_count(self.currency, amount=amount, by_denomination=counted)

    def _money(self, text: str) -> Money:
        try:
            return Money.parse(text or "", self.currency)
        except MoneyError:
            raise ShiftError(f"“{text}” is not an amount — e.g. 20 or 20.00") from None

    def _run(self, action: Callable[[Session], None]) -> bool:
        if (who := self._who()) is None:
            return False
        try:
            action(who)
        except ShiftError as exc:
            return self._refuse(str(exc))
        return True

    def _who(self) -> Session | None:
        who = self._session()
        if who is None:
            self._refuse("Sign in first")
        return who

    def _shift_open(self) -> bool:
        return self.shifts.current() is not None or self._refuse(NO_SHIFT)

    def _show(self, mode: str, title: str, message: str, kind: str = "info") -> bool:
        self.state.mode, self.state.title = mode, title
        self._render(message, kind)
        return True

    def _refuse(self, message: str) -> bool:
        if self.state.mode:
            self._render(message, "error")
        else:
            self._done(message, "error")  # no panel showing: the sale screen says it
        return False

    def _render(self, message: str, kind: str = "info") -> None:
        shift = self.shifts.current()
        self.state.shift_line = NO_SHIFT if shift is None else (
            f"Shift open since {ms_to_local(shift.opened_at_ms):%H:%M} by {shift.opened_by}")
        self.state.message, self.state.message_kind = message, kind
        self._notify()
