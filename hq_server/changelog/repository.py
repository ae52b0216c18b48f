"""Change log reads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hq_server.db.models import ChangeLog


def changes_after(session: Session, cursor: int, store_id: uuid.UUID, limit: int) -> Sequence[ChangeLog]:
    """What a till of `store_id` pulls after `cursor`, in id (= commit) order.

    Stores chain-wide; products chain-wide or priced for this store (catalogue_admin.publish);
    stock of this store only; till users of this store or of every store (store_id null), so a
    till never holds the PIN hashes of other stores' staff.
    """
    query = (
        select(ChangeLog)
        .where(ChangeLog.id > cursor)
        .where(or_(ChangeLog.kind == "store",
                   (ChangeLog.kind == "product") & (ChangeLog.store_id.is_(None)
                                                    | (ChangeLog.store_id == store_id)),
                   (ChangeLog.kind == "stock") & (ChangeLog.store_id == store_id),
                   ChangeLog.kind == "customer",  # chain-wide: found at any store
                   ChangeLog.kind == "gift_card",  # chain-wide: a card pays at any store
                   (ChangeLog.kind == "till_user") & (ChangeLog.store_id.is_(None)
                                                      | (ChangeLog.store_id == store_id))))
        .order_by(ChangeLog.id)
        .limit(limit)
    )
    return session.scalars(query).all()
