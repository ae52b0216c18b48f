"""The supervisor-override panel's logic, without widgets.

F7 price, F8 discount, Ctrl+Delete void a line once payment started, Ctrl+Shift+Delete cancel a
sale in payment, F11 no-sale. The panel asks for what the action needs (a value, a reason) and a
supervisor's PIN or badge scan in one form; Enter submits, Esc goes back. A refusal keeps the
panel open with the reason and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..sale.errors import SaleError
from ..sale.overrides import OverrideService
from .screen_presenter import ScreenPresenter

TITLES = {
    "price": "Price override — supervisor",
    "discount": "Discount on the line",
    "void_line": "Void a line after totalling — supervisor",
    "cancel_sale": "Cancel the sale in payment — supervisor",
    "no_sale": "No sale: open the drawer — supervisor",
    "training": "Training mode — supervisor",
}
NO_VALUE = ("", "")  # the action takes no value: only (a reason and) the supervisor


@dataclass(slots=True)
class OverrideScreenState:
    mode: str = ""  # "" hidden | price | discount | void_line | cancel_sale | no_sale
    title: str = ""
    line_text: str = ""  # the line the action is about
    value_label: str = ""  # "" hides the value field
    value_hint: str = ""  # an example, shown in the empty field
    needs_reason: bool = False
    message: str = ""
    message_kind: str = "info"


class OverridePresenter(ScreenPresenter[OverrideScreenState]):
    """`host` is the SalePresenter: its basket, selected line, session and rendering."""

    def __init__(self, service: OverrideService, host: Any) -> None:
        self.service, self._host = service, host
        super().__init__(OverrideScreenState())

    # --- intents -----------------------------------------------------------------------------

    def price(self) -> bool:
        return self._for_line("price", ("New unit price", "e.g. 1.99"), True)

    def discount(self) -> bool:
        return self._for_line("discount", ("Discount", "10% or an amount off each unit, e.g. "
                                                   "0.50"), True)

    def void_line(self) -> bool:
        if not self._host.state.paying:  # before totalling a cashier removes lines freely
            return self._host.remove_line(self._host.state.selected_line)
        return self._for_line("void_line", NO_VALUE, False)

    def cancel_sale(self) -> bool:
        if not self._ready():
            return False
        if not self._host.state.paying:
            self._host.new_sale()
            return True
        return self._open("cancel_sale", f"Cancel the sale of {self._host.basket.total}", NO_VALUE,
                          False)

    def no_sale(self) -> bool:
        if not self._ready():
            return False
        if not self._host.basket.is_empty():
            return self._host._fail("Finish or clear this sale before a no-sale")
        return self._open("no_sale", "", NO_VALUE, True)

    def training(self) -> bool:
        """Ctrl+T: entering training needs a supervisor or manager; leaving it does not."""
        if not self._ready():
            return False
        if self._host.state.training:
            return self._host.set_training(False)
        if not self._host.basket.is_empty() or self._host.state.paying:
            return self._host._fail("Finish or clear this sale before switching training mode")
        return self._open("training", "Sales made in training are not real: nothing is sold",
                          NO_VALUE, False)

    def submit(self, value: str, reason: str, code: str) -> bool:
        who, basket, line_no = self._host.session, self._host.basket, self._host.state.selected_line
        svc, mode = self.service, self.state.mode
        try:
            if mode == "price":
                price = svc.price_override(basket, line_no, value, reason, who, code)
                done = f"Price of line {line_no} is now {price}"
            elif mode == "discount":
                price = svc.discount(basket, line_no, value, reason, who, code)
                done = f"Discount applied: line {line_no} now {price} each"
            elif mode == "void_line":
                done = f"Voided {svc.void_line(basket, line_no, who, code)} (supervisor approved)"
                self._host.refresh_payment()
            elif mode == "cancel_sale":
                svc.cancel_sale(basket, who, code)
                self.close()
                self._host.new_sale()
                return self._host._done("Sale cancelled (supervisor approved) — scan an item")
            elif mode == "training":
                svc.approve(code)  # a supervisor or manager; refused otherwise
                self.close()
                return self._host.set_training(True)
            elif mode == "no_sale":
                svc.no_sale(who, code, reason)
                done = "No sale recorded — drawer open"
            else:
                return False
        except SaleError as exc:
            return self._render(str(exc), "error")
        self.close()
        if mode in ("price", "discount"):
            self._host.refresh_payment()
        return self._host._done(done, line_no)

    def close(self) -> None:
        self.state.mode = ""
        self._render("")

    # --- helpers -----------------------------------------------------------------------------

    def _ready(self) -> bool:
        if self._host.session is None:
            return self._host._fail("Sign in first")
        return True

    def _for_line(self, mode: str, value: tuple[str, str], reason: bool) -> bool:
        if not self._ready():
            return False
        line_no = self._host.state.selected_line
        if line_no is None or self._host.basket.is_empty():
            return self._host._fail("Select a line first (Up/Down)")
        line = self._host.basket.line(line_no)
        text = f"Line {line_no}: {line.quantity} x {line.product.name} @ {line.unit_price}"
        return self._open(mode, text, value, reason)

    def _open(self, mode: str, line_text: str, value: tuple[str, str], reason: bool) -> bool:
        """`value`: the value field's (label, example); ("", "") when the action takes none."""
        s = self.state
        s.mode, s.title, s.line_text, s.needs_reason = mode, TITLES[mode], line_text, reason
        s.value_label, s.value_hint = value
        ask = "Supervisor: type your PIN or scan your badge, then Enter"
        if mode == "discount":
            ask = ("Within your limit no supervisor is needed; above it a supervisor types "
                   "their PIN or scans their badge. Enter applies")
        return self._render(ask)
