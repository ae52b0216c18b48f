"""The sync bookkeeping row: what HQ acknowledged, where the pull cursor is, the last error."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from shared.events import SaleCompleted
from shared.merge import stock_deltas_for_sale

from .journal import events_after
from .ledger import UnitOfWork, utc_now_iso
from .sales import add_local_delta


@dataclass(frozen=True, slots=True)
class SyncState:
    acked_seq: int
    pull_cursor: int
    last_push_at: str | None
    last_pull_at: str | None
    last_error: str | None


def read_sync_state(conn: sqlite3.Connection) -> SyncState:
    row = conn.execute("SELECT acked_seq, pull_cursor, last_push_at, last_pull_at, last_error "
                       "FROM sync_state WHERE id = 1").fetchone()
    return SyncState(*row)


def pending_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM journal WHERE seq > "
                        "(SELECT acked_seq FROM sync_state WHERE id = 1)").fetchone()[0]


def record_ack(uow: UnitOfWork, acked_seq: int) -> int:
    """Advance acked_seq and move the newly acknowledged sales out of stock.local_delta.

    HQ's on-hand now includes those sales; keeping them in local_delta too would count them twice
    once the next pull brings HQ's figure. Returns how many events the ack newly covered.
    """
    previous = uow.execute("SELECT acked_seq FROM sync_state WHERE id = 1").fetchone()[0]
    if acked_seq <= previous:
        return 0
    newly_acked = events_after(uow.conn, previous, limit=2**62, up_to=acked_seq)
    for event in newly_acked:
        if event.type == SaleCompleted.TYPE:
            for delta in stock_deltas_for_sale(SaleCompleted.from_payload(event.payload)):
                add_local_delta(uow, delta.product_id, -delta.delta)
    uow.execute("UPDATE sync_state SET acked_seq = ?, last_push_at = ?, last_error = NULL "
                "WHERE id = 1", (acked_seq, utc_now_iso()))
    return len(newly_acked)


def record_error(uow: UnitOfWork, message: str | None) -> None:
    uow.execute("UPDATE sync_state SET last_error = ? WHERE id = 1", (message,))
