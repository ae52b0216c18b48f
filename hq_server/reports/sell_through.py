"""Sell-through: of the stock a store could sell in a window, how much it sold.

    sell-through = units sold / (units sold + units on hand at the window's end)

the buyer's usual measure of whether a line is moving (a high figure: reorder, a low one: mark
down). Units sold are the window's sale lines (returns are not taken off: a return is a
separate movement, shown in the movements report). On hand at the window's end is today's
on-hand less every movement HQ recorded since, so a past window reads as it stood then. Gift
card loads are not products and never appear.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor, StoreScope
from hq_server.db.models import Product, Sale, SaleLine, StockMovement, StockOnHand, Store
from hq_server.reports.repository import CATEGORY, bounds
from hq_server.reports.shapes import Column, Window

KEYS = ("category", "store", "product")


def sell_through(session: Session, scope: StoreScope, window: Window, store_code: str | None,
                 key: str) -> Sequence[Row]:
    """Per category, store or product: units sold, received and on hand at the window's end."""
    start, end = bounds(window)

    def per_item(query: Any, name: str) -> Any:
        return query.group_by(query.selected_columns[0], query.selected_columns[1]).subquery(name)

    # Few items move in a window (or after it): their sums are joined to the on-hand rows, which
    # name every item that ever moved, instead of summing millions of movements per item.
    sold = per_item(select(SaleLine.product_id, Sale.store_id, func.sum(SaleLine.quantity).label("n"))
                    .join(Sale, Sale.id == SaleLine.sale_id)
                    .where(Sale.sold_at >= start, Sale.sold_at < end), "sold")
    received = per_item(select(StockMovement.product_id, StockMovement.store_id,
                               func.sum(StockMovement.delta).label("n"))
                        .where(StockMovement.reason == "receipt", StockMovement.created_at >= start,
                               StockMovement.created_at < end), "received")
    since = per_item(select(StockMovement.product_id, StockMovement.store_id,
                            func.sum(StockMovement.delta).label("n"))
                     .where(StockMovement.created_at >= end), "since")

    def joined(part: Any) -> Any:
        return and_(part.c.product_id == StockOnHand.product_id, part.c.store_id == StockOnHand.store_id)

    units_sold = func.coalesce(sold.c.n, 0)
    units_received = func.coalesce(received.c.n, 0)
    closing = StockOnHand.on_hand - func.coalesce(since.c.n, 0)
    if key == "product":
        columns = [Product.sku, Product.name, CATEGORY.label("category")]
    else:
        columns = [(Store.code if key == "store" else CATEGORY).label("key")]
    query = (select(*columns, func.sum(units_sold).label("sold"),
                    func.sum(units_received).label("received"),
                    func.sum(func.greatest(closing, 0)).label("closing"))
             .select_from(StockOnHand)
             .join(Product, Product.id == StockOnHand.product_id)
             .join(Store, Store.id == StockOnHand.store_id)
             .outerjoin(sold, joined(sold)).outerjoin(received, joined(received))
             .outerjoin(since, joined(since))
             # An item sells through only if it was in play: sold, received, or on the shelf.
             .where(or_(sold.c.n.isnot(None), received.c.n.isnot(None), closing > 0)))
    if store_code:
        query = query.where(Store.code == store_code)
    query = scope.apply(query, StockOnHand.store_id)
    return session.execute(query.group_by(*columns).order_by(*columns)).all()


def sell_through_bp(sold: int, closing: int) -> int | None:
    """Sold as a share of what was there to sell, in basis points, half up (None: nothing was)."""
    there = sold + max(closing, 0)
    if there <= 0:
        return None
    return (2 * max(sold, 0) * 10000 + there) // (2 * there)


def rows(found: Sequence[Row], key: str) -> list[dict[str, Any]]:
    out = []
    for r in found:
        sold, closing = int(r.sold), int(r.closing)
        head = ({"sku": r.sku, "name": r.name, "category": r.category} if key == "product"
                else {key: r.key})
        out.append({**head, "sold": sold, "received": int(r.received), "on_hand_at_end": closing,
                    "sell_through_bp": sell_through_bp(sold, closing)})
    return out


def build(session: Session, actor: Actor, p: Any) -> tuple[list[Column], list[dict[str, Any]]]:
    """The report (reports.service.REPORTS): `p` is its Params."""
    key = p.by or KEYS[0]
    head = ([Column("sku", "SKU"), Column("name", "Product"), Column("category", "Category")]
            if key == "product" else [Column(key, key.capitalize())])
    found = sell_through(session, actor.scope, p.window, p.store, key)
    return [*head, Column("sold", "Units sold"), Column("received", "Units received"),
            Column("on_hand_at_end", "On hand at end"),
            Column("sell_through_bp", "Sell-through (bp)")], rows(found, key)
