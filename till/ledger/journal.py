"""Appending to and reading the hash-chained journal."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from shared.canonical import canonical_bytes
from shared.ids import new_id
from shared.journal import GENESIS_HASH, JournalEvent, seal

from .ledger import UnitOfWork, utc_now_iso

_COLUMNS = "seq, event_id, device_id, hlc, type, schema_version, payload, prev_hash, hash"


def append_event(uow: UnitOfWork, type: str, schema_version: int,
                 payload: dict[str, Any]) -> JournalEvent:
    """Seal the next event (seq = last + 1, prev_hash = last hash) inside the caller's transaction."""
    store = uow.ledger.require_store()
    last = uow.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    last_seq, last_hash = (last["seq"], last["hash"]) if last else (0, GENESIS_HASH)
    hlc = uow.ledger.clock(store.device_id).now().encode()
    event = seal(event_id=new_id(), device_id=store.device_id, seq=last_seq + 1, hlc=hlc,
                 type=type, schema_version=schema_version, payload=payload, prev_hash=last_hash)
    uow.execute(
        f"INSERT INTO journal ({_COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (event.seq, event.event_id, event.device_id, event.hlc, event.type, event.schema_version,
         canonical_bytes(event.payload).decode(), event.prev_hash, event.hash, utc_now_iso()))
    uow.set_meta("last_hlc", hlc)
    return event


def _event(row: sqlite3.Row) -> JournalEvent:
    return JournalEvent(row["event_id"], row["device_id"], row["seq"], row["hlc"], row["type"],
                        row["schema_version"], json.loads(row["payload"]), row["prev_hash"],
                        row["hash"])


def events_after(conn: sqlite3.Connection, seq: int, limit: int = 500,
                 up_to: int | None = None) -> list[JournalEvent]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
        (seq, up_to if up_to is not None else 2**62, limit)).fetchall()
    return [_event(row) for row in rows]


def all_events(conn: sqlite3.Connection) -> list[JournalEvent]:
    return events_after(conn, 0, limit=2**62)


def last_seq(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()[0]
