"""Sales and receipts projections: what the till sold, and the receipt bytes for reprinting."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from shared.events import SaleCompleted
from shared.merge import stock_deltas_for_sale

from .ledger import UnitOfWork, utc_now_iso


def record_sale(uow: UnitOfWork, sale: SaleCompleted, seq: int) -> None:
    """Project a SaleCompleted into sales, sale_lines, sale_tenders and stock (caller's transaction).

    A training sale is kept (for its receipt) but moves no stock.
    """
    paid = sum(t.amount_minor for t in sale.tenders)
    completed_at = datetime.fromtimestamp(sale.completed_at_ms / 1000, UTC).isoformat()
    uow.execute(
        "INSERT INTO sales (sale_id, seq, receipt_no, cashier, total_minor, currency, paid_minor, "
        "change_minor, completed_at, shift_id, training) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sale.sale_id, seq, sale.receipt_no, sale.cashier, sale.total_minor, sale.currency, paid,
         sale.change_minor, completed_at, sale.shift_id, int(sale.training)))
    uow.conn.executemany(
        "INSERT INTO sale_tenders (sale_id, tender_no, kind, amount_minor, reference) "
        "VALUES (?, ?, ?, ?, ?)",
        [(sale.sale_id, i, t.kind, t.amount_minor, t.reference)
         for i, t in enumerate(sale.tenders, start=1)])
    uow.conn.executemany(
        "INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, quantity, "
        "unit_price_minor, line_total_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(sale.sale_id, ln.line_no, ln.product_id, ln.sku, ln.name, ln.quantity,
          ln.unit_price_minor, ln.line_total_minor) for ln in sale.lines])
    if sale.training:  # nothing left the shop
        return
    for delta in stock_deltas_for_sale(sale):
        add_local_delta(uow, delta.product_id, delta.delta)


def add_local_delta(uow: UnitOfWork, product_id: str, delta: int) -> None:
    uow.execute(
        "INSERT INTO stock (product_id, local_delta) VALUES (?, ?) "
        "ON CONFLICT (product_id) DO UPDATE SET local_delta = local_delta + excluded.local_delta",
        (product_id, delta))


def store_receipt(uow: UnitOfWork, sale_id: str, escpos: bytes, text: str) -> None:
    uow.execute("INSERT INTO receipts (sale_id, escpos, text) VALUES (?, ?, ?)",
                (sale_id, escpos, text))


def mark_printed(uow: UnitOfWork, sale_id: str) -> None:
    uow.execute("UPDATE receipts SET printed_at = ?, last_error = NULL, attempts = attempts + 1 "
                "WHERE sale_id = ?", (utc_now_iso(), sale_id))


def mark_print_failed(uow: UnitOfWork, sale_id: str, error: str) -> None:
    uow.execute("UPDATE receipts SET last_error = ?, attempts = attempts + 1 WHERE sale_id = ?",
                (error, sale_id))


def receipt_row(conn: sqlite3.Connection, sale_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM receipts WHERE sale_id = ?", (sale_id,)).fetchone()


def last_sale_id(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT sale_id FROM sales ORDER BY seq DESC LIMIT 1").fetchone()
    return None if row is None else row[0]


def unprinted_sale_ids(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT r.sale_id FROM receipts r JOIN sales s USING (sale_id) "
                        "WHERE r.printed_at IS NULL ORDER BY s.seq").fetchall()
    return [row[0] for row in rows]


def failed_receipt_ids(conn: sqlite3.Connection) -> list[str]:
    """Receipts tried at least once and still not printed, oldest sale first."""
    rows = conn.execute("SELECT r.sale_id FROM receipts r JOIN sales s USING (sale_id) "
                        "WHERE r.printed_at IS NULL AND r.attempts > 0 ORDER BY s.seq").fetchall()
    return [row[0] for row in rows]


def on_hand(conn: sqlite3.Connection, product_id: str) -> int:
    row = conn.execute("SELECT hq_on_hand + local_delta FROM stock WHERE product_id = ?",
                       (product_id,)).fetchone()
    return 0 if row is None else row[0]
