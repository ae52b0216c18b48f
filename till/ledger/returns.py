"""Override and return projections, and what a sale still has to refund (sold - returned here)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from shared.merge import stock_deltas_for_return
from shared.override_events import OverrideRecorded, ReturnCompleted
from shared.pricing import line_tax

from .journal import append_event
from .ledger import UnitOfWork
from .sales import add_local_delta


@dataclass(frozen=True, slots=True)
class RefundableLine:
    line_no: int
    product_id: str
    sku: str
    name: str
    sold: int
    returned: int
    unit_price_minor: int
    # Where prices exclude tax: the sale line's tax (returned units get their share back), or for
    # a line without a receipt the rate to charge back. Both 0 where prices include tax.
    tax_minor: int = 0
    tax_rate_bp: int = 0

    @property
    def refundable(self) -> int:
        return max(self.sold - self.returned, 0)

    def tax_back(self, quantity: int) -> int:
        """Tax refunded with `quantity` more units: the sale line's tax shared over its units so
        that returning every unit, in any steps, gives back exactly the tax paid."""
        if self.sold:
            done = min(self.returned, self.sold)
            upto = min(done + quantity, self.sold)
            return self.tax_minor * upto // self.sold - self.tax_minor * done // self.sold
        return line_tax(self.unit_price_minor * quantity, self.tax_rate_bp,
                        prices_include_tax=False).tax_minor


def record_override(uow: UnitOfWork, event: OverrideRecorded, seq: int) -> None:
    uow.execute(
        "INSERT INTO overrides (override_id, seq, action, requested_by, approved_by, before, "
        "after, reason, sale_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (event.override_id, seq, event.action, event.requested_by, event.approved_by,
         event.before, event.after, event.reason, event.sale_id))


def journal_override(uow: UnitOfWork, event: OverrideRecorded) -> None:
    sealed = append_event(uow, event.TYPE, event.SCHEMA_VERSION, event.to_payload())
    record_override(uow, event, sealed.seq)


def record_return(uow: UnitOfWork, event: ReturnCompleted, seq: int) -> None:
    """Project a return; restocked lines go back on hand in the same transaction."""
    uow.execute(
        "INSERT INTO returns (return_id, seq, original_sale_id, original_receipt_no, shift_id, "
        "cashier, approved_by, total_minor, cash_refund_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (event.return_id, seq, event.original_sale_id, event.original_receipt_no, event.shift_id,
         event.cashier, event.approved_by, event.total_minor, event.cash_refund_minor))
    uow.conn.executemany(
        "INSERT INTO return_lines (return_id, line_no, original_line_no, product_id, quantity, "
        "line_total_minor, reason, restock) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(event.return_id, i, ln.original_line_no, ln.product_id, ln.quantity,
          ln.line_total_minor, ln.reason, int(ln.restock))
         for i, ln in enumerate(event.lines, start=1)])
    uow.conn.executemany(
        "INSERT INTO return_refunds (return_id, refund_no, kind, amount_minor, reference) "
        "VALUES (?, ?, ?, ?, ?)",
        [(event.return_id, i, r.kind, r.amount_minor, r.reference)
         for i, r in enumerate(event.refunds, start=1)])
    for delta in stock_deltas_for_return(event):
        add_local_delta(uow, delta.product_id, delta.delta)


def sale_by_receipt(conn: sqlite3.Connection, receipt_no: str) -> sqlite3.Row | None:
    return conn.execute("SELECT sale_id, receipt_no, currency FROM sales WHERE receipt_no = ? "
                        "COLLATE NOCASE AND training = 0", (receipt_no.strip(),)).fetchone()


def refundable_lines(conn: sqlite3.Connection, sale_id: str) -> list[RefundableLine]:
    rows = conn.execute(
        "SELECT l.line_no, l.product_id, l.sku, l.name, l.quantity, l.unit_price_minor, "
        "coalesce((SELECT sum(rl.quantity) FROM return_lines rl JOIN returns r USING (return_id) "
        "          WHERE r.original_sale_id = l.sale_id AND rl.original_line_no = l.line_no), 0) "
        "FROM sale_lines l WHERE l.sale_id = ? ORDER BY l.line_no", (sale_id,)).fetchall()
    taxes = _taxes_on_top(conn, sale_id)
    return [RefundableLine(r[0], r[1], r[2], r[3], r[4], r[6], r[5], taxes.get(r[0], 0)) for r in rows]


def _taxes_on_top(conn: sqlite3.Connection, sale_id: str) -> dict[int, int]:
    """{line_no: tax} of a sale made at tax-exclusive prices, read from its journal event (the
    fact as sold); {} where prices included tax."""
    row = conn.execute("SELECT j.payload FROM sales s JOIN journal j ON j.seq = s.seq "
                       "WHERE s.sale_id = ?", (sale_id,)).fetchone()
    sale = json.loads(row[0]) if row else {}
    if sale.get("prices_include_tax", True):
        return {}
    return {line["line_no"]: line.get("tax_minor", 0) for line in sale.get("lines", [])}


def sale_tenders(conn: sqlite3.Connection, sale_id: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT kind, amount_minor, reference FROM sale_tenders WHERE sale_id = ? "
                        "ORDER BY tender_no", (sale_id,)).fetchall()


def sale_change(conn: sqlite3.Connection, sale_id: str) -> int:
    return conn.execute("SELECT change_minor FROM sales WHERE sale_id = ?", (sale_id,)).fetchone()[0]


def refunded_by_kind(conn: sqlite3.Connection, sale_id: str) -> dict[str, int]:
    return dict(conn.execute(
        "SELECT f.kind, sum(f.amount_minor) FROM return_refunds f JOIN returns r USING (return_id) "
        "WHERE r.original_sale_id = ? GROUP BY f.kind", (sale_id,)).fetchall())


def shift_return_sums(conn: sqlite3.Connection, shift_id: str) -> tuple[int, int, int]:
    """(returns count, returns total, cash refunded) in a shift."""
    row = conn.execute("SELECT count(*), coalesce(sum(total_minor), 0), "
                       "coalesce(sum(cash_refund_minor), 0) FROM returns WHERE shift_id = ?",
                       (shift_id,)).fetchone()
    return row[0], row[1], row[2]
