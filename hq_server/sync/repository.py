"""Event and sale queries for ingest."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from hq_server.db.models import Event, Sale, SaleLine
from shared.events import SaleCompleted
from shared.journal import JournalEvent


def hash_of_event(session: Session, event_id: uuid.UUID) -> str | None:
    return session.scalar(select(Event.hash).where(Event.event_id == event_id))


def hash_at_seq(session: Session, device_id: uuid.UUID, seq: int) -> str | None:
    return session.scalar(select(Event.hash).where(Event.device_id == device_id, Event.seq == seq))


def insert_event(session: Session, event: JournalEvent) -> None:
    session.execute(insert(Event).values(
        event_id=uuid.UUID(event.event_id), device_id=uuid.UUID(event.device_id), seq=event.seq,
        hlc=event.hlc, type=event.type, schema_version=event.schema_version,
        payload=event.payload, prev_hash=event.prev_hash, hash=event.hash,
    ))


def sale_exists(session: Session, sale_id: uuid.UUID) -> bool:
    return session.scalar(select(Sale.id).where(Sale.id == sale_id)) is not None


def insert_sale(session: Session, sale: SaleCompleted, *, device_id: uuid.UUID, event_id: uuid.UUID) -> None:
    sale_id = uuid.UUID(sale.sale_id)
    session.execute(insert(Sale).values(
        id=sale_id, store_id=uuid.UUID(sale.store_id), device_id=device_id, event_id=event_id,
        receipt_no=sale.receipt_no, total_minor=sale.total_minor, currency=sale.currency,
        line_count=len(sale.lines), sold_at=datetime.fromtimestamp(sale.completed_at_ms / 1000, UTC),
    ))
    session.execute(insert(SaleLine), [
        {"sale_id": sale_id, "line_no": line.line_no, "product_id": uuid.UUID(line.product_id),
         "quantity": line.quantity, "unit_price_minor": line.unit_price_minor,
         "line_total_minor": line.line_total_minor}
        for line in sale.lines
    ])
