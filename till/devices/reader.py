"""One reader thread per scanner that reopens its device with backoff after any failure.

Scanners only say how to read until the device fails (`_read_until_failure`), how a failure
reads on the status bar (`_failure`), and what to release after each attempt (`_release`).
Nothing is ever raised into the till: a missing or unplugged device is a state, not an error.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from .state import Connection, DeviceState, StateHolder, StateListener

if TYPE_CHECKING:  # scanner.py defines them and builds on this module
    from .scanner import Scan, ScanListener

log = logging.getLogger(__name__)


def failure_reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc) or type(exc).__name__


class ReconnectingReader:
    def __init__(self, name: str, *, on_state: StateListener | None, retry_initial: float,
                 retry_max: float) -> None:
        self._state = StateHolder(name, on_state)
        self._retry = (retry_initial, retry_max)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, on_scan: ScanListener) -> None:
        if self._thread is not None:
            raise RuntimeError(f"{self._state.current.device} already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(on_scan,), daemon=True,
                                        name=f"reader-{self._state.current.device}")
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
            except Exception as exc:  # any failure is a device state; the thread keeps trying
                self._state.set(*self._failure(exc))
            finally:
                self._release()
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, self._retry[1])

    def _deliver(self, on_scan: ScanListener, scan: Scan) -> None:
        try:
            on_scan(scan)
        except Exception:  # the listener's bug must not unplug the scanner
            log.exception("scan listener failed on %r", scan.code)

    def _read_until_failure(self, on_scan: ScanListener) -> None:
        raise NotImplementedError

    def _failure(self, exc: Exception) -> tuple[Connection, str]:
        return Connection.DISCONNECTED, failure_reason(exc)

    def _release(self) -> None:
        """Close what an attempt opened (context managers need nothing here)."""
