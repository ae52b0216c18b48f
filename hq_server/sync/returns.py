"""Applying a till's ReturnCompleted at HQ: stock back on hand (rule 2), refunds capped (rule 5)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hq_server.db.models import SaleLine
from hq_server.devices.service import DeviceIdentity
from hq_server.exceptions.service import Raised, raise_exception
from hq_server.sync.batch import IngestBatch
from shared.journal import JournalEvent
from shared.merge import over_refunds, stock_deltas_for_return
from shared.override_events import ReturnCompleted


def apply_return(session: Session, device: DeviceIdentity, event: JournalEvent,
                 ret: ReturnCompleted, batch: IngestBatch) -> None:
    from hq_server.sync.appliers import as_uuid  # the shared id check; appliers imports us

    for line in ret.lines:
        as_uuid(line.product_id, f"return line {line.sku} product_id")
    event_id = uuid.UUID(event.event_id)
    for delta in stock_deltas_for_return(ret):
        batch.stock.add(batch.uuid(delta.product_id, "product_id"), device.store_id, delta.delta,
                        delta.reason, event_id=event_id, hlc=event.hlc)
    if ret.original_sale_id:
        _surface_over_refunds(session, device, event, ret, batch)


def _surface_over_refunds(session: Session, device: DeviceIdentity, event: JournalEvent,
                          ret: ReturnCompleted, batch: IngestBatch) -> None:
    sale_id = as_sale_id(ret.original_sale_id)
    if sale_id is None:
        return
    sold = _sold(session, batch, sale_id)
    if not sold:
        return  # the sale has not reached HQ yet; its till will push it (checked no later)
    returning: dict[int, int] = {}
    for line in ret.lines:
        returning[line.original_line_no] = returning.get(line.original_line_no, 0) + line.quantity
    before = _returned_before(session, batch, ret.original_sale_id, event.event_id)
    for over in over_refunds(sold, before, returning):
        raise_exception(session, Raised(
            kind="over_refund", dedupe_key=f"over_refund:{event.event_id}:{over.line_no}",
            details={"original_receipt_no": ret.original_receipt_no, "line_no": over.line_no,
                     "sold": over.sold, "returned_before": over.returned_before,
                     "returning": over.returning, "approved_by": ret.approved_by,
                     "return_id": ret.return_id},
            store_id=device.store_id, device_id=device.id, event_id=uuid.UUID(event.event_id)))


def as_sale_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _sold(session: Session, batch: IngestBatch, sale_id: uuid.UUID) -> dict[int, int]:
    sold: dict[int, int] = {}
    rows: list[Any] = list(session.execute(
        select(SaleLine.line_no, SaleLine.quantity).where(SaleLine.sale_id == sale_id)).all())
    rows += batch.lines_sold(str(sale_id))  # the batch holds sale ids as canonical text
    for line_no, quantity in rows:
        sold[line_no] = sold.get(line_no, 0) + quantity
    return sold


def _returned_before(session: Session, batch: IngestBatch, sale_id: str,
                     this_event: str) -> dict[int, int]:
    """Quantities already returned chain-wide against the sale's lines, by any till."""
    payloads = session.execute(text(
        "SELECT payload FROM events WHERE type = 'ReturnCompleted' "
        "AND payload->>'original_sale_id' = :sale_id"), {"sale_id": sale_id}).scalars().all()
    payloads = list(payloads) + [
        e.payload for event_id, e in batch.events
        if e.type == ReturnCompleted.TYPE and event_id != this_event
        and e.payload.get("original_sale_id") == sale_id]
    returned: dict[int, int] = {}
    for payload in payloads:
        for line in payload["lines"]:
            line_no = int(line.get("original_line_no", 0))
            returned[line_no] = returned.get(line_no, 0) + int(line["quantity"])
    return returned
