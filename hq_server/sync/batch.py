"""What one push writes, gathered in memory and written with a few multi-row statements.

A backlog push carries up to 1,000 events; writing each event, sale and line with its own
statement cost a database round trip each (~100 events/s). Checks that need the database (is
this event or sale already held?) are answered from one query per batch instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from hq_server.db.models import Event, Sale, SaleLine
from hq_server.stock.service import StockBatch
from hq_server.sync.bulk import insert_rows
from hq_server.sync.errors import SyncRefused
from shared.events import SaleCompleted
from shared.journal import JournalEvent


@dataclass
class HeldEvents:
    """The hashes HQ already holds for a batch's event ids and seqs (updated as events are added)."""

    by_id: dict[str, str]
    by_seq: dict[int, str]

    @classmethod
    def fetch(cls, session: Session, device_id: uuid.UUID, events: Sequence[JournalEvent],
              last_seq: int) -> HeldEvents:
        ids = [_maybe_uuid(e.event_id) for e in events]
        ids = [i for i in ids if i is not None]
        by_id = {str(i): h for i, h in session.execute(
            select(Event.event_id, Event.hash).where(Event.event_id.in_(ids)))} if ids else {}
        seqs = sorted({e.seq for e in events if e.seq <= last_seq})
        by_seq = {s: h for s, h in session.execute(
            select(Event.seq, Event.hash).where(Event.device_id == device_id,
                                                Event.seq.in_(seqs)))} if seqs else {}
        return cls(by_id, by_seq)

    def hash_of_event(self, event_id: uuid.UUID) -> str | None:
        return self.by_id.get(str(event_id))

    def hash_at_seq(self, seq: int) -> str | None:
        return self.by_seq.get(seq)

    def hold(self, event: JournalEvent) -> None:
        self.by_id[str(uuid.UUID(event.event_id))] = event.hash
        self.by_seq[event.seq] = event.hash


@dataclass
class IngestBatch:
    stock: StockBatch = field(default_factory=StockBatch)
    events: list[dict[str, Any]] = field(default_factory=list)
    sales: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    sale_events: dict[uuid.UUID, JournalEvent] = field(default_factory=dict)  # in batch order
    # Read models of other facts (override log, shift closes): one row per event, keyed event_id.
    projections: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)

    def project(self, table: Table, row: dict[str, Any]) -> None:
        self.projections.setdefault(table, []).append(row)

    def add_event(self, event: JournalEvent) -> None:
        self.events.append({
            "event_id": uuid.UUID(event.event_id), "device_id": uuid.UUID(event.device_id),
            "seq": event.seq, "hlc": event.hlc, "type": event.type,
            "schema_version": event.schema_version, "payload": event.payload,
            "prev_hash": event.prev_hash, "hash": event.hash})

    def has_sale(self, sale_id: uuid.UUID) -> bool:
        return sale_id in self.sale_events

    def add_sale(self, sale: SaleCompleted, *, device_id: uuid.UUID, event: JournalEvent) -> None:
        sale_id, event_id = uuid.UUID(sale.sale_id), uuid.UUID(event.event_id)
        self.sale_events[sale_id] = event
        self.sales.append({
            "id": sale_id, "store_id": uuid.UUID(sale.store_id), "device_id": device_id,
            "event_id": event_id, "receipt_no": sale.receipt_no, "total_minor": sale.total_minor,
            "currency": sale.currency, "line_count": len(sale.lines),
            "sold_at": datetime.fromtimestamp(sale.completed_at_ms / 1000, UTC)})
        self.lines += [{"sale_id": sale_id, "line_no": line.line_no,
                        "product_id": uuid.UUID(line.product_id), "quantity": line.quantity,
                        "unit_price_minor": line.unit_price_minor,
                        "line_total_minor": line.line_total_minor} for line in sale.lines]

    def refuse_sales_already_recorded(self, session: Session) -> None:
        """Rule 9: a sale id HQ already holds under another event is a conflicting event.

        Refuses at the earliest such event of the batch, as a per-event check would have.
        """
        if not self.sale_events:
            return
        held = set(session.scalars(select(Sale.id).where(Sale.id.in_(list(self.sale_events)))))
        for sale_id, event in self.sale_events.items():
            if sale_id in held:
                raise SyncRefused(409, "conflicting_event", f"sale {sale_id} was already recorded "
                                                            "by another event",
                                  event_id=event.event_id, seq=event.seq)

    def write(self, session: Session) -> None:
        """Events, sales and lines, each as one multi-row insert (stock is flushed separately)."""
        for table, rows in ((Event.__table__, self.events), (Sale.__table__, self.sales),
                            (SaleLine.__table__, self.lines)):
            insert_rows(session, table, rows)
        for table, rows in self.projections.items():
            # The events are exactly-once already; the key makes a projection so on its own too.
            insert_rows(session, table, rows, conflict="(event_id) DO NOTHING")

    def receipts(self) -> dict[uuid.UUID, str]:
        """Receipt number per sale event of the batch (named on its oversell exceptions)."""
        return {row["event_id"]: row["receipt_no"] for row in self.sales}


def _maybe_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


__all__ = ["HeldEvents", "IngestBatch"]
