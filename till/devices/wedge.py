"""Telling a keyboard-wedge scanner from a person typing, by timing alone (no Qt here).

A wedge scanner "types" its code fast (a few ms per key) and ends with Enter or Tab. The UI
feeds every key press here before the focused widget sees it, and types into the widget only
what comes back as `typed`; a `scan` goes to the sale whichever widget has focus. Keys are held
back at most `max_gap_ms` (call `tick` from a timer), which a person does not notice.
"""

from __future__ import annotations

from dataclasses import dataclass

ENTER, TAB = "\r", "\t"


@dataclass(frozen=True, slots=True)
class WedgeOutput:
    typed: str = ""  # give these keys to the focused widget, in order
    scan: str | None = None  # a complete scan (terminator removed)


class KeyboardWedgeDetector:
    def __init__(self, terminator: str = ENTER, *, min_chars: int = 6, max_avg_ms: float = 30.0,
                 max_gap_ms: float = 50.0) -> None:
        if terminator not in (ENTER, TAB):
            raise ValueError("a wedge scanner ends its code with Enter or Tab")
        self.terminator, self.min_chars = terminator, min_chars
        self.max_avg_ms, self.max_gap_ms = max_avg_ms, max_gap_ms
        self._keys: list[tuple[str, float]] = []

    def feed(self, char: str, timestamp_ms: float) -> WedgeOutput:
        released = self._release_if_stale(timestamp_ms)
        if char == self.terminator:
            if self._looks_scanned(timestamp_ms):
                code = "".join(c for c, _ in self._keys)
                self._keys.clear()
                return WedgeOutput(released, code)
            released += self._drain() + char
            return WedgeOutput(released)
        if char in "\r\n\t" or len(char) != 1:  # other control keys end any burst
            return WedgeOutput(released + self._drain() + char)
        self._keys.append((char, timestamp_ms))
        return WedgeOutput(released)

    def tick(self, now_ms: float) -> WedgeOutput:
        """Release held keys once no key followed within `max_gap_ms` (a person typing)."""
        return WedgeOutput(self._release_if_stale(now_ms))

    @property
    def holding(self) -> bool:
        return bool(self._keys)

    def _release_if_stale(self, now_ms: float) -> str:
        if self._keys and now_ms - self._keys[-1][1] > self.max_gap_ms:
            return self._drain()
        return ""

    def _drain(self) -> str:
        text = "".join(c for c, _ in self._keys)
        self._keys.clear()
        return text

    def _looks_scanned(self, end_ms: float) -> bool:
        if len(self._keys) < self.min_chars:
            return False
        times = [t for _, t in self._keys] + [end_ms]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        return sum(gaps) / len(gaps) < self.max_avg_ms and max(gaps) <= self.max_gap_ms
