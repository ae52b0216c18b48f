"""The few queries only the dashboard makes (the rest it borrows from each domain's repository)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import ChainException, Device, Product, Store


def open_counts_by_store(session: Session, scope: StoreScope) -> dict[str, int]:
    """Open exceptions per store code (any kind); chain-wide ones under ''."""
    query = select(func.coalesce(Store.code, ""), func.count()) \
        .select_from(ChainException).outerjoin(Store, Store.id == ChainException.store_id) \
        .where(ChainException.resolved_at.is_(None)).group_by(Store.code)
    return dict(session.execute(scope.apply(query, ChainException.store_id)).all())


def product_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Product.id, Product.name).where(Product.id.in_(wanted))).all())


def device_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Device.id, Device.name).where(Device.id.in_(wanted))).all())
