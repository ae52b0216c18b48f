"""Real-time status of an ESC/POS printer: DLE EOT n, n = 1..4 (Epson ESC/POS reference,
"DLE EOT"). Each answer is one byte with bits 1 and 4 set and bits 0 and 7 clear."""

from __future__ import annotations

from dataclasses import dataclass

from .transports import ByteTransport, DeviceError

DLE_EOT = b"\x10\x04"
PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR = 1, 2, 3, 4
FIXED_MASK, FIXED_BITS = 0x93, 0x12  # bits 0,1,4,7 of every status byte: 0,1,1,0

# n=1 printer status
DRAWER_PIN3_HIGH, OFFLINE = 0x04, 0x08
# n=2 offline cause
COVER_OPEN, FEED_BUTTON, PAPER_END_STOP, ERROR_OCCURRED = 0x04, 0x08, 0x20, 0x40
# n=3 error cause
CUTTER_ERROR, UNRECOVERABLE, AUTO_RECOVERABLE = 0x08, 0x20, 0x40
# n=4 roll paper sensor
PAPER_NEAR_END, PAPER_END = 0x0C, 0x60


class StatusError(DeviceError):
    pass


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    online: bool
    drawer_pin3_high: bool
    cover_open: bool
    paper_out: bool
    paper_near_end: bool
    cutter_error: bool
    unrecoverable_error: bool

    def drawer_open(self, open_when_pin3_high: bool = True) -> bool:
        return self.drawer_pin3_high == open_when_pin3_high

    def problems(self) -> list[str]:
        """Short texts for the status bar, worst first; empty when the printer is fine."""
        checks = [(self.unrecoverable_error, "printer error — switch it off and on"),
                  (self.paper_out, "out of paper"), (self.cover_open, "cover open"),
                  (self.cutter_error, "cutter jammed"), (not self.online, "offline"),
                  (self.paper_near_end, "paper running low")]
        return [text for bad, text in checks if bad]


def query(transport: ByteTransport, n: int, timeout: float = 1.0) -> int:
    """Send DLE EOT n and return the answering status byte."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n is 1..4")
    transport.write(DLE_EOT + bytes([n]))
    answer = transport.read(1, timeout)
    if not answer:
        raise StatusError(f"no answer to DLE EOT {n} within {timeout:.1f} s — "
                          "does this printer/interface report status?")
    if answer[0] & FIXED_MASK != FIXED_BITS:
        raise StatusError(f"answer 0x{answer[0]:02x} to DLE EOT {n} is not a status byte")
    return answer[0]


def read_printer_status(transport: ByteTransport, timeout: float = 1.0) -> PrinterStatus:
    """Ask all four statuses on an open transport that can read."""
    printer, offline, error, paper = (query(transport, n, timeout) for n in (1, 2, 3, 4))
    return interpret(printer, offline, error, paper)


def interpret(printer: int, offline: int, error: int, paper: int) -> PrinterStatus:
    return PrinterStatus(
        online=not printer & OFFLINE,
        drawer_pin3_high=bool(printer & DRAWER_PIN3_HIGH),
        cover_open=bool(offline & COVER_OPEN),
        paper_out=bool(paper & PAPER_END) or bool(offline & PAPER_END_STOP),
        paper_near_end=bool(paper & PAPER_NEAR_END),
        cutter_error=bool(error & CUTTER_ERROR),
        unrecoverable_error=bool(error & UNRECOVERABLE),
    )
