"""Replenishment: per store levels, reorder suggestions, and draft orders made from them.

A product is suggested for a store when its on-hand there is at or below its reorder point;
the quantity is target_level - (on_hand + in_transit + on_order), and lines with nothing left to
order (enough already coming) are dropped. on_order is ordered minus received on the store's
open orders (approved, sent, partially received). Suggestions are grouped by preferred vendor.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.db.cost_wall import is_walled
from hq_server.db.models import Product, Store
from hq_server.inventory.repository import in_transit_by_product
from hq_server.purchasing.errors import Invalid
from hq_server.purchasing.models import OPEN_PO_STATUSES, PurchaseOrder, ReplenishmentLevel
from hq_server.purchasing.orders import LineRequest, create_order
from hq_server.purchasing.vendors import ProductRef, products_by_ref


def set_levels(session: Session, actor: Actor, store: Store,
               refs: Sequence[tuple[ProductRef, int, int]]) -> int:
    """Upsert (product id or SKU, reorder_point, target_level) for `store` in one statement;
    all or none."""
    known = products_by_ref(session, [ref for ref, _, _ in refs])
    unknown = [str(ref) for ref, _, _ in refs if ref not in known]
    if unknown:
        raise Invalid(f"{len(unknown)} unknown product(s), e.g. {', '.join(unknown[:3])}; nothing was set")
    levels = [(known[ref].id, r, t) for ref, r, t in refs]
    ids = [product_id for product_id, _, _ in levels]
    if len(set(ids)) != len(ids):
        raise Invalid("a product appears twice in the levels; send each product once")
    before = {str(p): [r, t] for p, r, t in session.execute(
        select(ReplenishmentLevel.product_id, ReplenishmentLevel.reorder_point,
               ReplenishmentLevel.target_level)
        .where(ReplenishmentLevel.store_id == store.id, ReplenishmentLevel.product_id.in_(ids)))}
    rows = [{"product_id": p, "store_id": store.id, "reorder_point": r, "target_level": t}
            for p, r, t in sorted(levels)]
    upsert = insert(ReplenishmentLevel).values(rows)
    session.execute(upsert.on_conflict_do_update(
        index_elements=["product_id", "store_id"],
        set_={"reorder_point": upsert.excluded.reorder_point,
              "target_level": upsert.excluded.target_level, "updated_at": text("now()")}))
    record(session, actor, "replenishment_levels.set", "store", store.id, before,
           {str(p): [r, t] for p, r, t in levels})
    return len(rows)


def levels_of(session: Session, store: Store, *, limit: int, offset: int) -> Sequence[Row]:
    query = (select(ReplenishmentLevel, Product.sku)
             .join(Product, Product.id == ReplenishmentLevel.product_id)
             .where(ReplenishmentLevel.store_id == store.id)
             .order_by(Product.sku).limit(limit).offset(offset))
    return session.execute(query).all()


# One statement, read with one fetch: the levels at or below their reorder point with their
# on-hand (one pass over the store's stock rows), then for those only (MATERIALIZED keeps that
# order) the product, on order (this store's open orders, over the (store_id, status) index) and
# the preferred vendor's offer. Lines already covered by stock and orders are dropped here;
# in-transit units (a small set) are taken off in Python. `:only` (null: all) narrows it.
_SUGGESTIONS_SQL = f"""
    WITH low AS MATERIALIZED (
        SELECT lv.product_id, coalesce(s.on_hand, 0) AS on_hand, lv.reorder_point, lv.target_level
        FROM replenishment_levels lv
        LEFT JOIN stock_on_hand s ON s.product_id = lv.product_id AND s.store_id = lv.store_id
        WHERE lv.store_id = :store AND coalesce(s.on_hand, 0) <= lv.reorder_point
          AND (CAST(:only AS uuid[]) IS NULL OR lv.product_id = ANY(CAST(:only AS uuid[])))),
    on_order AS (
        SELECT l.product_id, sum(greatest(l.quantity_ordered - l.quantity_received, 0)) AS quantity
        FROM purchase_orders o JOIN purchase_order_lines l ON l.po_id = o.id
        WHERE o.store_id = :store AND o.status IN ({', '.join(repr(s) for s in OPEN_PO_STATUSES)})
        GROUP BY l.product_id)
    SELECT p.id, p.sku, p.name, low.on_hand, low.reorder_point, low.target_level,
           coalesce(oo.quantity, 0) AS on_order, vp.vendor_id, v.name AS vendor_name,
           vp.unit_cost_minor
    FROM low
    JOIN products p ON p.id = low.product_id
    LEFT JOIN on_order oo ON oo.product_id = low.product_id
    LEFT JOIN vendor_products vp ON vp.product_id = low.product_id AND vp.preferred
    LEFT JOIN vendors v ON v.id = vp.vendor_id
    WHERE p.active AND low.on_hand + coalesce(oo.quantity, 0) < low.target_level
"""
_SUGGESTIONS = text(_SUGGESTIONS_SQL)
# Behind the cost wall (hq_server.db.cost_wall) the vendor's cost is not even read.
_SUGGESTIONS_WITHOUT_COSTS = text(_SUGGESTIONS_SQL.replace("vp.unit_cost_minor",
                                                           "NULL::bigint AS unit_cost_minor"))


@dataclass(frozen=True, slots=True)
class Suggestion:
    product_id: uuid.UUID
    sku: str
    name: str
    on_hand: int
    in_transit: int
    on_order: int
    reorder_point: int
    target_level: int
    quantity: int
    vendor_id: uuid.UUID | None
    vendor_name: str | None
    unit_cost_minor: int | None


def suggestions(session: Session, store_id: uuid.UUID,
                only: Sequence[uuid.UUID] | None = None) -> list[Suggestion]:
    """What to order for the store (or for `only` these products of it), by vendor name then
    SKU (no preferred vendor last)."""
    statement = _SUGGESTIONS_WITHOUT_COSTS if is_walled(session) else _SUGGESTIONS
    rows = session.execute(statement, {"store": store_id,
                                       "only": None if only is None else list(only)}).all()
    if not rows:
        return []
    coming = in_transit_by_product(session, store_id)
    found = []
    for row in rows:
        transit = coming.get(row.id, 0)
        quantity = row.target_level - (row.on_hand + transit + int(row.on_order))
        if quantity > 0:
            found.append(Suggestion(row.id, row.sku, row.name, row.on_hand, transit,
                                    int(row.on_order), row.reorder_point, row.target_level,
                                    quantity, row.vendor_id, row.vendor_name, row.unit_cost_minor))
    found.sort(key=lambda s: (s.vendor_name is None, s.vendor_name or "", s.sku))
    return found


def orders_from_suggestions(session: Session, actor: Actor, store: Store,
                            refs: Sequence[tuple[ProductRef, int | None]]) -> list[PurchaseOrder]:
    """Draft orders, one per preferred vendor, for the picked products (all or none).

    A pick without a quantity takes the suggested one; a product that is not suggested needs a
    quantity, and every picked product needs a preferred vendor. Products by id or SKU.
    """
    named = products_by_ref(session, [ref for ref, _ in refs])
    unknown = [str(ref) for ref, _ in refs if ref not in named]
    if unknown:
        raise Invalid(f"no product {unknown[0]}")
    picks = [(named[ref].id, quantity) for ref, quantity in refs]
    ids = [product_id for product_id, _ in picks]
    if len(set(ids)) != len(ids):
        raise Invalid("a product is picked twice; pick each product once")
    suggested = {s.product_id: s for s in suggestions(session, store.id, only=ids)}
    preferred = _preferred_vendors(session, ids)
    by_vendor: dict[uuid.UUID, list[LineRequest]] = {}
    for product_id, quantity in picks:
        if product_id not in preferred:
            raise Invalid(f"no product {product_id}")
        vendor_id, sku = preferred[product_id]
        if vendor_id is None:
            raise Invalid(f"{sku} has no preferred vendor; link it to one first")
        if quantity is None:
            if product_id not in suggested:
                raise Invalid(f"{sku} is not suggested for {store.code}; give a quantity to order it")
            quantity = suggested[product_id].quantity
        by_vendor.setdefault(vendor_id, []).append(LineRequest(product_id, quantity))
    return [create_order(session, actor, store, vendor_id, lines, note="from replenishment suggestions")
            for vendor_id, lines in sorted(by_vendor.items())]


def _preferred_vendors(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple]:
    query = text("""SELECT p.id, vp.vendor_id, p.sku FROM products p
                    LEFT JOIN vendor_products vp ON vp.product_id = p.id AND vp.preferred
                    WHERE p.id = ANY(:ids)""")
    return {p: (v, sku) for p, v, sku in session.execute(query, {"ids": list(ids)})}
