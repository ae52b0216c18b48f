"""Listing facts a till recorded (overrides, shift closes, ...): newest first, in scope.

Such tables share the shape (store_id, device_id, at, event_id); one query serves them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import Device, Store


def till_fact_listing(session: Session, model: Any, *, scope: StoreScope, store_code: str | None,
                      since: datetime | None, limit: int, offset: int,
                      where: Sequence[Any] = ()) -> Sequence[Row[Any]]:
    """Rows of `model` with their store code and till name, newest first."""
    query = (select(model, Store.code.label("store_code"), Device.name.label("device_name"))
             .join(Store, Store.id == model.store_id)
             .join(Device, Device.id == model.device_id))
    query = scope.apply(query, model.store_id).where(*where)
    if store_code:
        query = query.where(Store.code == store_code)
    if since is not None:
        query = query.where(model.at >= since)
    query = query.order_by(model.at.desc(), model.event_id).limit(limit).offset(offset)
    return session.execute(query).all()
