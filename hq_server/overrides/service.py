"""Projecting OverrideRecorded into the override log, and reading it back by store scope."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import OverrideEntry
from hq_server.devices.service import DeviceIdentity
from hq_server.overrides import repository
from hq_server.sync.batch import IngestBatch
from hq_server.sync.projected import happened_at
from shared.journal import JournalEvent
from shared.override_events import OVERRIDE_ACTIONS, OverrideRecorded

ACTIONS = OVERRIDE_ACTIONS


def apply_override(session: Session, device: DeviceIdentity, event: JournalEvent,
                   override: OverrideRecorded, batch: IngestBatch) -> None:
    """One override-log row per event (written with the batch, keyed by event id)."""
    batch.project(OverrideEntry.__table__, {
        "event_id": uuid.UUID(event.event_id), "override_id": override.override_id,
        "store_id": device.store_id, "device_id": device.id, "action": override.action,
        "requested_by": override.requested_by, "requested_by_id": override.requested_by_id,
        "approved_by": override.approved_by, "approved_by_id": override.approved_by_id,
        "before": override.before, "after": override.after, "reason": override.reason,
        "sale_id": override.sale_id, "at": happened_at(override.recorded_at_ms, event)})


def override_log(session: Session, *, scope: StoreScope, store_code: str | None,
                 action: str | None, since: datetime | None, limit: int,
                 offset: int) -> Sequence[Row[Any]]:
    return repository.listing(session, scope=scope, store_code=store_code, action=action,
                              since=since, limit=limit, offset=offset)
