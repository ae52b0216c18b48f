"""Hybrid logical clock: wall-clock milliseconds plus a logical counter, never going backwards.

Encoded as a fixed-width string so that string order is causal order:
``"{wall_ms:015d}.{logical:06d}.{node}"``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Timestamp:
    wall_ms: int
    logical: int
    node: str = ""

    def encode(self) -> str:
        return f"{self.wall_ms:015d}.{self.logical:06d}.{self.node}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        try:
            wall, logical, node = text.split(".", 2)
            return cls(int(wall), int(logical), node)
        except ValueError:
            raise ValueError(f"not a hybrid logical clock value: {text!r}") from None


class HybridLogicalClock:
    """Thread-safe HLC for one node (a till or an HQ worker)."""

    def __init__(self, node: str, wall_clock: Callable[[], int] | None = None) -> None:
        self.node = node
        self._wall = wall_clock or (lambda: time.time_ns() // 1_000_000)
        self._last = Timestamp(0, 0, node)
        self._lock = threading.Lock()

    @property
    def last(self) -> Timestamp:
        return self._last

    def now(self) -> Timestamp:
        """A timestamp for a local event, greater than every one issued or seen before."""
        with self._lock:
            wall = self._wall()
            if wall > self._last.wall_ms:
                self._last = Timestamp(wall, 0, self.node)
            else:
                self._last = Timestamp(self._last.wall_ms, self._last.logical + 1, self.node)
            return self._last

    def observe(self, remote: Timestamp) -> Timestamp:
        """Merge a timestamp received from another node; the result exceeds both."""
        with self._lock:
            wall = self._wall()
            top = max(wall, self._last.wall_ms, remote.wall_ms)
            if top == self._last.wall_ms == remote.wall_ms:
                logical = max(self._last.logical, remote.logical) + 1
            elif top == self._last.wall_ms:
                logical = self._last.logical + 1
            elif top == remote.wall_ms:
                logical = remote.logical + 1
            else:
                logical = 0
            self._last = Timestamp(top, logical, self.node)
            return self._last

    def restore(self, last: Timestamp) -> None:
        """Resume after a restart from the last timestamp persisted in the ledger."""
        with self._lock:
            if last > self._last:
                self._last = Timestamp(last.wall_ms, last.logical, self.node)
