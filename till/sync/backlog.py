"""What the till reports to HQ about its own backlog with each push and pull (shared.wire
BACKLOG_HEADER, OLDEST_UNSENT_HEADER): events waiting, and when the oldest of them happened."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from shared.hlc import Timestamp
from shared.wire import BACKLOG_HEADER, OLDEST_UNSENT_HEADER


@dataclass(frozen=True, slots=True)
class Backlog:
    waiting: int
    oldest_ms: int  # HLC wall time of the oldest waiting event; 0 when none wait

    def headers(self) -> dict[str, str]:
        return {BACKLOG_HEADER: str(self.waiting), OLDEST_UNSENT_HEADER: str(self.oldest_ms)}


def backlog_after(conn: sqlite3.Connection, seq: int) -> Backlog:
    """The journal events after `seq` (the acked seq, or the last seq of the batch being sent)."""
    waiting, first = conn.execute("SELECT count(*), min(seq) FROM journal WHERE seq > ?",
                                  (seq,)).fetchone()
    if not waiting:
        return Backlog(0, 0)
    hlc = conn.execute("SELECT hlc FROM journal WHERE seq = ?", (first,)).fetchone()[0]
    try:
        return Backlog(waiting, Timestamp.decode(hlc).wall_ms)
    except ValueError:
        return Backlog(waiting, 0)
