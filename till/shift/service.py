"""Shifts and the cash drawer: open with a float, pay in / pay out / drop, X report, Z close.

Each action is one unit of work: the journal event and its projection rows commit together.
Selling needs an open shift; that rule lives in the sale screen's presenter, not here, so
scripted callers of `SaleService` keep working (their sales simply carry no shift).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass

from shared.cash import CashCountError, count_total
from shared.ids import new_id
from shared.money import Money
from shared.shift_events import MOVEMENT_KINDS, CashMovementRecorded, ShiftClosed, ShiftOpened

from ..ledger import Ledger
from ..ledger.journal import append_event
from ..ledger.shifts import (
    ShiftRow,
    open_shift,
    record_cash_movement,
    record_shift_closed,
    record_shift_opened,
    shift_sums,
    z_report,
)
from ..receipt import PrintQueue, PrintResult
from ..receipt.report import render_report_escpos, render_report_text
from .report import CashCount, ShiftReport, build_report

MOVEMENT_NAMES = {"paid_in": "Paid in", "paid_out": "Paid out", "drop": "Drop to safe"}


class ShiftError(ValueError):
    """A refusal the cashier can act on; the message says what to do."""


@dataclass(frozen=True, slots=True)
class ClosedShift:
    report: ShiftReport
    event: ShiftClosed
    text: str
    printing: Future[PrintResult] | None


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def cash_count(currency: str, *, amount: Money | None = None,
               by_denomination: Mapping[str, int] | None = None) -> CashCount:
    """A count given as a total or by denomination (zero pieces are left out)."""
    if by_denomination:
        pieces = {k: v for k, v in by_denomination.items() if v}
        try:
            return CashCount(Money(count_total(pieces, currency), currency), pieces)
        except CashCountError as exc:
            raise ShiftError(str(exc)) from None
    if amount is None or amount.minor < 0:
        raise ShiftError("Count the cash: type the amount or the pieces of each note and coin")
    return CashCount(amount)


class ShiftService:
    def __init__(self, ledger: Ledger, print_queue: PrintQueue | None = None) -> None:
        self._ledger, self._print_queue = ledger, print_queue

    def current(self) -> ShiftRow | None:
        return open_shift(self._ledger.connection())

    def require_open(self) -> ShiftRow:
        shift = self.current()
        if shift is None:
            raise ShiftError("No shift is open — press F2 to open a shift and count the float")
        return shift

    def open_shift(self, float_count: CashCount, opened_by: str, *, by_id: str = "") -> ShiftRow:
        store = self._ledger.require_store()
        if self.current() is not None:
            raise ShiftError("A shift is already open on this till — close it first (F2)")
        if float_count.counted.currency != store.currency:
            raise ShiftError(f"The float must be in {store.currency}")
        event = ShiftOpened(new_id(), store.store_id, opened_by, float_count.counted.minor,
                            store.currency, _now_ms(), by_id, dict(float_count.by_denomination))
        with self._ledger.transaction() as uow:
            sealed = append_event(uow, event.TYPE, event.SCHEMA_VERSION, event.to_payload())
            record_shift_opened(uow, event, sealed.seq)
        return self.require_open()

    def record_movement(self, kind: str, amount: Money, reason: str, by: str, *,
                        by_id: str = "") -> CashMovementRecorded:
        if kind not in MOVEMENT_KINDS:
            raise ShiftError(f"Choose paid in, paid out or drop, not {kind!r}")
        if amount.minor <= 0:
            raise ShiftError(f"{MOVEMENT_NAMES[kind]}: the amount must be more than zero")
        reason = reason.strip() or ("Drop to safe" if kind == "drop" else "")
        if not reason:
            raise ShiftError(f"{MOVEMENT_NAMES[kind]} needs a reason (e.g. window cleaner)")
        store = self._ledger.require_store()
        with self._ledger.transaction() as uow:
            shift = open_shift(uow.conn)  # read inside the transaction: a close cannot slip in
            if shift is None:
                raise ShiftError("No shift is open — press F2 to open a shift first")
            if amount.currency != shift.currency:
                raise ShiftError(f"The amount must be in {shift.currency}")
            event = CashMovementRecorded(new_id(), shift.shift_id, store.store_id, kind,
                                         amount.minor, reason, by, shift.currency, _now_ms(), by_id)
            sealed = append_event(uow, event.TYPE, event.SCHEMA_VERSION, event.to_payload())
            record_cash_movement(uow, event, sealed.seq)
        return event

    def x_report(self, made_by: str) -> ShiftReport:
        shift = self.require_open()
        store = self._ledger.require_store()
        sums = shift_sums(self._ledger.connection(), shift.shift_id)
        return build_report("X", shift, sums, store.store_name, store.store_code, made_by,
                            _now_ms())

    def print_x_report(self, made_by: str) -> tuple[ShiftReport, Future[PrintResult] | None]:
        report = self.x_report(made_by)
        printing = None
        if self._print_queue is not None:
            printing = self._print_queue.submit_document(f"X-{report.shift_id}",
                                                         render_report_escpos(report))
        return report, printing

    def close_shift(self, count: CashCount, closed_by: str, *, by_id: str = "") -> ClosedShift:
        """The Z: totals and the blind count are computed and recorded in one transaction."""
        store = self._ledger.require_store()
        with self._ledger.transaction() as uow:
            shift = open_shift(uow.conn)
            if shift is None:
                raise ShiftError("No shift is open — there is nothing to close")
            if count.counted.currency != shift.currency:
                raise ShiftError(f"The count must be in {shift.currency}")
            report = build_report("Z", shift, shift_sums(uow.conn, shift.shift_id),
                                  store.store_name, store.store_code, closed_by, _now_ms(), count)
            event = self._closed_event(report, store.store_id, by_id)
            sealed = append_event(uow, event.TYPE, event.SCHEMA_VERSION, event.to_payload())
            text, escpos = render_report_text(report), render_report_escpos(report)
            record_shift_closed(uow, event, sealed.seq, escpos, text)
        printing = self.reprint_z(shift.shift_id)
        return ClosedShift(report, event, text, printing)

    def reprint_z(self, shift_id: str) -> Future[PrintResult] | None:
        stored = z_report(self._ledger.connection(), shift_id)
        if stored is None or self._print_queue is None:
            return None
        return self._print_queue.submit_document(f"Z-{shift_id}", stored[0])

    @staticmethod
    def _closed_event(report: ShiftReport, store_id: str, by_id: str) -> ShiftClosed:
        s, count = report.sums, report.count
        assert count is not None and report.over_short is not None
        return ShiftClosed(
            shift_id=report.shift_id, store_id=store_id, closed_by=report.made_by,
            currency=report.float.currency, closed_at_ms=int(report.made_at.timestamp() * 1000),
            float_minor=report.float.minor, sales_count=s.sales_count,
            sales_total_minor=s.sales_total_minor, tender_totals=dict(s.tender_totals),
            cash_tendered_minor=s.cash_tendered_minor, change_minor=s.change_minor,
            paid_in_minor=s.paid_in_minor, paid_out_minor=s.paid_out_minor,
            drops_minor=s.drops_minor, expected_cash_minor=report.expected_cash.minor,
            counted_cash_minor=count.counted.minor, over_short_minor=report.over_short.minor,
            counted_by_denomination=dict(count.by_denomination), closed_by_id=by_id,
            returns_count=s.returns_count, returns_total_minor=s.returns_total_minor,
            cash_refunds_minor=s.cash_refunds_minor)
