"""Cash drawer: kicked by the printer (ESC p) or by a byte on its own serial port.

ESC p m t1 t2 (Epson ESC/POS reference, "ESC p"): m=0 pulses connector pin 2, m=1 pin 5;
the pulse is on for t1 and off for t2 units, a unit being 2 ms on most thermal printers.
"""

from __future__ import annotations

from .escpos_status import DRAWER_PIN3_HIGH as PIN3_HIGH
from .escpos_status import PRINTER, query
from .transports import ByteTransport

ESC_P = b"\x1bp"
PIN_CODES = {2: 0, 5: 1}


def kick_bytes(pin: int = 2, on_ms: int = 50, off_ms: int = 500, unit_ms: int = 2) -> bytes:
    if pin not in PIN_CODES:
        raise ValueError("the drawer is on connector pin 2 or pin 5")
    t1, t2 = on_ms // unit_ms, off_ms // unit_ms
    if not (1 <= t1 <= 255 and 1 <= t2 <= 255 and t1 <= t2):
        raise ValueError(f"pulse {on_ms} ms on / {off_ms} ms off does not fit ESC p "
                         f"(1..255 units of {unit_ms} ms, on ≤ off)")
    return ESC_P + bytes([PIN_CODES[pin], t1, t2])


class CashDrawer:
    """`transport` is the printer's (the usual wiring) or, with `trigger`, the drawer's own
    serial port. `open_when_pin3_high` says which level of the switch means "open": it varies
    by drawer, so check yours once (open it, run `is_open`)."""

    def __init__(self, transport: ByteTransport, *, pin: int = 2, on_ms: int = 50,
                 off_ms: int = 500, unit_ms: int = 2, trigger: bytes | None = None,
                 open_when_pin3_high: bool = True) -> None:
        self.transport = transport
        self.kick_command = trigger if trigger is not None else kick_bytes(pin, on_ms, off_ms, unit_ms)
        self.reports_status = trigger is None
        self.open_when_pin3_high = open_when_pin3_high

    @classmethod
    def serial_triggered(cls, transport: ByteTransport, trigger: bytes = b"\x07") -> CashDrawer:
        return cls(transport, trigger=trigger)

    def kick(self) -> None:
        self.transport.write(self.kick_command)

    def is_open(self, timeout: float = 1.0) -> bool:
        """DLE EOT 1, bit 2; only for a printer-connected drawer on a transport that reads."""
        if not self.reports_status:
            raise NotImplementedError("a serial-triggered drawer does not report its state")
        return drawer_is_open(self.transport, self.open_when_pin3_high, timeout)


def drawer_is_open(transport: ByteTransport, open_when_pin3_high: bool = True,
                   timeout: float = 1.0) -> bool:
    """Ask the printer the drawer hangs on (DLE EOT 1, bit 2: the drawer switch, pin 3)."""
    pin3_high = bool(query(transport, PRINTER, timeout) & PIN3_HIGH)
    return pin3_high == open_when_pin3_high
