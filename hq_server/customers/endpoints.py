"""Customers API under /customers (merge rule 8).

Customers are chain-wide (one found at any store), so every reader (admin, owner, store manager)
searches them all; sales and loyalty postings are shown only for the reader's stores. admin edits
any customer, a store manager those whose home store is theirs; the owner reads.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from hq_server.auth.deps import require_role
from hq_server.auth.identity import Actor
from hq_server.customers import repository, service
from hq_server.customers.schemas import CustomerIn, NewCustomerIn
from hq_server.deps import DbSession

router = APIRouter(prefix="/customers", tags=["customers"])
User = Annotated[Actor, require_role("admin", "owner", "store_manager")]
Keeper = Annotated[Actor, require_role("admin", "store_manager")]


@router.get("")
def search(session: DbSession, user: User, q: str = Query(min_length=1, max_length=200),
           limit: int = Query(20, ge=1, le=200)) -> list[dict[str, Any]]:
    """By phone (digits, any spacing) or by the start of the name or of any word of it."""
    return [service.summary(session, row) for row in repository.search(session, q, limit)]


@router.get("/{customer_id}")
def one(customer_id: uuid.UUID, session: DbSession, user: User) -> dict[str, Any]:
    return service.one(session, user, customer_id)


@router.post("", status_code=201)
def create(body: NewCustomerIn, session: DbSession, user: Keeper) -> dict[str, Any]:
    details = service.Details(body.name, body.phone, body.email)
    row = service.create(session, user, details, body.home_store)
    return service.summary(session, row)


@router.put("/{customer_id}")
def edit(customer_id: uuid.UUID, body: CustomerIn, session: DbSession, user: Keeper) -> dict[str, Any]:
    row = service.edit(session, user, customer_id,
                       service.Details(body.name, body.phone, body.email))
    return service.summary(session, row)
