"""Transfers between stores (merge rule 7): request -> approve -> ship -> receive, or cancel.

Ship takes the units off the source's on-hand (they are then in transit) and refuses, in words,
to ship more than the source holds: its stock rows are locked first, so two transfers racing
for the last units cannot both take them. Receive puts what arrived on at the destination; a
difference from what was shipped raises one transfer_variance exception.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.db.models import Product, Store
from hq_server.exceptions.service import Raised, raise_exception
from hq_server.inventory import repository
from hq_server.inventory.errors import Conflict, Invalid, NotFound
from hq_server.inventory.models import Transfer, TransferLine
from hq_server.stock.service import StockBatch
from shared.ids import uuid7
from shared.merge import transfer_variance


def request(session: Session, actor: Actor, *, from_ref: str, to_ref: str,
            lines: list[tuple[str, int]], note: str = "") -> Transfer:
    source, destination = repository.store(session, from_ref), repository.store(session, to_ref)
    if source.id == destination.id:
        raise Invalid(f"a transfer needs two stores; both are {source.code}")
    if not lines:
        raise Invalid("a transfer needs at least one line")
    if any(quantity <= 0 for _, quantity in lines):
        raise Invalid("every line needs a quantity of at least 1")
    _require_either(actor, source, destination, "request a transfer")
    products = repository.products(session, [ref for ref, _ in lines])
    quantities: dict[uuid.UUID, int] = {}
    for ref, quantity in lines:
        quantities[products[ref].id] = quantities.get(products[ref].id, 0) + quantity
    transfer = Transfer(id=uuid7(), from_store_id=source.id, to_store_id=destination.id,
                        status="requested", note=note, requested_by=actor.user_id)
    session.add(transfer)
    session.flush()
    session.add_all(TransferLine(transfer_id=transfer.id, product_id=p, quantity=q)
                    for p, q in quantities.items())
    session.flush()
    record(session, actor, "transfer.requested", "transfer", transfer.id, None, state(session, transfer))
    return transfer


def approve(session: Session, actor: Actor, transfer_id: uuid.UUID) -> Transfer:
    transfer = _locked(session, actor, transfer_id)
    repository.require_writer(actor, _store(session, transfer.from_store_id), "approve this transfer")
    return _advance(session, actor, transfer, "requested", "approved")


def cancel(session: Session, actor: Actor, transfer_id: uuid.UUID) -> Transfer:
    transfer = _locked(session, actor, transfer_id)
    _require_either(actor, _store(session, transfer.from_store_id),
                    _store(session, transfer.to_store_id), "cancel this transfer")
    if transfer.status not in ("requested", "approved"):
        raise Conflict(f"transfer {transfer.reference} is {transfer.status}; only a transfer not yet "
                       "shipped can be cancelled")
    return _advance(session, actor, transfer, transfer.status, "cancelled")


def ship(session: Session, actor: Actor, transfer_id: uuid.UUID) -> Transfer:
    """Rule 7, first fact: the units leave the source, refusing to ship what is not on hand."""
    transfer = _locked(session, actor, transfer_id)
    source = _store(session, transfer.from_store_id)
    repository.require_writer(actor, source, "ship this transfer")
    _expect(transfer, "approved", "shipped")
    lines = _lines(session, transfer)
    levels = repository.lock_levels(session, [(line.product_id, source.id) for line in lines])
    short = [line for line in lines if levels[(line.product_id, source.id)] < line.quantity]
    if short:
        skus = _skus(session, [line.product_id for line in short])
        raise Conflict(f"cannot ship {transfer.reference}: " + "; ".join(
            f"{source.code} has {levels[(line.product_id, source.id)]} of {skus[line.product_id]} "
            f"on hand, the transfer ships {line.quantity}" for line in short))
    batch = StockBatch()
    for line in lines:
        batch.add(line.product_id, source.id, -line.quantity, "transfer_out",
                  reference=transfer.reference, user_id=actor.user_id, note=None)
    batch.flush(session)
    return _advance(session, actor, transfer, "approved", "shipped")


def receive(session: Session, actor: Actor, transfer_id: uuid.UUID,
            received: dict[str, int] | None = None) -> Transfer:
    """Rule 7, second fact: what arrived goes on hand at the destination (omitted lines arrived
    as shipped); any difference raises one transfer_variance exception."""
    transfer = _locked(session, actor, transfer_id)
    destination = _store(session, transfer.to_store_id)
    repository.require_writer(actor, destination, "receive this transfer")
    _expect(transfer, "shipped", "received")
    lines = {line.product_id: line for line in _lines(session, transfer)}
    arrived = _arrived(session, transfer, lines, received or {})
    batch = StockBatch()
    for product_id, quantity in arrived.items():
        lines[product_id].received = quantity
        if quantity:
            batch.add(product_id, destination.id, quantity, "transfer_in",
                      reference=transfer.reference, user_id=actor.user_id, note=None)
    batch.flush(session)
    _raise_variance(session, transfer, lines)
    return _advance(session, actor, transfer, "shipped", "received")


def _arrived(session: Session, transfer: Transfer, lines: dict[uuid.UUID, TransferLine],
             received: dict[str, int]) -> dict[uuid.UUID, int]:
    products = repository.products(session, received) if received else {}
    arrived = {p: line.quantity for p, line in lines.items()}
    for ref, quantity in received.items():
        product = products[ref]
        if product.id not in lines:
            raise Invalid(f"{product.sku} is not on transfer {transfer.reference}")
        if quantity < 0:
            raise Invalid(f"received quantity of {product.sku} cannot be negative ({quantity})")
        arrived[product.id] = quantity
    return arrived


def _raise_variance(session: Session, transfer: Transfer, lines: dict[uuid.UUID, TransferLine]) -> None:
    diffs = transfer_variance({str(p): line.quantity for p, line in lines.items()},
                              {str(p): line.received or 0 for p, line in lines.items()})
    if not diffs:
        return
    skus = _skus(session, [uuid.UUID(p) for p in diffs])
    details = {"reference": transfer.reference, "transfer_id": str(transfer.id), "lines": [
        {"sku": skus[uuid.UUID(p)], "shipped": lines[uuid.UUID(p)].quantity,
         "received": lines[uuid.UUID(p)].received, "difference": d} for p, d in diffs.items()]}
    raise_exception(session, Raised("transfer_variance", f"transfer_variance:{transfer.id}", details,
                                    store_id=transfer.to_store_id))


def _locked(session: Session, actor: Actor, transfer_id: uuid.UUID) -> Transfer:
    """The transfer, locked until commit; one outside the actor's stores is not found."""
    transfer = session.scalar(select(Transfer).where(Transfer.id == transfer_id).with_for_update())
    if transfer is None or not (actor.scope.allows(transfer.from_store_id)
                                or actor.scope.allows(transfer.to_store_id)):
        raise NotFound(f"no transfer {transfer_id}")
    return transfer


def _expect(transfer: Transfer, status: str, doing: str) -> None:
    if transfer.status != status:
        raise Conflict(f"transfer {transfer.reference} is {transfer.status}; it can be {doing} only "
                       f"when {status}")


def _advance(session: Session, actor: Actor, transfer: Transfer, old: str, new: str) -> Transfer:
    before = state(session, transfer)
    transfer.status = new
    setattr(transfer, f"{new}_by", actor.user_id)
    setattr(transfer, f"{new}_at", datetime.now(UTC))
    session.flush()
    record(session, actor, f"transfer.{new}", "transfer", transfer.id, before, state(session, transfer))
    return transfer


def _require_either(actor: Actor, source: Store, destination: Store, doing: str) -> None:
    """Either end of a transfer may request or cancel it."""
    mine = source if actor.scope.allows(source.id) else destination
    repository.require_writer(actor, mine, doing)


def _store(session: Session, store_id: uuid.UUID) -> Store:
    return session.get_one(Store, store_id)


def _lines(session: Session, transfer: Transfer) -> list[TransferLine]:
    return list(session.scalars(select(TransferLine).where(TransferLine.transfer_id == transfer.id)
                                .order_by(TransferLine.product_id)))


def _skus(session: Session, product_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    return dict(session.execute(select(Product.id, Product.sku).where(Product.id.in_(product_ids))).all())


def state(session: Session, transfer: Transfer) -> dict[str, Any]:
    """The transfer as the API and the audit log show it."""
    stores = dict(session.execute(select(Store.id, Store.code).where(
        Store.id.in_([transfer.from_store_id, transfer.to_store_id]))).all())
    lines = _lines(session, transfer)
    skus = _skus(session, [line.product_id for line in lines])
    return {"id": str(transfer.id), "reference": transfer.reference, "status": transfer.status,
            "from_store": stores[transfer.from_store_id], "to_store": stores[transfer.to_store_id],
            "note": transfer.note,
            "lines": [{"product_id": str(line.product_id), "sku": skus[line.product_id],
                       "quantity": line.quantity, "received": line.received} for line in lines],
            **{f"{step}_at": _iso(getattr(transfer, f"{step}_at"))
               for step in ("requested", "approved", "shipped", "received", "cancelled")}}


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
