"""USB HID POS scanners (usage page 0x8C, "Bar Code Scanner"): reports in, scans out.

The report layout is the "Scanned Data Report" of the HID Point of Sale Usage Tables as
Honeywell and Zebra ship it (byte 0 report id 0x02, byte 1 data length, bytes 2-4 AIM
symbology identifier, data from byte 5, last byte bit 0 "more data follows"). It is a
`HidReportLayout` so another vendor's offsets can be configured without code.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from .reader import ReconnectingReader, failure_reason
from .scanner import Scan, ScanListener
from .state import Connection, StateListener

log = logging.getLogger(__name__)
HID_POS_USAGE_PAGE = 0x8C


class HidUnavailable(RuntimeError):
    """hidapi is not installed, or no such device."""


class HidTransport(Protocol):
    def open(self) -> None: ...
    def close(self) -> None: ...
    def read(self, timeout_ms: int) -> bytes: ...  # b"" when nothing arrived in time


@dataclass(frozen=True, slots=True)
class HidReportLayout:
    report_id: int = 0x02
    length_at: int = 1
    aim_at: int = 2  # three bytes, e.g. b"]E0"; zero bytes when the scanner sends none
    data_at: int = 5
    continued_at: int = -1  # bit 0 set: the code goes on in the next report


class HidPosDecoder:
    """Joins continued reports into one scan; ignores reports with another id."""

    def __init__(self, layout: HidReportLayout = HidReportLayout()) -> None:
        self.layout = layout
        self._aim, self._data = "", b""

    def feed(self, report: bytes) -> tuple[str, str] | None:
        """Returns (aim, code) once a scan is complete."""
        lay = self.layout
        if len(report) <= lay.data_at or report[0] != lay.report_id:
            return None
        length = min(report[lay.length_at], len(report) - lay.data_at)
        if not self._data:
            self._aim = report[lay.aim_at:lay.aim_at + 3].rstrip(b"\0").decode("latin-1")
        self._data += report[lay.data_at:lay.data_at + length]
        if report[lay.continued_at] & 0x01:
            return None
        aim, data = self._aim, self._data
        self._aim, self._data = "", b""
        return aim, data.decode("latin-1").rstrip("\r\n")


class HidapiTransport:
    """A real HID device through hidapi (imported on open, so the till runs without it)."""

    def __init__(self, vendor_id: int, product_id: int, serial_number: str | None = None) -> None:
        self.vendor_id, self.product_id, self.serial_number = vendor_id, product_id, serial_number
        self._device = None

    def open(self) -> None:
        hid = import_hid()
        device = hid.device()
        try:
            device.open(self.vendor_id, self.product_id, self.serial_number)
        except OSError as exc:
            raise HidUnavailable(f"HID device {self.vendor_id:04x}:{self.product_id:04x}: "
                                 f"{exc} — plugged in, and readable by this user (udev rule)?") from exc
        self._device = device

    def close(self) -> None:
        if self._device is not None:
            self._device.close()
            self._device = None

    def read(self, timeout_ms: int) -> bytes:
        if self._device is None:
            raise HidUnavailable("HID device is not open")
        return bytes(self._device.read(64, timeout_ms))


class RecordedHidTransport:
    """Plays back recorded reports (tests, and replaying a field capture)."""

    def __init__(self, reports: Iterable[bytes]) -> None:
        self._reports = list(reports)
        self.opened = False

    def open(self) -> None:
        self.opened = True

    def close(self) -> None:
        self.opened = False

    def read(self, timeout_ms: int) -> bytes:
        if self._reports:
            report = self._reports.pop(0)
            if isinstance(report, Exception):
                raise report
            return report
        threading.Event().wait(timeout_ms / 1000)
        return b""


class HidPosScanner(ReconnectingReader):
    """A HID POS scanner as a `ScannerSource`: one reader thread, reconnects with backoff."""

    def __init__(self, transport: HidTransport, name: str = "HID scanner", *,
                 layout: HidReportLayout = HidReportLayout(), on_state: StateListener | None = None,
                 retry_initial: float = 0.2, retry_max: float = 5.0) -> None:
        super().__init__(name, on_state=on_state, retry_initial=retry_initial, retry_max=retry_max)
        self.transport, self.layout = transport, layout

    def _failure(self, exc: Exception) -> tuple[Connection, str]:
        # Without hidapi the device can never connect: an error to fix, not a cable to check.
        if isinstance(exc, HidUnavailable) and "hidapi" in str(exc):
            return Connection.ERROR, str(exc)
        return Connection.DISCONNECTED, failure_reason(exc)

    def _release(self) -> None:
        self.transport.close()

    def _read_until_failure(self, on_scan: ScanListener) -> None:
        decoder = HidPosDecoder(self.layout)
        self.transport.open()
        self._state.set(Connection.CONNECTED)
        while not self._stop.is_set():
            done = decoder.feed(self.transport.read(100))
            if done and done[1]:
                self._deliver(on_scan, Scan(done[1], self._state.current.device, done[0]))


def import_hid():  # type: ignore[no-untyped-def]
    try:
        import hid
    except ImportError as exc:
        raise HidUnavailable("USB HID scanners need the hidapi package: "
                             "pip install 'hidapi>=0.14'") from exc
    return hid
