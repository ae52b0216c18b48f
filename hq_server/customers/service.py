"""Back-office customer work: search, one customer with balance and history, create and edit.

An HQ edit is a version like a till's save (merge rule 8): stamped with an hlc past the version it
replaced, so it wins over what the editor saw and loses to a till's later save.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.customers import repository
from hq_server.customers.models import Customer
from hq_server.errors import Forbidden, Invalid, NotFound
from shared.customer_events import CustomerSaved
from shared.event_checks import EventPayloadError
from shared.hlc import HybridLogicalClock, Timestamp
from shared.ids import uuid7
from shared.merge import CustomerVersion

HQ_CLOCK_NODE = "hq"


@dataclass(frozen=True, slots=True)
class Details:
    name: str
    phone: str = ""
    email: str = ""

    def checked(self) -> Details:
        """The till's rules for a customer (shared.customer_events), so both sides agree."""
        details = Details(self.name.strip(), self.phone.strip(), self.email.strip())
        try:
            CustomerSaved("-", "-", details.name, details.phone, details.email).validate()
        except EventPayloadError as error:
            raise Invalid(str(error)) from None
        return details


def create(session: Session, actor: Actor, details: Details, home_store: str | None) -> Customer:
    """A new customer at HQ; a store-scoped user must name one of their stores as its home."""
    details = details.checked()
    home_id = None
    if home_store:
        store = repository.store_by_code(session, home_store)
        if store is None:
            raise NotFound(f"no store {home_store}")
        home_id = store.id
    if not actor.scope.allows(home_id):
        raise Forbidden("give one of your stores as the customer's home store")
    repository.lock_customer_writers(session)
    row = repository.lock_or_create(session, uuid7(), home_store_id=home_id)
    return _save(session, actor, row, details, "customer.created")


def edit(session: Session, actor: Actor, customer_id: uuid.UUID, details: Details) -> Customer:
    """Edit a customer whose home store is one of the actor's (any, for chain-wide roles)."""
    details = details.checked()
    repository.lock_customer_writers(session)
    row = _editable(session, actor, customer_id)
    return _save(session, actor, row, details, "customer.edited")


def _editable(session: Session, actor: Actor, customer_id: uuid.UUID) -> Customer:
    row = repository.get(session, customer_id)
    if row is None:
        raise NotFound(f"no customer {customer_id}")
    if not actor.scope.all_stores and not actor.scope.allows(row.home_store_id):
        raise Forbidden("this customer belongs to another store: its managers edit it")
    return repository.lock_or_create(session, customer_id, home_store_id=row.home_store_id)


def _save(session: Session, actor: Actor, row: Customer, details: Details,
          action: str) -> Customer:
    before = _state(row) if row.hlc else None
    clock = HybridLogicalClock(HQ_CLOCK_NODE)
    stamp = clock.observe(Timestamp.decode(row.hlc)) if row.hlc else clock.now()
    version = CustomerVersion(stamp.encode(), details.name, details.phone, details.email)
    repository.set_details(row, version, saved_by=actor.email)
    session.flush()
    record(session, actor, action, "customer", row.id, before, _state(row))
    repository.publish(session, [row])
    return row


def _state(row: Customer) -> dict[str, Any]:
    return {"name": row.name, "phone": row.phone, "email": row.email, "hlc": row.hlc}


def one(session: Session, actor: Actor, customer_id: uuid.UUID, *, limit: int = 20) -> dict[str, Any]:
    """The customer, its balance, and its recent sales and postings in the actor's stores."""
    row = repository.get(session, customer_id)
    if row is None:
        raise NotFound(f"no customer {customer_id}")
    sales = repository.recent_sales(session, customer_id, actor.scope, limit)
    postings = repository.recent_postings(session, customer_id, actor.scope, limit)
    return {**summary(session, row),
            "recent_sales": [{"sale_id": str(s.sale_id), "store": code, "receipt_no": s.receipt_no,
                              "total_minor": s.total_minor, "currency": s.currency,
                              "sold_at": s.sold_at.isoformat()} for s, code in sales],
            "loyalty": [{"delta": p.delta, "reason": p.reason, "store": code,
                         "receipt_no": p.receipt_no, "balance_after": p.balance_after,
                         "at": p.at.isoformat()} for p, code in postings]}


def summary(session: Session, row: Customer) -> dict[str, Any]:
    return {"id": str(row.id), "name": row.name, "phone": row.phone, "email": row.email,
            "points_balance": row.points_balance, "hlc": row.hlc, "saved_by": row.saved_by,
            "home_store": repository.store_code(session, row.home_store_id)}
