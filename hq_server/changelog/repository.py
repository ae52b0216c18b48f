"""Change log reads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hq_server.db.models import ChangeLog


def changes_after(session: Session, cursor: int, store_id: uuid.UUID, limit: int) -> Sequence[ChangeLog]:
    """Chain-wide changes and this store's stock changes after `cursor`, in id (= commit) order."""
    query = (
        select(ChangeLog)
        .where(ChangeLog.id > cursor)
        .where(or_(ChangeLog.kind.in_(("product", "store")),
                   (ChangeLog.kind == "stock") & (ChangeLog.store_id == store_id)))
        .order_by(ChangeLog.id)
        .limit(limit)
    )
    return session.scalars(query).all()
