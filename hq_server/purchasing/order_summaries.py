"""Read-only figures about purchase orders that lists and screens need beyond orders.py: how many
orders each status holds (tabs and paging), per-order line totals (one query for a page of
orders, not one per order), and the barcodes a receiving screen matches scans against."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.db.models import ProductBarcode
from hq_server.purchasing.models import PurchaseOrder, PurchaseOrderLine


@dataclass(frozen=True, slots=True)
class OrderSummary:
    lines: int
    units_ordered: int
    units_received: int
    total_minor: int  # ordered quantity x unit cost: show only to cost readers


def counts_by_status(session: Session, actor: Actor, *, store_id: uuid.UUID | None,
                     vendor_id: uuid.UUID | None) -> dict[str, int]:
    """Orders per status within the actor's stores (and the store / vendor asked for)."""
    query = actor.scope.apply(select(PurchaseOrder.status, func.count()), PurchaseOrder.store_id)
    if store_id is not None:
        query = query.where(PurchaseOrder.store_id == store_id)
    if vendor_id is not None:
        query = query.where(PurchaseOrder.vendor_id == vendor_id)
    return dict(session.execute(query.group_by(PurchaseOrder.status)).all())


def by_numbers(session: Session, actor: Actor, numbers: Iterable[int]) -> list[PurchaseOrder]:
    """The orders with these numbers (PO-<number>) among the actor's stores, by number."""
    query = select(PurchaseOrder).where(PurchaseOrder.number.in_(list(numbers)))
    return list(session.scalars(actor.scope.apply(query, PurchaseOrder.store_id)
                                .order_by(PurchaseOrder.number)))


def summaries(session: Session, order_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, OrderSummary]:
    ids = list(order_ids)
    if not ids:
        return {}
    line = PurchaseOrderLine
    query = (select(line.po_id, func.count(), func.sum(line.quantity_ordered),
                    func.sum(line.quantity_received),
                    func.sum(line.quantity_ordered * line.unit_cost_minor))
             .where(line.po_id.in_(ids)).group_by(line.po_id))
    return {po_id: OrderSummary(n, int(ordered), int(received), int(total))
            for po_id, n, ordered, received, total in session.execute(query)}


def barcodes_by_product(session: Session, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    ids = list(product_ids)
    found: dict[uuid.UUID, list[str]] = {i: [] for i in ids}
    if ids:
        query = (select(ProductBarcode.product_id, ProductBarcode.barcode)
                 .where(ProductBarcode.product_id.in_(ids)).order_by(ProductBarcode.barcode))
        for product_id, barcode in session.execute(query):
            found[product_id].append(barcode)
    return found
