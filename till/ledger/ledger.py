"""The ledger file and its unit of work.

Threads: the UI thread (sales), the print worker (receipt status) and the sync agent (acks, pulls)
all write. Each thread gets its own SQLite connection, so a reader never sees another thread's
half-done transaction, and every write transaction runs under one process-wide lock, so writers
queue in this process instead of bouncing off SQLITE_BUSY. ``BEGIN IMMEDIATE`` plus busy_timeout
covers a second process (``till sync`` next to a running till).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.hlc import HybridLogicalClock, Timestamp

from .migrations import migrate

BUSY_TIMEOUT_MS = 5000


class LedgerClosed(RuntimeError):
    pass


class NotEnrolled(RuntimeError):
    """The till has no device identity yet, so it cannot record events."""

    def __init__(self) -> None:
        super().__init__("This till is not enrolled yet — run `till enrol --hq URL --code CODE` first")


@dataclass(frozen=True, slots=True)
class StoreMeta:
    device_id: str
    store_id: str
    store_code: str
    store_name: str
    currency: str


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, the unit of work owns the boundary.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")  # a sale survives a power cut once committed
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


class UnitOfWork:
    """One write transaction. Code inside never commits; leaving the `with` block does."""

    def __init__(self, ledger: Ledger, conn: sqlite3.Connection) -> None:
        self.ledger = ledger
        self.conn = conn

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def set_meta(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def next_seq(self) -> int:
        return self.execute("SELECT coalesce(max(seq), 0) + 1 FROM journal").fetchone()[0]


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._clock: HybridLogicalClock | None = None
        self._closed = False
        self._autocheckpoint_pages = 1000  # SQLite's default; 0 while a Checkpointer runs

    @classmethod
    def open(cls, path: Path) -> Ledger:
        ledger = cls(path)
        ledger.path.parent.mkdir(parents=True, exist_ok=True)
        with ledger._write_lock:
            migrate(ledger.connection())
        return ledger

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (for reads; writes go through `transaction()`)."""
        if self._closed:
            raise LedgerClosed(f"ledger {self.path} is closed")
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path)
            conn.execute(f"PRAGMA wal_autocheckpoint = {self._autocheckpoint_pages}")
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[UnitOfWork]:
        """A write transaction; ``durable=False`` skips the fsync at commit.

        Only for bookkeeping a power cut may lose without harm (a receipt's print status): it
        still commits atomically, and journal events must never be written this way.
        """
        with self._write_lock:
            conn = self.connection()
            if not durable:
                conn.execute("PRAGMA synchronous = NORMAL")
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield UnitOfWork(self, conn)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                if not durable:
                    conn.execute("PRAGMA synchronous = FULL")

    def set_autocheckpoint(self, pages: int) -> None:
        """Pages of WAL after which a commit checkpoints; 0 leaves it to `checkpoint()` callers."""
        with self._connections_lock:
            self._autocheckpoint_pages = pages
            for conn in self._connections:
                conn.execute(f"PRAGMA wal_autocheckpoint = {pages}")

    def checkpoint(self) -> None:
        """Copy committed WAL frames into the database file without blocking writers."""
        self.connection().execute("PRAGMA wal_checkpoint(PASSIVE)")

    def meta(self, key: str) -> str | None:
        row = self.connection().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def store(self) -> StoreMeta | None:
        rows = dict(self.connection().execute("SELECT key, value FROM meta").fetchall())
        if "device_id" not in rows:
            return None
        return StoreMeta(rows["device_id"], rows.get("store_id", ""), rows.get("store_code", ""),
                         rows.get("store_name", ""), rows.get("currency", "EUR"))

    def require_store(self) -> StoreMeta:
        store = self.store()
        if store is None:
            raise NotEnrolled()
        return store

    def clock(self, device_id: str) -> HybridLogicalClock:
        """The device's clock, resumed from the last HLC this file recorded (never goes back)."""
        if self._clock is None or self._clock.node != device_id:
            clock = HybridLogicalClock(device_id)
            last = self.meta("last_hlc")
            if last:
                clock.restore(Timestamp.decode(last))
            self._clock = clock
        return self._clock

    def close(self) -> None:
        with self._write_lock:
            self._closed = True
            with self._connections_lock:
                for conn in self._connections:
                    conn.close()
                self._connections.clear()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
