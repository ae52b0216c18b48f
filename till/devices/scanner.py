"""Barcode scanners as scan sources, and the serial one: framing a byte stream into scans.

A `ScannerSource` calls `on_scan(Scan)` from its own thread; the UI hops to its thread itself
(or uses `ScanQueue`). Scans are raw text: `shared.gs1.normalise(scan.text)` makes them GTINs.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from .reader import ReconnectingReader
from .state import Connection, DeviceState, StateListener

log = logging.getLogger(__name__)
MAX_FRAME = 4096  # a scanner that never sends its terminator must not grow memory forever


@dataclass(frozen=True, slots=True)
class Scan:
    code: str  # the decoded data, prefix/suffix/terminator removed
    device: str
    aim: str = ""  # AIM symbology identifier (e.g. "]E0") when the device reports it apart

    @property
    def text(self) -> str:
        """What `shared.gs1.normalise` wants: the identifier, then the data."""
        return self.aim + self.code


ScanListener = Callable[[Scan], None]


class ScannerSource(Protocol):
    def start(self, on_scan: ScanListener) -> None: ...
    def stop(self) -> None: ...
    def state(self) -> DeviceState: ...


class ScanQueue:
    """A listener that queues scans, for a consumer that polls (`queue.get(timeout=…)`)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[Scan] = queue.Queue()

    def __call__(self, scan: Scan) -> None:
        self.queue.put(scan)


class ScanFramer:
    """Bytes in, codes out: partial reads are kept, several codes in one read all come out."""

    def __init__(self, terminator: bytes = b"\r", prefix: str = "", suffix: str = "",
                 encoding: str = "latin-1") -> None:
        if not terminator:
            raise ValueError("a serial scanner needs a terminator byte (usually CR)")
        self.terminator, self.prefix, self.suffix = terminator, prefix, suffix
        self.encoding = encoding
        self._buffer = b""

    def feed(self, data: bytes) -> list[str]:
        self._buffer += data
        *frames, self._buffer = self._buffer.split(self.terminator)
        if len(self._buffer) > MAX_FRAME:
            log.warning("scanner sent %d bytes with no terminator; dropped", len(self._buffer))
            self._buffer = b""
        codes = (self._strip(f.decode(self.encoding, "replace")) for f in frames)
        return [c for c in codes if c]

    def _strip(self, text: str) -> str:
        text = text.strip("\r\n")  # CR LF scanners when the terminator is CR (or LF)
        if self.prefix and text.startswith(self.prefix):
            text = text[len(self.prefix):]
        if self.suffix and text.endswith(self.suffix):
            text = text[:-len(self.suffix)]
        return text


class SerialScanner(ReconnectingReader):
    """A scanner on a serial port (RS-232, or USB in CDC/COM mode).

    Runs one reader thread. If the port is missing or fails, the state turns "disconnected"
    and the thread retries opening with backoff until it comes back; nothing is raised into
    the caller."""

    def __init__(self, port: str, baud: int = 9600, terminator: bytes = b"\r", prefix: str = "",
                 suffix: str = "", *, on_state: StateListener | None = None,
                 retry_initial: float = 0.2, retry_max: float = 5.0,
                 read_timeout: float = 0.1) -> None:
        super().__init__(f"scanner {port}", on_state=on_state, retry_initial=retry_initial,
                         retry_max=retry_max)
        self.port, self.baud = port, baud
        self._framer_args = (terminator, prefix, suffix)
        self._read_timeout = read_timeout

    def _read_until_failure(self, on_scan: ScanListener) -> None:
        import serial  # pyserial: imported when a scanner starts, not when the till imports

        framer = ScanFramer(*self._framer_args)
        with serial.Serial(self.port, self.baud, timeout=self._read_timeout) as port:
            self._state.set(Connection.CONNECTED)
            while not self._stop.is_set():
                for code in framer.feed(port.read(port.in_waiting or 1)):
                    self._deliver(on_scan, Scan(code, self._state.current.device))
