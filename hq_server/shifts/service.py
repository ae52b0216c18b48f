"""Projecting ShiftClosed (the Z) into shift reports, and reading them back by store scope."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import ShiftClose
from hq_server.devices.service import DeviceIdentity
from hq_server.shifts import repository
from hq_server.sync.batch import IngestBatch
from hq_server.sync.projected import happened_at
from shared.journal import JournalEvent
from shared.shift_events import ShiftClosed


def apply_shift_close(session: Session, device: DeviceIdentity, event: JournalEvent,
                      close: ShiftClosed, batch: IngestBatch) -> None:
    """One shift-close row per event (written with the batch, keyed by event id)."""
    row: dict[str, Any] = {
        "event_id": uuid.UUID(event.event_id), "shift_id": close.shift_id,
        "store_id": device.store_id, "device_id": device.id, "closed_by": close.closed_by,
        "closed_by_id": close.closed_by_id, "currency": close.currency,
        "tender_totals": dict(close.tender_totals), "at": happened_at(close.closed_at_ms, event)}
    for name in ("float_minor", "sales_count", "sales_total_minor", "returns_count",
                 "returns_total_minor", "paid_in_minor", "paid_out_minor", "drops_minor",
                 "expected_cash_minor", "counted_cash_minor", "over_short_minor"):
        row[name] = getattr(close, name)
    batch.project(ShiftClose.__table__, row)


def shift_reports(session: Session, *, scope: StoreScope, store_code: str | None,
                  since: datetime | None, limit: int, offset: int) -> Sequence[Row[Any]]:
    return repository.listing(session, scope=scope, store_code=store_code, since=since,
                              limit=limit, offset=offset)
