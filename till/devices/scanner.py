"""Barcode scanners as scan sources, and the serial one: framing a byte stream into scans.

A `ScannerSource` calls `on_scan(Scan)` from its own thread; the UI hops to its thread itself
(or uses `ScanQueue`). Scans are raw text: `shared.gs1.normalise(scan.text)` makes them GTINs.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from .state import Connection, DeviceState, StateHolder, StateListener

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


class SerialScanner:
    """A scanner on a serial port (RS-232, or USB in CDC/COM mode).

    Runs one reader thread. If the port is missing or fails, the state turns "disconnected"
    and the thread retries opening with backoff until it comes back; nothing is raised into
    the caller."""

    def __init__(self, port: str, baud: int = 9600, terminator: bytes = b"\r", prefix: str = "",
                 suffix: str = "", *, on_state: StateListener | None = None,
                 retry_initial: float = 0.2, retry_max: float = 5.0,
                 read_timeout: float = 0.1) -> None:
        self.port, self.baud = port, baud
        self._framer_args = (terminator, prefix, suffix)
        self._state = StateHolder(f"scanner {port}", on_state)
        self._retry = (retry_initial, retry_max)
        self._read_timeout = read_timeout
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, on_scan: ScanListener) -> None:
        if self._thread is not None:
            raise RuntimeError("scanner already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(on_scan,),
                                        name=f"scanner-{self.port}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._state.set(Connection.DISCONNECTED, "stopped")

    def state(self) -> DeviceState:
        return self._state.current

    def wait_for(self, connection: Connection, timeout: float) -> bool:
        return self._state.wait_for(connection, timeout)

    def _run(self, on_scan: ScanListener) -> None:
        delay = self._retry[0]
        while not self._stop.is_set():
            try:
                self._read_until_failure(on_scan)
                delay = self._retry[0]
            except Exception as exc:  # serial.SerialException is an OSError; anything else too
                self._state.set(Connection.DISCONNECTED, _reason(exc))
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, self._retry[1])

    def _read_until_failure(self, on_scan: ScanListener) -> None:
        import serial  # pyserial: imported when a scanner starts, not when the till imports

        framer = ScanFramer(*self._framer_args)
        with serial.Serial(self.port, self.baud, timeout=self._read_timeout) as port:
            self._state.set(Connection.CONNECTED)
            while not self._stop.is_set():
                for code in framer.feed(port.read(port.in_waiting or 1)):
                    self._deliver(on_scan, Scan(code, self._state.current.device))

    def _deliver(self, on_scan: ScanListener, scan: Scan) -> None:
        try:
            on_scan(scan)
        except Exception:  # the listener's bug must not unplug the scanner
            log.exception("scan listener failed on %r", scan.code)


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc) or type(exc).__name__
