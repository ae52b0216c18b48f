"""Stock queries for the back office and the dashboard."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Row, func, select, text
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import Product, StockOnHand, Store
from hq_server.db.text_search import product_matches


def on_hand_list(session: Session, *, store_code: str | None, sku: str | None,
                 limit: int, offset: int, scope: StoreScope | None = None) -> Sequence[Row]:
    query = (
        select(Product.id.label("product_id"), Product.sku, Product.name, Store.id.label("store_id"),
               Store.code.label("store_code"), StockOnHand.on_hand, Product.reorder_point)
        .join(StockOnHand, StockOnHand.product_id == Product.id)
        .join(Store, Store.id == StockOnHand.store_id)
        .order_by(Product.sku, Store.code).limit(limit).offset(offset)
    )
    if store_code:
        # By the store's id: PostgreSQL then reads one stock row per product (primary key), not
        # every store's row to keep one.
        query = query.where(StockOnHand.store_id == select(Store.id).where(Store.code == store_code)
                            .scalar_subquery())
    if sku:
        query = query.where(Product.sku == sku)
    if scope is not None:
        query = scope.apply(query, Store.id)
    # A page walks two indexes and stops after offset + limit rows: the two parallel workers
    # PostgreSQL plans for it take longer to start than the walk takes (20 ms against 5).
    session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    return session.execute(query).all()


def search_products(session: Session, q: str, *, limit: int, offset: int) -> tuple[Sequence[Product], int]:
    query = select(Product)
    if q:
        query = query.where(product_matches(q))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return session.scalars(query.order_by(Product.sku).limit(limit).offset(offset)).all(), total


def on_hand_for(session: Session, product_ids: Sequence[uuid.UUID]) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    query = select(StockOnHand.product_id, StockOnHand.store_id, StockOnHand.on_hand) \
        .where(StockOnHand.product_id.in_(product_ids))
    return {(p, s): n for p, s, n in session.execute(query)}


def store_totals(session: Session) -> dict[uuid.UUID, tuple[int, int, int]]:
    """Per store: units on hand, lines at or below reorder point, lines out of stock."""
    query = (
        select(StockOnHand.store_id, func.sum(StockOnHand.on_hand),
               func.count().filter(StockOnHand.on_hand <= Product.reorder_point, StockOnHand.on_hand > 0),
               func.count().filter(StockOnHand.on_hand <= 0))
        .join(Product, Product.id == StockOnHand.product_id)
        .group_by(StockOnHand.store_id)
    )
    return {s: (int(u or 0), int(low), int(out)) for s, u, low, out in session.execute(query)}
