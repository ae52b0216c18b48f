"""The second-screen customer display's logic, without widgets.

A `CustomerDisplay` (the pole display's three events: line added, paying, sale completed) that
also follows the sale screen's state for the whole list of lines, so a removed or re-priced line
disappears for the customer too. Idle — no basket, or the change shown for a while — it greets.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .screen_presenter import ScreenPresenter

CHANGE_SHOWN_SECONDS = 30.0


@dataclass(slots=True)
class CustomerScreenState:
    welcome: str = "Welcome"
    idle: bool = True  # shows only the welcome text
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (name, qty, line total)
    last_item: str = ""  # the line just scanned, big: "Milk 1L  €1.19"
    total_text: str = ""
    paid_text: str = ""
    change_text: str = ""  # set once the sale is complete: "Change €3.81"


class CustomerScreenPresenter(ScreenPresenter[CustomerScreenState]):
    def __init__(self, welcome: str = "Welcome",
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(CustomerScreenState(welcome=welcome))
        self._clock, self._completed_at = clock, 0.0
        self._sale_total = ""  # kept: the sale screen empties its basket before "completed"

    # --- the sale screen's state (lines, total) ----------------------------------------------

    def sale_state(self, sale: Any) -> None:
        """SalePresenter observer: every change of the basket."""
        s = self.state
        if sale.lines:
            s.lines = [(ln.name, str(ln.quantity), ln.total_text) for ln in sale.lines]
            s.total_text, s.change_text, s.paid_text = sale.total_text, "", ""
            self._sale_total = sale.total_text
            s.idle = False
        elif not s.change_text:  # emptied without a sale (cancelled, parked): greet again
            self._idle()
        self._notify()

    # --- CustomerDisplay ---------------------------------------------------------------------

    def line_added(self, name: str, price: str, quantity: int = 1) -> None:
        self.state.last_item = f"{quantity} x {name}  {price}" if quantity != 1 else \
            f"{name}  {price}"
        self._notify()

    def paying(self, total: str) -> None:
        self.state.total_text = f"To pay {total}"
        self._notify()

    def sale_completed(self, paid: str, change: str, cash: bool) -> None:
        s = self.state
        s.idle, s.lines, s.last_item = False, [], "Thank you!"
        s.total_text = self._sale_total
        s.paid_text, s.change_text = f"Paid {paid}", f"Change {change}"
        self._completed_at = self._clock()
        self._notify()

    def tick(self) -> None:
        """The view's timer: the change stays up for a while, then the welcome returns."""
        if self.state.change_text and self._clock() - self._completed_at >= CHANGE_SHOWN_SECONDS:
            self._idle()
            self._notify()

    def _idle(self) -> None:
        s = self.state
        s.idle, s.lines, s.last_item = True, [], ""
        s.total_text = s.paid_text = s.change_text = ""
