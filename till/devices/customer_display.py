"""Customer displays: what the customer sees of the sale, told the same three events.

The pole display (through `Hardware`) and the second-screen window both implement
`CustomerDisplay`; `WithCustomerDisplays` hands the sale one object that tells them all and
keeps the drawer where it was, so the sale presenter feeds any number of displays unchanged.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)


class CustomerDisplay(Protocol):
    """Money arrives formatted; every call returns at once."""

    def line_added(self, name: str, price: str, quantity: int = 1) -> None: ...
    def paying(self, total: str) -> None: ...
    def sale_completed(self, paid: str, change: str, cash: bool) -> None: ...


class WithCustomerDisplays:
    """The sale's devices (`devices`: pole display and drawer, may be None) plus `displays`."""

    def __init__(self, devices: Any, displays: list[CustomerDisplay]) -> None:
        self.devices, self.displays = devices, displays

    def _all(self) -> list[Any]:
        return [d for d in (self.devices, *self.displays) if d is not None]

    def line_added(self, name: str, price: str, quantity: int = 1) -> None:
        for display in self._all():
            _tell(display.line_added, name, price, quantity)

    def paying(self, total: str) -> None:
        for display in self._all():
            _tell(display.paying, total)

    def sale_completed(self, paid: str, change: str, cash: bool) -> None:
        for display in self._all():
            _tell(display.sale_completed, paid, change, cash)

    def open_drawer(self) -> Any:
        return self.devices.open_drawer() if self.devices is not None else None

    def __getattr__(self, name: str) -> Any:  # anything else the sale asks of its devices
        return getattr(self.devices, name)


def _tell(call: Any, *args: Any) -> None:
    try:
        call(*args)
    except Exception:  # one display's fault must never stop the sale or the other displays
        log.exception("customer display failed")
