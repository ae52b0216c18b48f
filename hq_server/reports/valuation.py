"""FIFO stock valuation, in one set-based query.

A store's on-hand is taken to be its most recently received units: on hand N means the N newest
units of that store's goods receipts (stock movements with reason "receipt", which carry the
order line's unit cost since migration 0016). Newest first, each receipt layer
gives min(its units, what is still to cover); units beyond every known receipt (opening stock,
transfers in, found stock) and stock below zero are valued at the product's current cost, the
weighted average that receiving keeps (products.cost_minor), and counted in `beyond_receipts`.

FIFO value = every stock row at today's cost (the weighted-average valuation) + per layer that
on-hand reaches, taken x (layer cost - today's cost). The layers come from the database function
fifo_layer_sums (migration 0020), which holds that rule: a layer needs the units received after
it (a window sum), and PostgreSQL runs a window only in the statement's leader process, after
the stock rows. From a function it becomes a branch a Parallel Append hands to a worker, so the
layers of each range of products (LAYER_RANGES of them) and the stock rows run side by side.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Row,
    Text,
    and_,
    bindparam,
    cast,
    column,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import Product, StockOnHand, Store
from hq_server.reports.repository import CATEGORY, NO_CATEGORY

# One range of products per parallel worker PostgreSQL starts for a statement by default
# (max_parallel_workers_per_gather = 2): each range's layers run in a worker of their own.
LAYER_RANGES = 2
_UUID = UUID(as_uuid=True)
_LAYER_COLUMNS = (column("product_id", _UUID), column("store_id", _UUID), column("category", Text),
                  column("currency", Text), column("correction_minor", BigInteger),
                  column("taken", BigInteger))


def _store_ids(session: Session, scope: StoreScope, store_code: str | None) -> list[Any] | None:
    """The stores the report covers; None for every store (no filter at all, so PostgreSQL
    plans the chain-wide read without a semi-join to guess through)."""
    if scope.all_stores and not store_code:
        return None
    query = select(Store.id)
    if store_code:
        query = query.where(Store.code == store_code)
    return list(session.scalars(scope.apply(query, Store.id)))


def _product_ranges(session: Session) -> list[tuple[uuid.UUID | None, uuid.UUID | None]]:
    """[first, below) product id bounds cutting the catalogue into LAYER_RANGES equal parts
    (None: no bound). Every product id falls in exactly one, whatever is added meanwhile."""
    count = session.scalar(select(func.count()).select_from(Product)) or 0
    cuts = [session.scalar(select(Product.id).order_by(Product.id)
                           .offset(count * part // LAYER_RANGES).limit(1))
            for part in range(1, LAYER_RANGES)] if count >= LAYER_RANGES else []
    bounds = [None, *cuts, None]
    return list(pairwise(bounds))


def _layer_sums(store_ids: list[Any] | None, first: uuid.UUID | None, below: uuid.UUID | None,
                per_product: bool, name: str) -> Any:
    """fifo_layer_sums's rows (taken, correction_minor) per store, category and currency, or
    per product and store, for the products in [first, below)."""
    call = func.fifo_layer_sums(cast(bindparam(None, store_ids, type_=ARRAY(_UUID)), ARRAY(_UUID)),
                                cast(bindparam(None, first, type_=_UUID), _UUID),
                                cast(bindparam(None, below, type_=_UUID), _UUID),
                                cast(literal(per_product), Boolean))
    return call.table_valued(*_LAYER_COLUMNS).alias(name)


def _keys(key: str, store_id: Any, category: Any) -> list[Any]:
    """What a part groups by. Per store it is the store's id: the code is joined to the 20
    sums at the end, not to millions of rows."""
    if key == "chain":
        return []
    if key == "store":
        return [store_id.label("key")]
    return [func.coalesce(func.nullif(category, ""), NO_CATEGORY).label("key")]


def _stock_part(store_ids: list[Any] | None, key: str) -> Any:
    """Every stock row at today's cost: the weighted-average valuation."""
    s = StockOnHand
    query = (select(*_keys(key, s.store_id, Product.category), Product.currency,
                    s.on_hand.label("on_hand"), (s.on_hand * Product.cost_minor).label("wac"),
                    (s.on_hand * Product.cost_minor).label("fifo"),
                    func.greatest(s.on_hand, 0).label("beyond"))
             .select_from(s).join(Product, Product.id == s.product_id).where(s.on_hand != 0))
    return query if store_ids is None else query.where(s.store_id.in_(store_ids))


def _layer_part(layers: Any, key: str) -> Any:
    """One range's layers: the units they cover (out of `beyond`) and what FIFO adds to their
    value at today's cost. Columns and types as _stock_part's, so the union stays one Append."""
    zero = cast(literal(0), BigInteger)
    return select(*_keys(key, layers.c.store_id, layers.c.category), layers.c.currency,
                  zero.label("on_hand"), zero.label("wac"), layers.c.correction_minor.label("fifo"),
                  (-layers.c.taken).label("beyond"))


def _summed(store_ids: list[Any] | None, ranges: list[Any], key: str) -> tuple[Any, list[Any]]:
    """Per store, category or currency: the stock rows and each range's layer sums, in one
    union (a Parallel Append: the ranges' layers run in workers beside the stock rows)."""
    layers = [_layer_part(_layer_sums(store_ids, first, below, False, f"layers_{n}"), key)
              for n, (first, below) in enumerate(ranges)]
    both = union_all(_stock_part(store_ids, key), *layers).subquery("parts")
    groups = [both.c[name] for name in (["key"] if key != "chain" else []) + ["currency"]]
    query = select(*groups, func.sum(both.c.on_hand).label("on_hand"),
                   func.sum(both.c.fifo).label("value_minor"),
                   func.sum(both.c.wac).label("wac_value_minor"),
                   func.sum(both.c.beyond).label("beyond_receipts")).group_by(*groups)
    if key != "store":
        return query, groups
    sums = query.subquery("sums")
    figures = [sums.c[name] for name in ("on_hand", "value_minor", "wac_value_minor",
                                         "beyond_receipts")]
    return (select(Store.code.label("key"), sums.c.currency, *figures)
            .join(Store, Store.id == sums.c.key)), [Store.code, sums.c.currency]


def _per_product(store_ids: list[Any] | None, ranges: list[Any]) -> tuple[Any, list[Any]]:
    """Per product and store: each stock row with its layers' sums (at most one row per
    product and store) joined on, nothing to group."""
    s = StockOnHand
    layers = union_all(*[select(_layer_sums(store_ids, first, below, True, f"layers_{n}"))
                         for n, (first, below) in enumerate(ranges)]).subquery("layers")
    wac = s.on_hand * Product.cost_minor
    query = (select(Product.sku, Product.name, CATEGORY.label("category"),
                    Store.code.label("store"), Product.cost_minor, Product.currency, s.on_hand,
                    (wac + func.coalesce(layers.c.correction_minor, 0)).label("value_minor"),
                    wac.label("wac_value_minor"),
                    (func.greatest(s.on_hand, 0) - func.coalesce(layers.c.taken, 0))
                    .label("beyond_receipts"))
             .select_from(s).join(Product, Product.id == s.product_id)
             .join(Store, Store.id == s.store_id)
             .outerjoin(layers, and_(layers.c.product_id == s.product_id,
                                     layers.c.store_id == s.store_id))
             .where(s.on_hand != 0))
    if store_ids is not None:
        query = query.where(s.store_id.in_(store_ids))
    return query, [Product.sku, Store.code]


def fifo_stock(session: Session, scope: StoreScope, store_code: str | None,
               key: str) -> Sequence[Row]:
    """On hand, FIFO value, WAC value and units beyond receipts per product+store, store,
    category or currency (key "chain"), in the reader's scope: the stock rows read once, as
    for the weighted average, with the layers' sums added."""
    store_ids = _store_ids(session, scope, store_code)
    ranges = _product_ranges(session)
    query, order = (_per_product(store_ids, ranges) if key == "product"
                    else _summed(store_ids, ranges, key))
    # PostgreSQL cannot estimate how many layers on-hand reaches (on_hand > newer compares two
    # computed columns): it expects a tenth of them and would join products in nested loops.
    # The function's statements inherit this. No JIT: it compiled for seconds (in each
    # process) to save about as much. Per product, no parallel workers: each would run the
    # layer function again for a join of its own. (SET LOCAL ends with the transaction.)
    session.execute(text("SET LOCAL enable_nestloop = off"))
    session.execute(text("SET LOCAL jit = off"))
    if key == "product":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    rows = session.execute(query.order_by(*order)).all()
    session.execute(text("RESET enable_nestloop"))
    session.execute(text("RESET jit"))
    session.execute(text("RESET max_parallel_workers_per_gather"))
    return rows
