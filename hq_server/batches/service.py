"""Batches for people: marking products as tracked, alert windows, what a store holds, FEFO picks.

Who: admin and buyer decide which products track batches (it is catalogue data); admin, or a
store manager in their own stores, sets a store's expiry alert window; every role reads within
its stores. Reads settle the ledger first (batches.allocation), so they are never behind it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.batches.allocation import settle
from hq_server.batches.fefo import Lot, fefo
from hq_server.batches.models import (
    DEFAULT_ALERT_DAYS,
    BatchAllocation,
    BatchRemainder,
    BatchTracking,
    ExpiryAlertWindow,
    ProductBatch,
)
from hq_server.db.models import Product, StockOnHand, Store
from hq_server.inventory import repository
from hq_server.inventory.errors import Forbidden

TRACKING_EDITORS = frozenset({"admin", "buyer"})
WINDOW_EDITORS = frozenset({"admin", "store_manager"})


def is_tracked(session: Session, product_id: uuid.UUID) -> bool:
    return session.get(BatchTracking, product_id) is not None


def tracked_among(session: Session, product_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these products track batches (one query: a receive screen's lines)."""
    return set(session.scalars(select(BatchTracking.product_id)
                               .where(BatchTracking.product_id.in_(product_ids))))


def set_tracking(session: Session, actor: Actor, product_ref: str, tracked: bool) -> dict[str, Any]:
    """Start or stop tracking a product's batches. Starting allocates its whole ledger so far:
    the stock already on hand becomes its unbatched remainder at each store."""
    if actor.role not in TRACKING_EDITORS:
        raise Forbidden(f"your role ({actor.role}) may not change which products track batches; "
                        "needs admin or buyer")
    product = repository.product(session, product_ref)
    was = is_tracked(session, product.id)
    if tracked and not was:
        session.execute(insert(BatchTracking).values(product_id=product.id, set_by=actor.user_id)
                        .on_conflict_do_nothing())
        settle(session, [product.id])
    elif was and not tracked:
        session.execute(BatchTracking.__table__.delete().where(BatchTracking.product_id == product.id))
    if was != tracked:
        record(session, actor, "product.batch_tracking", "product", product.id,
               {"tracked": was}, {"tracked": tracked})
    return {"product": product.sku, "tracked": tracked}


def alert_days(session: Session, store_id: uuid.UUID) -> int:
    days = session.scalar(select(ExpiryAlertWindow.days).where(ExpiryAlertWindow.store_id == store_id))
    return DEFAULT_ALERT_DAYS if days is None else days


def set_alert_window(session: Session, actor: Actor, store_ref: str, days: int) -> dict[str, Any]:
    store = repository.store(session, store_ref)
    if actor.role not in WINDOW_EDITORS:
        raise Forbidden(f"your role ({actor.role}) may not set expiry alerts; needs admin or "
                        "store_manager")
    if not actor.scope.allows(store.id):
        raise Forbidden(f"you may not set expiry alerts at store {store.code}: it is not one of "
                        "your stores")
    before = alert_days(session, store.id)
    session.execute(insert(ExpiryAlertWindow).values(store_id=store.id, days=days)
                    .on_conflict_do_update(index_elements=["store_id"], set_={"days": days}))
    record(session, actor, "store.expiry_alert_days", "store", store.id, {"days": before}, {"days": days})
    return {"store": store.code, "expiry_alert_days": days}


def readable_store(actor: Actor, session: Session, store_ref: str) -> Store:
    store = repository.store(session, store_ref)
    if not actor.scope.allows(store.id):
        raise Forbidden(f"store {store.code} is not one of your stores")
    return store


@dataclass(frozen=True, slots=True)
class Holding:
    """A tracked product at a store: its batches (FEFO order) and the unbatched remainder."""

    product: Product
    store: Store
    tracked: bool
    lots: list[Lot]
    unbatched: int
    on_hand: int


def holding(session: Session, actor: Actor, product_ref: str, store_ref: str) -> Holding:
    product = repository.product(session, product_ref)
    store = readable_store(actor, session, store_ref)
    settle(session, [product.id])
    rows = session.scalars(select(ProductBatch).where(
        ProductBatch.product_id == product.id, ProductBatch.store_id == store.id))
    lots = sorted((Lot(b.id, b.code, b.expires_on, b.received_at, b.quantity) for b in rows),
                  key=lambda lot: lot.fefo_key)
    unbatched = session.scalar(select(BatchRemainder.unbatched).where(
        BatchRemainder.product_id == product.id, BatchRemainder.store_id == store.id)) or 0
    on_hand = session.scalar(select(StockOnHand.on_hand).where(
        StockOnHand.product_id == product.id, StockOnHand.store_id == store.id)) or 0
    return Holding(product, store, is_tracked(session, product.id), lots, int(unbatched), int(on_hand))


def lot_out(lot: Lot, today: date) -> dict[str, Any]:
    return {"batch": lot.code, "expires_on": lot.expires_on, "days_left": (lot.expires_on - today).days,
            "quantity": lot.quantity, "received_at": lot.received_at}


def describe(h: Holding, today: date) -> dict[str, Any]:
    return {"product": h.product.sku, "store": h.store.code, "tracked": h.tracked,
            "on_hand": h.on_hand, "unbatched": h.unbatched,
            "batches": [lot_out(lot, today) for lot in h.lots if lot.quantity > 0],
            "reconciled": h.on_hand == h.unbatched + sum(lot.quantity for lot in h.lots)}


def suggest(h: Holding, quantity: int, today: date) -> dict[str, Any]:
    """Which batches to pick `quantity` from: unexpired batches FEFO, then unbatched stock.
    Expired batches are listed apart, to be written off (a damage adjustment takes them first)."""
    live = [lot for lot in fefo(h.lots) if lot.expires_on >= today]
    picks, rest = [], quantity
    for lot in live:
        if rest <= 0:
            break
        n = min(lot.quantity, rest)
        picks.append({**lot_out(lot, today), "pick": n})
        rest -= n
    if rest > 0 and h.unbatched > 0:
        n = min(h.unbatched, rest)
        picks.append({"batch": None, "expires_on": None, "days_left": None, "quantity": h.unbatched,
                      "pick": n})
        rest -= n
    expired = [lot_out(lot, today) for lot in fefo(h.lots) if lot.expires_on < today]
    return {"product": h.product.sku, "store": h.store.code, "quantity": quantity, "picks": picks,
            "short": rest, "expired": expired}


_RECONCILE = text("""
    SELECT o.product_id, o.store_id, o.on_hand, coalesce(r.unbatched, 0) AS unbatched,
           coalesce(b.held, 0) AS in_batches
    FROM stock_on_hand o
    JOIN batch_tracked_products t ON t.product_id = o.product_id
    LEFT JOIN batch_remainders r ON r.product_id = o.product_id AND r.store_id = o.store_id
    LEFT JOIN (SELECT product_id, store_id, sum(quantity) AS held FROM product_batches
               GROUP BY product_id, store_id) b ON b.product_id = o.product_id AND b.store_id = o.store_id
    WHERE o.on_hand <> coalesce(r.unbatched, 0) + coalesce(b.held, 0)
""")


def unreconciled(session: Session) -> list[tuple[uuid.UUID, uuid.UUID, int, int, int]]:
    """(product, store, on hand, unbatched, in batches) wherever a tracked product's batches and
    remainder do not add up to its on-hand, after settling: empty when all is well."""
    settle(session)
    return [tuple(row) for row in session.execute(_RECONCILE)]


def batch_totals(session: Session) -> dict[uuid.UUID, int]:
    """Units per batch as the allocation ledger adds them up (to check the stored quantities)."""
    query = (select(BatchAllocation.batch_id, func.sum(BatchAllocation.quantity))
             .where(BatchAllocation.batch_id.is_not(None)).group_by(BatchAllocation.batch_id))
    return {b: int(q) for b, q in session.execute(query)}
