"""The email outbox table of the ledger (V9) and the sale lookups queueing needs: every query here."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from shared.events import SaleCompleted

from ..ledger.ledger import UnitOfWork, utc_now_iso


@dataclass(frozen=True, slots=True)
class OutboxRow:
    email_id: str
    sale_id: str
    address: str
    subject: str
    body_text: str
    body_html: str
    attempts: int
    last_error: str | None
    next_attempt_ms: int
    sent_at: str | None

    @classmethod
    def of(cls, row: sqlite3.Row) -> OutboxRow:
        return cls(row["email_id"], row["sale_id"], row["address"], row["subject"],
                   row["body_text"], row["body_html"], row["attempts"], row["last_error"],
                   row["next_attempt_ms"], row["sent_at"])


def insert_email(uow: UnitOfWork, email_id: str, sale_id: str, address: str, subject: str,
                 text: str, html: str) -> None:
    uow.execute("INSERT INTO email_outbox (email_id, sale_id, address, subject, body_text, "
                "body_html, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (email_id, sale_id, address, subject, text, html, utc_now_iso()))


def due_emails(conn: sqlite3.Connection, now_ms: int, limit: int = 20) -> list[OutboxRow]:
    """Unsent rows whose next attempt has come, oldest first."""
    rows = conn.execute("SELECT * FROM email_outbox WHERE sent_at IS NULL AND next_attempt_ms <= ? "
                        "ORDER BY queued_at, rowid LIMIT ?", (now_ms, limit)).fetchall()
    return [OutboxRow.of(row) for row in rows]


def next_due_ms(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT min(next_attempt_ms) FROM email_outbox WHERE sent_at IS NULL").fetchone()
    return row[0]


def mark_sent(uow: UnitOfWork, email_id: str) -> None:
    uow.execute("UPDATE email_outbox SET sent_at = ?, last_error = NULL, attempts = attempts + 1 "
                "WHERE email_id = ?", (utc_now_iso(), email_id))


def mark_failed(uow: UnitOfWork, email_id: str, error: str, next_attempt_ms: int) -> None:
    uow.execute("UPDATE email_outbox SET last_error = ?, attempts = attempts + 1, "
                "next_attempt_ms = ? WHERE email_id = ?", (error, next_attempt_ms, email_id))


def make_all_due(uow: UnitOfWork) -> None:
    """"Send now": every waiting row is due at once (settings changed, the network is back)."""
    uow.execute("UPDATE email_outbox SET next_attempt_ms = 0 WHERE sent_at IS NULL")


def outbox_counts(conn: sqlite3.Connection) -> tuple[int, int, str | None]:
    """(waiting, waiting after a failed attempt, the latest error)."""
    waiting, failing = conn.execute(
        "SELECT count(*), coalesce(sum(attempts > 0), 0) FROM email_outbox "
        "WHERE sent_at IS NULL").fetchone()
    row = conn.execute("SELECT last_error FROM email_outbox WHERE sent_at IS NULL AND "
                       "last_error IS NOT NULL ORDER BY next_attempt_ms DESC LIMIT 1").fetchone()
    return waiting, failing, None if row is None else row[0]


def emails_for_sale(conn: sqlite3.Connection, sale_id: str) -> list[OutboxRow]:
    rows = conn.execute("SELECT * FROM email_outbox WHERE sale_id = ? ORDER BY queued_at, rowid",
                        (sale_id,)).fetchall()
    return [OutboxRow.of(row) for row in rows]


def sale_event(conn: sqlite3.Connection, sale_id: str) -> SaleCompleted | None:
    """The sale as journaled: the receipt is rendered from the fact, not from a projection."""
    row = conn.execute("SELECT j.type, j.payload FROM sales s JOIN journal j ON j.seq = s.seq "
                       "WHERE s.sale_id = ?", (sale_id,)).fetchone()
    if row is None or row["type"] != SaleCompleted.TYPE:
        return None
    return SaleCompleted.from_payload(json.loads(row["payload"]))
