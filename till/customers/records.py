"""The customers and loyalty tables of the ledger (V8): every query and write of them."""

from __future__ import annotations

import sqlite3
from typing import Any

from shared.customer_events import CustomerSaved, LoyaltyPosted, phone_digits
from shared.merge import CustomerVersion, replaces_customer

from ..ledger.ledger import UnitOfWork
from ..ledger.master_data import search_query

# Points now: HQ's counter plus this till's postings HQ had not counted when it sent it.
_CUSTOMER = """SELECT c.*, c.hq_points + coalesce((SELECT sum(l.delta) FROM loyalty_postings l
               WHERE l.customer_id = c.customer_id AND l.seq > c.hq_counted_seq), 0) AS points
               FROM customers c"""


def held_version(conn: sqlite3.Connection, customer_id: str) -> CustomerVersion | None:
    row = conn.execute("SELECT hlc, name, phone, email FROM customers WHERE customer_id = ?",
                       (customer_id,)).fetchone()
    return None if row is None else CustomerVersion(row["hlc"], row["name"], row["phone"],
                                                    row["email"])


def save_version(uow: UnitOfWork, customer_id: str, version: CustomerVersion) -> None:
    """Write the details if `version` wins over the ones held (rule 8), then reindex the name."""
    if not replaces_customer(held_version(uow.conn, customer_id), version):
        return
    uow.execute(
        "INSERT INTO customers (customer_id, name, phone, phone_digits, email, hlc) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET name = excluded.name, "
        "phone = excluded.phone, phone_digits = excluded.phone_digits, email = excluded.email, "
        "hlc = excluded.hlc",
        (customer_id, version.name, version.phone, phone_digits(version.phone), version.email,
         version.hlc))
    rowid = uow.execute("SELECT rowid FROM customers WHERE customer_id = ?",
                        (customer_id,)).fetchone()[0]
    uow.execute("DELETE FROM customer_search WHERE rowid = ?", (rowid,))
    uow.execute("INSERT INTO customer_search (rowid, name) VALUES (?, ?)", (rowid, version.name))


def record_saved(uow: UnitOfWork, saved: CustomerSaved, hlc: str) -> None:
    """Project this till's own CustomerSaved (its journal hlc is the version)."""
    save_version(uow, saved.customer_id, CustomerVersion(hlc, saved.name, saved.phone,
                                                         saved.email))


def record_posting(uow: UnitOfWork, posted: LoyaltyPosted, seq: int) -> None:
    uow.execute("INSERT INTO loyalty_postings (seq, customer_id, delta, reason, sale_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (seq, posted.customer_id, posted.delta, posted.reason, posted.sale_id))


def apply_customer(uow: UnitOfWork, data: dict[str, Any], device_id: str) -> None:
    """A `customer` change from HQ: details if newer (rule 8), and HQ's points counter always."""
    customer_id = data["customer_id"]
    save_version(uow, customer_id, CustomerVersion(data.get("hlc") or "", data.get("name") or "",
                                                   data.get("phone") or "",
                                                   data.get("email") or ""))
    counted = int((data.get("counted_seq") or {}).get(device_id, 0))
    uow.execute("UPDATE customers SET hq_points = ?, hq_counted_seq = ? WHERE customer_id = ?",
                (int(data.get("points_balance") or 0), counted, customer_id))


def by_id(conn: sqlite3.Connection, customer_id: str) -> sqlite3.Row | None:
    return conn.execute(f"{_CUSTOMER} WHERE c.customer_id = ?", (customer_id,)).fetchone()


def by_phone(conn: sqlite3.Connection, digits: str, limit: int) -> list[sqlite3.Row]:
    """Phone numbers starting with `digits`: an index range, not a scan."""
    upper = digits[:-1] + chr(ord(digits[-1]) + 1)
    return conn.execute(f"{_CUSTOMER} WHERE c.phone_digits >= ? AND c.phone_digits < ? "
                        "ORDER BY c.phone_digits LIMIT ?", (digits, upper, limit)).fetchall()


def by_name(conn: sqlite3.Connection, text: str, limit: int) -> list[sqlite3.Row]:
    """Every typed word the start of a word of the name ("ann le" finds "Ann Lee")."""
    query = search_query(text)
    if not query:
        return []
    rows = conn.execute(f"{_CUSTOMER} JOIN customer_search s ON s.rowid = c.rowid "
                        "WHERE customer_search MATCH ? LIMIT ?", (query, limit)).fetchall()
    return sorted(rows, key=lambda row: row["name"].casefold())


def sale_points(conn: sqlite3.Connection, sale_id: str) -> tuple[str, int, int, str] | None:
    """(customer, points the sale earned, points returns took back so far, currency) of a sale
    this till posted points for; None when it posted none."""
    row = conn.execute(
        "SELECT l.customer_id, sum(CASE WHEN l.reason = 'earn' THEN l.delta ELSE 0 END), "
        "sum(CASE WHEN l.reason = 'adjust' AND l.delta < 0 THEN -l.delta ELSE 0 END), s.currency "
        "FROM loyalty_postings l JOIN sales s USING (sale_id) WHERE l.sale_id = ? "
        "GROUP BY l.customer_id", (sale_id,)).fetchone()
    return None if row is None else (row[0], int(row[1]), int(row[2]), row[3])
