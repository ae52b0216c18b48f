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
from typing import TYPE_CHECKING, Any

from psycopg import DataError
from sqlalchemy import Table
from sqlalchemy.orm import Session

from hq_server.db.models import Event, Sale, SaleLine
from hq_server.db.session import driver
from hq_server.stock.service import StockBatch
from hq_server.sync.bulk import copy_json, copy_text, copy_text_rows, insert_rows
from hq_server.sync.errors import SyncRefused
from hq_server.sync.ids import CanonicalMemo, UuidMemo, canonical
from shared.events import SaleCompleted
from shared.journal import JournalEvent

if TYPE_CHECKING:
    from hq_server.devices.service import DeviceIdentity

# Sent through psycopg on the session's connection (same transaction): SQLAlchemy's statement
# handling cost more client CPU than these two small reads themselves.
_HELD = """
    SELECT event_id::text, seq, hash, device_id = CAST(%(device)s AS uuid) FROM events
    WHERE event_id = ANY(CAST(string_to_array(%(ids)s, ',') AS uuid[]))
       OR (device_id = CAST(%(device)s AS uuid) AND seq = ANY(CAST(string_to_array(%(seqs)s, ',') AS bigint[])))
"""
_SALES_HELD = "SELECT id::text FROM sales WHERE id = ANY(CAST(string_to_array(%(ids)s, ',') AS uuid[]))"


def _read(session: Session, sql: str, params: dict[str, str]) -> list[tuple]:
    return driver(session).execute(sql, params).fetchall()


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
        rows = _read(session, _HELD, {
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
    # The batch's new events (canonical id, event) in order, and their sales by sale id.
    events: list[tuple[str, JournalEvent]] = field(default_factory=list)
    sales: dict[str, SaleCompleted] = field(default_factory=dict)
    sale_events: dict[str, JournalEvent] = field(default_factory=dict)  # in batch order
    # Read models of other facts (override log, shift closes): one row per event, keyed event_id.
    projections: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)
    uuid: UuidMemo = field(default_factory=UuidMemo)
    canonical: CanonicalMemo = field(default_factory=CanonicalMemo)
    # The rows of events, sales and sale_lines as COPY text (sync.bulk), written as they come:
    # cheaper than a dict per row adapted value by value at the end.
    _event_rows: list[str] = field(default_factory=list)
    _sale_rows: list[str] = field(default_factory=list)
    _line_rows: list[str] = field(default_factory=list)
    _receipts: dict[str, str] = field(default_factory=dict)  # event id -> receipt no
    _device_texts: tuple[str, str] | None = None  # a batch is one device's
    # Text PostgreSQL cannot store (NUL): raised by `write`, after every check of the batch has
    # had its say, as it was when psycopg refused it while writing.
    _unwritable: DataError | None = None

    def project(self, table: Table, row: dict[str, Any]) -> None:
        self.projections.setdefault(table, []).append(row)

    def add_event(self, event_id: str, event: JournalEvent, device_id: str) -> None:
        """`event_id` and `device_id` as canonical text (checked by the caller), as is the
        event's hash (it matched its content), so only its free text is escaped."""
        self.events.append((event_id, event))
        try:
            self._event_rows.append(
                f"{event_id}\t{device_id}\t{event.seq}\t{copy_text(event.hlc)}\t"
                f"{copy_text(event.type)}\t{event.schema_version}\t{copy_json(event.payload)}\t"
                f"{copy_text(event.prev_hash)}\t{copy_text(event.hash)}\n")
        except DataError as error:
            self._unwritable = self._unwritable or error

    def texts_of(self, device: DeviceIdentity) -> tuple[str, str]:
        """The device's store id and its own id as text, made once per batch."""
        if self._device_texts is None:
            self._device_texts = (str(device.store_id), str(device.id))
        return self._device_texts

    def has_sale(self, sale_id: str) -> bool:
        return sale_id in self.sale_events

    def add_sale(self, sale: SaleCompleted, sale_id: str, *, store_id: str, device_id: str,
                 event_id: str, event: JournalEvent, product_ids: list[str]) -> None:
        """Ids as canonical text; `product_ids` one per line. The amounts are integers
        (SaleCompleted.validate)."""
        self.sale_events[sale_id] = event
        self.sales[sale_id] = sale
        self._receipts[event_id] = sale.receipt_no
        sold_at = datetime.fromtimestamp(sale.completed_at_ms / 1000, UTC).isoformat()
        try:
            self._sale_rows.append(
                f"{sale_id}\t{store_id}\t{device_id}\t{event_id}\t{copy_text(sale.receipt_no)}\t"
                f"{sale.total_minor}\t{copy_text(sale.currency)}\t{len(sale.lines)}\t{sold_at}\n")
        except DataError as error:
            self._unwritable = self._unwritable or error
        self._line_rows += [
            f"{sale_id}\t{line.line_no}\t{product_id}\t{line.quantity}\t"
            f"{line.unit_price_minor}\t{line.line_total_minor}\n"
            for line, product_id in zip(sale.lines, product_ids, strict=True)]

    def refuse_sales_already_recorded(self, session: Session) -> None:
        """Rule 9: a sale id HQ already holds under another event is a conflicting event.

        Refuses at the earliest such event of the batch, as a per-event check would have.
        """
        if not self.sale_events:
            return
        held = {sale_id for sale_id, in _read(session, _SALES_HELD, {"ids": ",".join(self.sale_events)})}
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
        if self._unwritable is not None:  # raised here, where writing the row would have
            raise self._unwritable
        copy_text_rows(session, Event.__table__, _EVENT_COLUMNS, self._event_rows)
        copy_text_rows(session, Sale.__table__, _SALE_COLUMNS, self._sale_rows)
        copy_text_rows(session, SaleLine.__table__, _LINE_COLUMNS, self._line_rows)
        for table, rows in self.projections.items():
            # The events are exactly-once already; the key makes a projection so on its own too.
            insert_rows(session, table, rows, conflict="(event_id) DO NOTHING")

    def receipts(self) -> dict[uuid.UUID, str]:
        """Receipt number per sale event of the batch (named on its oversell exceptions)."""
        return {self.uuid(event_id, "event_id"): receipt for event_id, receipt in self._receipts.items()}

    def lines_sold(self, sale_id: str) -> list[tuple[int, int]]:
        """(line_no, quantity) of a sale of this batch (none for a sale not in it)."""
        sale = self.sales.get(sale_id)
        return [(line.line_no, line.quantity) for line in sale.lines] if sale else []


_EVENT_COLUMNS = ("event_id", "device_id", "seq", "hlc", "type", "schema_version", "payload",
                  "prev_hash", "hash")
_SALE_COLUMNS = ("id", "store_id", "device_id", "event_id", "receipt_no", "total_minor",
                 "currency", "line_count", "sold_at")
_LINE_COLUMNS = ("sale_id", "line_no", "product_id", "quantity", "unit_price_minor",
                 "line_total_minor")


__all__ = ["HeldEvents", "IngestBatch"]
