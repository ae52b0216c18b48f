"""Parking and recalling baskets, without widgets.

Ctrl+P parks the basket (not while paying) and clears the screen; Ctrl+U opens the list of parked
baskets (time, cashier, items, total). Up/Down select, Enter recalls into the (empty) basket and
takes it off the list, Esc goes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..sale import SaleError
from ..sale.parking import ParkedSale, ParkingService
from .screen_presenter import ScreenPresenter


@dataclass(slots=True)
class ParkedScreenState:
    mode: str = ""  # "" hidden | "recall"
    rows: list[str] = field(default_factory=list)  # "14:02  Ana  3 items  €12.40"
    selected: int = 0
    message: str = ""
    message_kind: str = "info"


class ParkedPresenter(ScreenPresenter[ParkedScreenState]):
    """`host` is the SalePresenter: its session, basket and rendering."""

    def __init__(self, service: ParkingService, host: Any) -> None:
        self.service, self._host = service, host
        super().__init__(ParkedScreenState())
        self._parked: list[ParkedSale] = []

    def park(self) -> bool:
        host = self._host
        if host.session is None:
            return host._fail("Sign in first")
        if host.state.paying:
            return host._fail("Cancel the payment first (Esc), then park the sale (Ctrl+P)")
        try:
            parked = self.service.park(host.basket, host.session.name)
        except SaleError as exc:
            return host._fail(str(exc))
        host.basket = host._new_basket(host.basket.currency)
        host.state.change_due = None
        return host._done(f"Sale parked ({parked.item_count} items, {parked.total}) — "
                          "Ctrl+U recalls it")

    def open(self) -> bool:
        host = self._host
        if host.session is None:
            return host._fail("Sign in first")
        if not host.basket.is_empty():
            return host._fail("Finish, park (Ctrl+P) or clear this sale before recalling another")
        self._parked = self.service.parked()
        if not self._parked:
            return host._fail("No parked sales")
        self.state.mode, self.state.selected = "recall", 0
        self.state.rows = [p.describe() for p in self._parked]
        return self._render("Up/Down choose a parked sale, Enter recalls it, Esc goes back")

    def move(self, step: int) -> None:
        if self._parked:
            self.state.selected = min(max(self.state.selected + step, 0), len(self._parked) - 1)
            self._render(self.state.message)

    def recall(self, index: int | None = None) -> bool:
        index = self.state.selected if index is None else index
        if not 0 <= index < len(self._parked):
            return self._render("Choose a parked sale first", "error")
        host, parked = self._host, self._parked[index]
        try:
            basket, notes = self.service.recall(parked.park_id, host.basket.currency)
        except SaleError as exc:
            return self._render(str(exc), "error")
        self.close()
        basket.pricing = host.basket.pricing  # priced by the store's rules now, like a new sale
        host.basket = basket
        return host._done(" · ".join([f"Recalled {parked.cashier}'s sale, {parked.total}", *notes]))

    def close(self) -> None:
        self.state.mode, self._parked, self.state.rows = "", [], []
        self._render("")
