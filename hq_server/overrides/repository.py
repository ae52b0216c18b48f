"""Override log queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import Device, OverrideEntry, Store


def listing(session: Session, *, scope: StoreScope, store_code: str | None, action: str | None,
            since: datetime | None, limit: int, offset: int) -> Sequence[Row[Any]]:
    """Newest first, within the caller's stores."""
    query = (select(OverrideEntry, Store.code.label("store_code"), Device.name.label("device_name"))
             .join(Store, Store.id == OverrideEntry.store_id)
             .join(Device, Device.id == OverrideEntry.device_id))
    query = scope.apply(query, OverrideEntry.store_id)
    if store_code:
        query = query.where(Store.code == store_code)
    if action:
        query = query.where(OverrideEntry.action == action)
    if since is not None:
        query = query.where(OverrideEntry.at >= since)
    query = query.order_by(OverrideEntry.at.desc(), OverrideEntry.event_id).limit(limit).offset(offset)
    return session.execute(query).all()
