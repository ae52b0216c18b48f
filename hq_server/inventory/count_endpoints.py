"""Cycle counts API under /inventory/counts (rule 3): sheet, counted quantities, variance, post."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from hq_server.auth.deps import CurrentUser
from hq_server.auth.identity import Actor
from hq_server.deps import DbSession
from hq_server.inventory import counts
from hq_server.inventory.errors import NotFound
from hq_server.inventory.models import COUNT_STATUSES, StockCount
from hq_server.inventory.schemas import CountedIn, CountIn

router = APIRouter(prefix="/counts")


def _report(session: DbSession, user: Actor, count: StockCount) -> dict[str, Any]:
    return counts.without_costs(counts.variance_report(session, count), user.sees_costs)


@router.get("")
def listing(session: DbSession, user: CurrentUser, status: str | None = None) -> list[dict[str, Any]]:
    query = select(StockCount).order_by(StockCount.number.desc()).limit(200)
    if status in COUNT_STATUSES:
        query = query.where(StockCount.status == status)
    query = user.scope.apply(query, StockCount.store_id)
    return [{"id": str(c.id), "reference": c.reference, "category": c.category, "status": c.status,
             "created_at": c.created_at.isoformat(), "hlc": c.hlc} for c in session.scalars(query)]


@router.get("/{count_id}")
def report(count_id: uuid.UUID, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """The sheet with its variance report."""
    found = session.get(StockCount, count_id)
    if found is None or not user.scope.allows(found.store_id):
        raise NotFound(f"no count {count_id}")
    return _report(session, user, found)


@router.post("", status_code=201)
def create(body: CountIn, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    made = counts.create(session, user, store_ref=body.store, category=body.category)
    return _report(session, user, made)


@router.put("/{count_id}/lines")
def enter(count_id: uuid.UUID, body: CountedIn, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    entered = {line.product: line.quantity for line in body.lines}
    return _report(session, user, counts.enter(session, user, count_id, entered))


@router.post("/{count_id}/post")
def post(count_id: uuid.UUID, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return _report(session, user, counts.post(session, user, count_id))


@router.post("/{count_id}/cancel")
def cancel(count_id: uuid.UUID, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return _report(session, user, counts.cancel(session, user, count_id))
