"""Audit log queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from hq_server.db.models import AuditEntry, HqUser


def listing(session: Session, *, entity: str | None, user_id: uuid.UUID | None,
            user_email: str | None, since: datetime | None, limit: int, offset: int) -> Sequence[Row]:
    query = select(AuditEntry, HqUser.email.label("user_email")) \
        .outerjoin(HqUser, HqUser.id == AuditEntry.user_id)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if user_id:
        query = query.where(AuditEntry.user_id == user_id)
    if user_email:
        query = query.where(HqUser.email == user_email.strip().lower())
    if since:
        query = query.where(AuditEntry.at >= since)
    return session.execute(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)).all()
