"""Transfers API under /inventory/transfers (rule 7): request, approve, ship, receive, cancel."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from sqlalchemy import or_, select

from hq_server.auth.deps import CurrentUser
from hq_server.deps import DbSession
from hq_server.inventory import transfers
from hq_server.inventory.errors import NotFound
from hq_server.inventory.models import TRANSFER_STATUSES, Transfer
from hq_server.inventory.schemas import ReceiveIn, TransferIn

router = APIRouter(prefix="/transfers")


@router.get("")
def listing(session: DbSession, user: CurrentUser, status: str | None = None) -> list[dict[str, Any]]:
    """Transfers from or to the caller's stores, newest first."""
    query = select(Transfer).order_by(Transfer.number.desc()).limit(500)
    if status in TRANSFER_STATUSES:
        query = query.where(Transfer.status == status)
    if not user.scope.all_stores:
        ids = user.scope.store_ids
        query = query.where(or_(Transfer.from_store_id.in_(ids), Transfer.to_store_id.in_(ids)))
    return [transfers.state(session, t) for t in session.scalars(query)]


@router.get("/{transfer_id}")
def one(transfer_id: uuid.UUID, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    found = session.get(Transfer, transfer_id)
    if found is None or not (user.scope.allows(found.from_store_id)
                             or user.scope.allows(found.to_store_id)):
        raise NotFound(f"no transfer {transfer_id}")
    return transfers.state(session, found)


@router.post("", status_code=201)
def request(body: TransferIn, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    made = transfers.request(session, user, from_ref=body.from_store, to_ref=body.to_store,
                             lines=[(line.product, line.quantity) for line in body.lines], note=body.note)
    return transfers.state(session, made)


@router.post("/{transfer_id}/approve")
def approve(transfer_id: uuid.UUID, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return transfers.state(session, transfers.approve(session, user, transfer_id))


@router.post("/{transfer_id}/ship")
def ship(transfer_id: uuid.UUID, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return transfers.state(session, transfers.ship(session, user, transfer_id))


@router.post("/{transfer_id}/receive")
def receive(transfer_id: uuid.UUID, session: DbSession, user: CurrentUser,
            body: ReceiveIn | None = None) -> dict[str, Any]:
    received = {line.product: line.quantity for line in body.lines} if body else None
    return transfers.state(session, transfers.receive(session, user, transfer_id, received))


@router.post("/{transfer_id}/cancel")
def cancel(transfer_id: uuid.UUID, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return transfers.state(session, transfers.cancel(session, user, transfer_id))
