"""What one push writes, gathered in memory and written with a few multi-row statements.

A backlog push carries up to 1,000 events; writing each event, sale and line with its own
statement cost a database round trip each (~100 events/s). Checks that need the database (is
this event or sale already held?) are answered from one query per batch instead. Ids travel as
canonical UUID text (sync.ids) and lists of them as one comma-joined parameter, so a batch
builds no uuid.UUID it does not need.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.orm import Session

from hq_server.db.models import Event, Sale, SaleLine
from hq_server.stock.service import StockBatch
from hq_server.sync.bulk import copy_rows, insert_rows
from hq_server.sync.errors import SyncRefused
from hq_server.sync.ids import UuidMemo, canonical
from shared.events import SaleCompleted
from shared.journal import JournalEvent

_HELD = text("""
    SELECT event_id::text, seq, hash, device_id = CAST(:device AS uuid) FROM events
    WHERE event_id = ANY(CAST(string_to_array(:ids, ',') AS uuid[]))
       OR (device_id = CAST(:device AS uuid) AND seq = ANY(CAST(string_to_array(:seqs, ',') AS bigint[])))
""")
_SALES_HELD = text("SELECT id::text FROM sales WHERE id = ANY(CAST(string_to_array(:ids, ',') AS uuid[]))")


@dataclass
class HeldEvents:
    """The hashes HQ already holds for a batch's event ids and seqs (updated as events are added)."""

    by_id: dict[str, str]
    by_seq: dict[int, str]

    @classmethod
    def fetch(cls, session: Session, device_id: uuid.UUID, events: Sequence[JournalEvent],
              last_seq: int) -> HeldEvents:
        """One query: the batch's event ids held by anyone, and its old seqs held for the device."""
        ids = [i for i in (canonical(e.event_id) for e in events) if i is not None]
        seqs = sorted({e.seq for e in events if e.seq <= last_seq})
        if not ids and not seqs:
            return cls({}, {})
        rows = session.connection().execute(_HELD, {
            "device": str(device_id), "ids": ",".join(ids), "seqs": ",".join(map(str, seqs))})
        held = cls({}, {})
        for event_id, seq, hash_, own in rows:
            held.by_id[event_id] = hash_
            if own and seq <= last_seq:
                held.by_seq[seq] = hash_
        return held

    def hash_of_event(self, event_id: str) -> str | None:
        return self.by_id.get(event_id)

    def hash_at_seq(self, seq: int) -> str | None:
        return self.by_seq.get(seq)

    def hold(self, event_id: str, event: JournalEvent) -> None:
        self.by_id[event_id] = event.hash
        self.by_seq[event.seq] = event.hash


@dataclass
class IngestBatch:
    stock: StockBatch = field(default_factory=StockBatch)
    events: list[dict[str, Any]] = field(default_factory=list)
    sales: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    sale_events: dict[str, JournalEvent] = field(default_factory=dict)  # in batch order
    # Read models of other facts (override log, shift closes): one row per event, keyed event_id.
    projections: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)
    uuid: UuidMemo = field(default_factory=UuidMemo)

    def project(self, table: Table, row: dict[str, Any]) -> None:
        self.projections.setdefault(table, []).append(row)

    def add_event(self, event_id: str, event: JournalEvent, device_id: str) -> None:
        """`event_id` and `device_id` as canonical text (checked by the caller)."""
        self.events.append({
            "event_id": event_id, "device_id": device_id, "seq": event.seq, "hlc": event.hlc,
            "type": event.type, "schema_version": event.schema_version, "payload": event.payload,
            "prev_hash": event.prev_hash, "hash": event.hash})

    def has_sale(self, sale_id: str) -> bool:
        return sale_id in self.sale_events

    def add_sale(self, sale: SaleCompleted, sale_id: str, *, store_id: str, device_id: str,
                 event_id: str, event: JournalEvent, product_ids: list[str]) -> None:
        """Ids as canonical text; `product_ids` one per line."""
        self.sale_events[sale_id] = event
        self.sales.append({
            "id": sale_id, "store_id": store_id, "device_id": device_id,
            "event_id": event_id, "receipt_no": sale.receipt_no, "total_minor": sale.total_minor,
            "currency": sale.currency, "line_count": len(sale.lines),
            "sold_at": datetime.fromtimestamp(sale.completed_at_ms / 1000, UTC)})
        self.lines += [{"sale_id": sale_id, "line_no": line.line_no, "product_id": product_id,
                        "quantity": line.quantity, "unit_price_minor": line.unit_price_minor,
                        "line_total_minor": line.line_total_minor}
                       for line, product_id in zip(sale.lines, product_ids, strict=True)]

    def refuse_sales_already_recorded(self, session: Session) -> None:
        """Rule 9: a sale id HQ already holds under another event is a conflicting event.

        Refuses at the earliest such event of the batch, as a per-event check would have.
        """
        if not self.sale_events:
            return
        held = set(session.connection().execute(
            _SALES_HELD, {"ids": ",".join(self.sale_events)}).scalars())
        for sale_id, event in self.sale_events.items():
            if sale_id in held:
                raise SyncRefused(409, "conflicting_event", f"sale {sale_id} was already recorded "
                                                            "by another event",
                                  event_id=event.event_id, seq=event.seq)

    def write(self, session: Session) -> None:
        """Events, sales and lines, each as one COPY (stock is flushed separately).

        Plain appends: every event and sale here was checked new against what HQ holds
        (`HeldEvents`, `refuse_sales_already_recorded`) under the device row's lock.
        """
        for table, rows in ((Event.__table__, self.events), (Sale.__table__, self.sales),
                            (SaleLine.__table__, self.lines)):
            copy_rows(session, table, rows)
        for table, rows in self.projections.items():
            # The events are exactly-once already; the key makes a projection so on its own too.
            insert_rows(session, table, rows, conflict="(event_id) DO NOTHING")

    def receipts(self) -> dict[uuid.UUID, str]:
        """Receipt number per sale event of the batch (named on its oversell exceptions)."""
        return {self.uuid(row["event_id"], "event_id"): row["receipt_no"] for row in self.sales}


__all__ = ["HeldEvents", "IngestBatch"]
