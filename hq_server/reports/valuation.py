"""FIFO stock valuation, in one set-based query.

A store's on-hand is taken to be its most recently received units: on hand N means the N newest
units of that store's goods receipts (stock movements with reason "receipt", which carry the
order line's unit cost since migration 0016). Newest first, each receipt layer
gives min(its units, what is still to cover); units beyond every known receipt (opening stock,
transfers in, found stock) and stock below zero are valued at the product's current cost, the
weighted average that receiving keeps (products.cost_minor), and counted in `beyond_receipts`.

Per receipt, `newer` (units received at that store after it) is a window sum over the receipt
movements that follow it in movement order; the partial index ix_stock_movements_receipts
(product_id, store_id, id) INCLUDE (delta, unit_cost_minor) feeds the window already sorted, and
the stock rows (in the same order) merge in without a sort. No order or order line is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    Row,
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


def _keys(key: str, store_id: Any) -> list[Any]:
    """What a part groups by. Per store it is the store's id: the code is joined to the 20
    sums at the end, not to millions of rows (only per product are rows joined to stores)."""
    if key == "product":
        return [Product.sku, Product.name, CATEGORY.label("category"), Store.code.label("store"),
                Product.cost_minor]
    if key == "chain":
        return []
    return [(store_id if key == "store" else CATEGORY).label("key")]


def _with_store(query: Any, key: str, store_id: Any) -> Any:
    return query.join(Store, Store.id == store_id) if key == "product" else query


def _layers(store_ids: list[Any] | None) -> Any:
    """Receipt layers (units, unit cost) with their stock row's on-hand and the units received
    at the same store after each (`newer`). The stock row is joined before the window: both come
    in (product, store) order, so that join is a merge and the window needs no sort."""
    m, s = StockMovement, StockOnHand
    units = cast(m.delta, Integer)  # sum(integer) is bigint; sum(bigint) would be numeric
    newer = func.sum(units).over(partition_by=(m.product_id, m.store_id), order_by=m.id,
                                 rows=(1, None))
    query = (select(m.product_id, m.store_id, m.unit_cost_minor, units.label("units"), s.on_hand,
                    func.coalesce(newer, 0).label("newer"))
             .join(s, and_(s.product_id == m.product_id, s.store_id == m.store_id))
             .where(m.reason == RECEIPT, s.on_hand > 0))
    if store_ids is not None:
        query = query.where(m.store_id.in_(store_ids))
    return query.subquery("layers")


def _stock_part(store_ids: list[Any] | None, key: str) -> Any:
    """Every stock row at today's cost: the weighted-average valuation."""
    s = StockOnHand
    query = (select(*_keys(key, s.store_id), Product.currency, s.on_hand.label("on_hand"),
                    (s.on_hand * Product.cost_minor).label("wac"),
                    (s.on_hand * Product.cost_minor).label("fifo"),
                    func.greatest(s.on_hand, 0).label("beyond"))
             .select_from(s).join(Product, Product.id == s.product_id).where(s.on_hand != 0))
    query = _with_store(query, key, s.store_id)
    return query if store_ids is None else query.where(s.store_id.in_(store_ids))


def _layer_part(store_ids: list[Any] | None, key: str) -> Any:
    """Per receipt layer that on-hand reaches: the units it covers, and what FIFO adds to
    their value at today's cost (taken x (layer cost - today's cost))."""
    layers = _layers(store_ids)
    taken = func.least(layers.c.units, layers.c.on_hand - layers.c.newer)
    zero = cast(literal(0), BigInteger)
    query = (select(*_keys(key, layers.c.store_id), Product.currency, zero.label("on_hand"),
                    zero.label("wac"),
                    (taken * (layers.c.unit_cost_minor - Product.cost_minor)).label("fifo"),
                    (-taken).label("beyond"))
             .select_from(layers)
             .join(Product, Product.id == layers.c.product_id)
             # A receipt without a cost (from before 0016, its order line gone) is not a layer.
             .where(layers.c.on_hand > layers.c.newer, layers.c.unit_cost_minor.is_not(None)))
    return _with_store(query, key, layers.c.store_id)


def _summed(part: Any, names: list[str], zeros: tuple[str, ...] = ()) -> Any:
    """The part's figures summed per key and currency (`zeros`: figures that are 0 in every
    row of it, left out of the sums)."""
    rows = part.subquery()
    groups = [rows.c[name] for name in [*names, "currency"]]
    figures = [cast(literal(0), BigInteger).label(c) if c in zeros else func.sum(rows.c[c]).label(c)
               for c in ("on_hand", "wac", "fifo", "beyond")]
    return select(*groups, *figures).group_by(*groups)


def fifo_stock(session: Session, scope: StoreScope, store_code: str | None,
               key: str) -> Sequence[Row]:
    """On hand, FIFO value, WAC value and units beyond receipts per product+store, store,
    category or currency (key "chain"), in the reader's scope.

    FIFO value = WAC value + the layers' corrections, so the stock rows are read once, as for
    the weighted average, and the layers are added to them. Above product level each part is
    summed on its own first: the union then carries a few rows per key, not millions."""
    store_ids = _store_ids(session, scope, store_code)
    names = list(PRODUCT_KEYS) if key == "product" else [] if key == "chain" else ["key"]
    parts = [_stock_part(store_ids, key), _layer_part(store_ids, key)]
    if key != "product":
        parts = [_summed(parts[0], names), _summed(parts[1], names, zeros=("on_hand", "wac"))]
    both = union_all(*parts).subquery("parts")
    groups = [both.c[name] for name in [*names, "currency"]]
    if key == "store":
        groups = [Store.code.label("key"), both.c.currency]
    query = select(*groups, func.sum(both.c.on_hand).label("on_hand"),
                   func.sum(both.c.fifo).label("value_minor"),
                   func.sum(both.c.wac).label("wac_value_minor"),
                   func.sum(both.c.beyond).label("beyond_receipts"))
    if key == "store":
        query = query.join(Store, Store.id == both.c.key)
    # PostgreSQL cannot estimate how many layers on-hand reaches (on_hand > newer compares two
    # computed columns): it expects a tenth of them and would join products in nested loops.
    # (Undone after the read; a failed read rolls back, which undoes it too.)
    session.execute(text("SET LOCAL enable_nestloop = off"))
    rows = session.execute(query.group_by(*groups).order_by(*groups)).all()
    session.execute(text("RESET enable_nestloop"))
    return rows
