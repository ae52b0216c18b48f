"""Scans into the sale, whichever widget has focus.

`WedgeFilter` is an application-wide key filter: every printable key, Enter and Tab goes through
`KeyboardWedgeDetector` first. A detected scan goes to `on_scan` and is never typed into the
focused field (unless that field is marked `acceptsScans`: PIN/badge and receipt fields); keys a
person typed are replayed to the widget they were meant for, at most `max_gap_ms` later.
`ScanBridge` carries scans from serial/HID reader threads to the UI thread (queued signal).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ..devices import KeyboardWedgeDetector, Scan
from .qt import QApplication, QEvent, QKeyEvent, QObject, Qt, QTimer, Signal

TICK_MS = 20
CONTROL_KEYS = {Qt.Key_Return: "\r", Qt.Key_Enter: "\r", Qt.Key_Tab: "\t"}
NOT_TYPING = Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier


def monotonic_ms() -> float:
    return time.monotonic() * 1000.0


class ScanBridge(QObject):
    """`deliver` may be called from any thread; `scanned` fires on the UI thread."""

    scanned = Signal(str)

    def __init__(self, on_scan: Callable[[str], None]) -> None:
        super().__init__()
        self.scanned.connect(on_scan, Qt.QueuedConnection)

    def deliver(self, scan: Scan) -> None:
        self.scanned.emit(scan.text)


@dataclass(frozen=True, slots=True)
class _HeldKey:
    target: QObject
    key: int
    modifiers: object
    text: str


class WedgeFilter(QObject):
    def __init__(self, detector: KeyboardWedgeDetector, on_scan: Callable[[str], None],
                 clock: Callable[[], float] = monotonic_ms, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.detector, self.on_scan, self.clock = detector, on_scan, clock
        self._held: list[_HeldKey] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.KeyPress or not watched.isWidgetType():
            return False
        char = self._char(event)
        if char is None:  # a function key, a shortcut: first give back what is held, in order
            self._release(self.detector.tick(float("inf")).typed)
            return False
        self._held.append(_HeldKey(watched, event.key(), event.modifiers(), event.text() or char))
        output = self.detector.feed(char, self.clock())
        self._release(output.typed)
        if output.scan is not None:
            self._scanned(output.scan)
        self._follow_timer()
        return True

    @staticmethod
    def _char(event: QKeyEvent) -> str | None:
        if event.modifiers() & NOT_TYPING:
            return None
        if event.key() in CONTROL_KEYS:
            return CONTROL_KEYS[event.key()]
        text = event.text()
        return text if len(text) == 1 and text.isprintable() else None

    def _tick(self) -> None:
        self._release(self.detector.tick(self.clock()).typed)
        self._follow_timer()

    def _follow_timer(self) -> None:
        if self._held and not self._timer.isActive():
            self._timer.start()
        elif not self._held:
            self._timer.stop()

    def _scanned(self, code: str) -> None:
        keys, self._held = self._held, []
        if keys and bool(keys[0].target.property("acceptsScans")):
            self._replay(keys)  # a badge or a receipt number for the field that asks for it
        else:
            self.on_scan(code)

    def _release(self, typed: str) -> None:
        if typed:
            keys, self._held = self._held[:len(typed)], self._held[len(typed):]
            self._replay(keys)

    def _replay(self, keys: list[_HeldKey]) -> None:
        self._replaying = True
        try:
            for k in keys:
                try:
                    QApplication.sendEvent(k.target, QKeyEvent(QEvent.KeyPress, k.key, k.modifiers,
                                                               k.text))
                except RuntimeError:  # the widget was closed while its key was held
                    continue
        finally:
            self._replaying = False
