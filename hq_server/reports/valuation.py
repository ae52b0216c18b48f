"""FIFO stock valuation, in one set-based query.

A store's on-hand is taken to be its most recently received units: on hand N means the N newest
units of that store's goods receipts (stock movements with reason "receipt", whose reference
PO-<number> names the order line that holds their unit cost). Newest first, each receipt layer
gives min(its units, what is still to cover); units beyond every known receipt (opening stock,
transfers in, found stock) and stock below zero are valued at the product's current cost, the
weighted average that receiving keeps (products.cost_minor), and counted in `beyond_receipts`.

Per receipt, `newer` (units received at that store after it) is a window sum over the receipt
movements that follow it in movement order; the partial index ix_stock_movements_receipts
(product_id, store_id, id) feeds the window already sorted, and the stock rows (in the same
order) merge in without a sort. The order lines then give each layer its cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    Row,
    String,
    and_,
    cast,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import Product, StockMovement, StockOnHand, Store
from hq_server.purchasing.models import PurchaseOrder, PurchaseOrderLine
from hq_server.reports.repository import CATEGORY

RECEIPT = "receipt"
PRODUCT_KEYS = ("sku", "name", "category", "store", "cost_minor")


def _store_ids(session: Session, scope: StoreScope, store_code: str | None) -> list[Any] | None:
    """The stores the report covers; None for every store (no filter at all, so PostgreSQL
    plans the chain-wide read without a semi-join to guess through)."""
    if scope.all_stores and not store_code:
        return None
    query = select(Store.id)
    if store_code:
        query = query.where(Store.code == store_code)
    return list(session.scalars(scope.apply(query, Store.id)))


def _keys(key: str) -> list[Any]:
    if key == "product":
        return [Product.sku, Product.name, CATEGORY.label("category"), Store.code.label("store"),
                Product.cost_minor]
    if key == "chain":
        return []
    return [(Store.code if key == "store" else CATEGORY).label("key")]


def _layers(store_ids: list[Any] | None) -> Any:
    """Receipt layers with their stock row's on-hand and the units received at the same store
    after each (`newer`). The stock row is joined before the window: both come in (product,
    store) order, so that join is a merge and the window needs no sort."""
    m, s = StockMovement, StockOnHand
    units = cast(m.delta, Integer)  # sum(integer) is bigint; sum(bigint) would be numeric
    newer = func.sum(units).over(partition_by=(m.product_id, m.store_id), order_by=m.id,
                                 rows=(1, None))
    query = (select(m.product_id, m.store_id, m.reference, units.label("units"), s.on_hand,
                    func.coalesce(newer, 0).label("newer"))
             .join(s, and_(s.product_id == m.product_id, s.store_id == m.store_id))
             .where(m.reason == RECEIPT, s.on_hand > 0))
    if store_ids is not None:
        query = query.where(m.store_id.in_(store_ids))
    return query.subquery("layers")


def _stock_part(store_ids: list[Any] | None, key: str) -> Any:
    """Every stock row at today's cost: the weighted-average valuation."""
    s = StockOnHand
    query = (select(*_keys(key), Product.currency, s.on_hand.label("on_hand"),
                    (s.on_hand * Product.cost_minor).label("wac"),
                    (s.on_hand * Product.cost_minor).label("fifo"),
                    func.greatest(s.on_hand, 0).label("beyond"))
             .select_from(s).join(Product, Product.id == s.product_id)
             .join(Store, Store.id == s.store_id).where(s.on_hand != 0))
    return query if store_ids is None else query.where(s.store_id.in_(store_ids))


def _layer_part(store_ids: list[Any] | None, key: str) -> Any:
    """Per receipt layer that on-hand reaches: the units it covers, and what FIFO adds to
    their value at today's cost (taken x (layer cost - today's cost))."""
    layers, line = _layers(store_ids), PurchaseOrderLine
    taken = func.least(layers.c.units, layers.c.on_hand - layers.c.newer)
    zero = cast(literal(0), BigInteger)
    return (select(*_keys(key), Product.currency, zero, zero,
                   taken * (line.unit_cost_minor - Product.cost_minor), -taken)
            .select_from(layers)
            .join(PurchaseOrder, layers.c.reference == "PO-" + cast(PurchaseOrder.number, String))
            .join(line, and_(line.po_id == PurchaseOrder.id, line.product_id == layers.c.product_id))
            .join(Product, Product.id == layers.c.product_id)
            .join(Store, Store.id == layers.c.store_id)
            .where(layers.c.on_hand > layers.c.newer))


def fifo_stock(session: Session, scope: StoreScope, store_code: str | None,
               key: str) -> Sequence[Row]:
    """On hand, FIFO value, WAC value and units beyond receipts per product+store, store,
    category or currency (key "chain"), in the reader's scope.

    FIFO value = WAC value + the layers' corrections, so the stock rows are read once, as for
    the weighted average, and the layers are added to them in the same aggregate."""
    store_ids = _store_ids(session, scope, store_code)
    both = union_all(_stock_part(store_ids, key), _layer_part(store_ids, key)).subquery("parts")
    names = list(PRODUCT_KEYS) if key == "product" else [] if key == "chain" else ["key"]
    groups = [both.c[name] for name in [*names, "currency"]]
    query = select(*groups, func.sum(both.c.on_hand).label("on_hand"),
                   func.sum(both.c.fifo).label("value_minor"),
                   func.sum(both.c.wac).label("wac_value_minor"),
                   func.sum(both.c.beyond).label("beyond_receipts"))
    # A layer meets its order line on two columns that PostgreSQL takes to be independent, so
    # it expects a few dozen rows where there are millions and would walk them in nested loops.
    # (Undone after the read; a failed read rolls back, which undoes it too.)
    session.execute(text("SET LOCAL enable_nestloop = off"))
    rows = session.execute(query.group_by(*groups).order_by(*groups)).all()
    session.execute(text("RESET enable_nestloop"))
    return rows
