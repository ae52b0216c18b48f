"""Parked baskets: a basket put aside to serve the next customer, recalled later.

Not a journal fact (nothing was sold), so a plain table that rows leave when recalled.
"""

from __future__ import annotations

import sqlite3

from .ledger import UnitOfWork


def insert_parked(uow: UnitOfWork, park_id: str, parked_at_ms: int, cashier: str,
                  item_count: int, total_minor: int, currency: str, basket_json: str) -> None:
    uow.execute("INSERT INTO parked_sales (park_id, parked_at_ms, cashier, item_count, "
                "total_minor, currency, basket) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (park_id, parked_at_ms, cashier, item_count, total_minor, currency, basket_json))


def parked_rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM parked_sales ORDER BY parked_at_ms, park_id").fetchall()


def take_parked(uow: UnitOfWork, park_id: str) -> sqlite3.Row | None:
    """The parked basket, removed from the list in the caller's transaction."""
    row = uow.conn.execute("SELECT * FROM parked_sales WHERE park_id = ?", (park_id,)).fetchone()
    if row is not None:
        uow.execute("DELETE FROM parked_sales WHERE park_id = ?", (park_id,))
    return row


def product_now(conn: sqlite3.Connection, product_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT price_minor, active FROM products WHERE product_id = ?",
                        (product_id,)).fetchone()
