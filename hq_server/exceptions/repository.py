"""Exception queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import ChainException, Store


def insert_once(session: Session, values: dict[str, Any]) -> uuid.UUID | None:
    """Insert unless the dedupe key is already held; the new id, or None when it was."""
    query = insert(ChainException).values(values) \
        .on_conflict_do_nothing(index_elements=[ChainException.dedupe_key]) \
        .returning(ChainException.id)
    return session.scalar(query)


def insert_many_once(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert each row unless its dedupe key is already held, in one statement; how many were new."""
    from hq_server.sync.bulk import insert_rows  # sync imports the exceptions service

    table = ChainException.__table__
    return len(insert_rows(session, table, rows, conflict="(dedupe_key) DO NOTHING", returning="id"))


def for_update(session: Session, exception_id: uuid.UUID) -> ChainException | None:
    query = select(ChainException).where(ChainException.id == exception_id).with_for_update()
    return session.scalar(query)


def _filtered(query: Select, *, scope: StoreScope, store_code: str | None, status: str) -> Select:
    query = scope.apply(query, ChainException.store_id)
    if store_code:
        query = query.where(Store.code == store_code)
    if status == "open":
        query = query.where(ChainException.resolved_at.is_(None))
    elif status == "resolved":
        query = query.where(ChainException.resolved_at.is_not(None))
    return query


def listing(session: Session, *, scope: StoreScope, kind: str | None, store_code: str | None,
            status: str, limit: int, offset: int) -> Sequence[Row]:
    query = select(ChainException, Store.code.label("store_code")) \
        .outerjoin(Store, Store.id == ChainException.store_id)
    query = _filtered(query, scope=scope, store_code=store_code, status=status)
    if kind:
        query = query.where(ChainException.kind == kind)
    query = query.order_by(ChainException.raised_at.desc(), ChainException.id).limit(limit).offset(offset)
    return session.execute(query).all()


def counts_by_kind(session: Session, *, scope: StoreScope, store_code: str | None,
                   status: str) -> dict[str, int]:
    query = select(ChainException.kind, func.count()) \
        .outerjoin(Store, Store.id == ChainException.store_id).group_by(ChainException.kind)
    query = _filtered(query, scope=scope, store_code=store_code, status=status)
    return {kind: n for kind, n in session.execute(query)}


def open_for_device(session: Session, device_id: uuid.UUID, kind: str) -> Sequence[ChainException]:
    query = select(ChainException).where(ChainException.device_id == device_id,
                                         ChainException.kind == kind,
                                         ChainException.resolved_at.is_(None)).with_for_update()
    return session.scalars(query).all()
