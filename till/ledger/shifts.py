"""Shift and cash-movement projections, and the sums the X and Z reports are made of."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from shared.shift_events import CashMovementRecorded, ShiftClosed, ShiftOpened

from .ledger import UnitOfWork
from .returns import shift_return_sums


@dataclass(frozen=True, slots=True)
class ShiftRow:
    shift_id: str
    opened_by: str
    float_minor: int
    currency: str
    opened_at_ms: int


@dataclass(frozen=True, slots=True)
class ShiftSums:
    """What happened in a shift so far, straight from the projections (minor units)."""

    sales_count: int
    sales_total_minor: int
    tender_totals: dict[str, int]
    change_minor: int
    paid_in_minor: int
    paid_out_minor: int
    drops_minor: int
    returns_count: int = 0
    returns_total_minor: int = 0
    cash_refunds_minor: int = 0  # cash handed back for returns: out of the drawer

    @property
    def cash_tendered_minor(self) -> int:
        return self.tender_totals.get("cash", 0)


def record_shift_opened(uow: UnitOfWork, shift: ShiftOpened, seq: int) -> None:
    uow.execute(
        "INSERT INTO shifts (shift_id, opened_seq, opened_by, float_minor, currency, opened_at_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (shift.shift_id, seq, shift.opened_by, shift.float_minor, shift.currency,
         shift.opened_at_ms))


def record_cash_movement(uow: UnitOfWork, movement: CashMovementRecorded, seq: int) -> None:
    uow.execute(
        "INSERT INTO cash_movements (movement_id, seq, shift_id, kind, amount_minor, reason, "
        "by_name, recorded_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (movement.movement_id, seq, movement.shift_id, movement.kind, movement.amount_minor,
         movement.reason, movement.by, movement.recorded_at_ms))


def record_shift_closed(uow: UnitOfWork, closed: ShiftClosed, seq: int, escpos: bytes,
                        text: str) -> None:
    updated = uow.execute(
        "UPDATE shifts SET closed_seq = ?, closed_by = ?, closed_at_ms = ?, expected_cash_minor = ?, "
        "counted_cash_minor = ?, over_short_minor = ?, z_escpos = ?, z_text = ? "
        "WHERE shift_id = ? AND closed_seq IS NULL",
        (seq, closed.closed_by, closed.closed_at_ms, closed.expected_cash_minor,
         closed.counted_cash_minor, closed.over_short_minor, escpos, text, closed.shift_id))
    if updated.rowcount != 1:  # raising rolls the ShiftClosed event back with it
        raise RuntimeError(f"shift {closed.shift_id} is not open")


_SHIFT = "SELECT shift_id, opened_by, float_minor, currency, opened_at_ms FROM shifts"


def open_shift(conn: sqlite3.Connection) -> ShiftRow | None:
    row = conn.execute(f"{_SHIFT} WHERE closed_seq IS NULL").fetchone()
    return None if row is None else ShiftRow(*row)


def open_shift_id(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT shift_id FROM shifts WHERE closed_seq IS NULL").fetchone()
    return "" if row is None else row[0]


def z_report(conn: sqlite3.Connection, shift_id: str) -> tuple[bytes, str] | None:
    row = conn.execute("SELECT z_escpos, z_text FROM shifts WHERE shift_id = ? AND z_text IS NOT NULL",
                       (shift_id,)).fetchone()
    return None if row is None else (bytes(row[0]), row[1])


def shift_sums(conn: sqlite3.Connection, shift_id: str) -> ShiftSums:
    count, total, change = conn.execute(
        "SELECT count(*), coalesce(sum(total_minor), 0), coalesce(sum(change_minor), 0) "
        "FROM sales WHERE shift_id = ? AND training = 0", (shift_id,)).fetchone()
    tenders = dict(conn.execute(
        "SELECT t.kind, sum(t.amount_minor) FROM sale_tenders t JOIN sales s USING (sale_id) "
        "WHERE s.shift_id = ? AND s.training = 0 GROUP BY t.kind ORDER BY t.kind", (shift_id,)).fetchall())
    moved = dict(conn.execute(
        "SELECT kind, sum(amount_minor) FROM cash_movements WHERE shift_id = ? GROUP BY kind",
        (shift_id,)).fetchall())
    returns = shift_return_sums(conn, shift_id)
    return ShiftSums(count, total, tenders, change, moved.get("paid_in", 0),
                     moved.get("paid_out", 0), moved.get("drop", 0), *returns)
