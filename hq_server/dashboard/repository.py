"""The few queries only the dashboard makes (the rest it borrows from each domain's repository)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import AuditEntry, ChainException, Device, HqUser, Product, Store


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


def audit_page(session: Session, *, user: str, entity: str, action: str, since: datetime | None,
               until: datetime | None, limit: int, offset: int) -> tuple[list, int]:
    """Audit rows newest first, with the user's email, and how many match in all."""
    query = select(AuditEntry, HqUser.email.label("user_email")) \
        .outerjoin(HqUser, HqUser.id == AuditEntry.user_id)
    if user:
        query = query.where(HqUser.email.ilike(f"%{_like(user.strip().lower())}%", escape="\\"))
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if action:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)).all()
    return list(rows), int(total)


def audit_choices(session: Session) -> tuple[list[str], list[str]]:
    """The entities and actions the log holds, for the filters' pick lists."""
    entities = session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))
    actions = session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return list(entities), list(actions)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
