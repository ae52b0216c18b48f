"""Shift report queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import Device, ShiftClose, Store


def listing(session: Session, *, scope: StoreScope, store_code: str | None,
            since: datetime | None, limit: int, offset: int) -> Sequence[Row[Any]]:
    """Newest close first, within the caller's stores."""
    query = (select(ShiftClose, Store.code.label("store_code"), Device.name.label("device_name"))
             .join(Store, Store.id == ShiftClose.store_id)
             .join(Device, Device.id == ShiftClose.device_id))
    query = scope.apply(query, ShiftClose.store_id)
    if store_code:
        query = query.where(Store.code == store_code)
    if since is not None:
        query = query.where(ShiftClose.at >= since)
    query = query.order_by(ShiftClose.at.desc(), ShiftClose.event_id).limit(limit).offset(offset)
    return session.execute(query).all()
