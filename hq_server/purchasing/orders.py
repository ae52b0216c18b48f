"""Purchase orders: one store, one vendor, lines of product x quantity x unit cost.

    draft -> approved -> sent -> partially_received -> received -> closed
    draft | approved | sent -> cancelled

Lines change only in draft. Receiving (receiving.py) moves sent orders on. A partially received
order may be closed too: the rest will not come, and it stops counting as on order.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.db.models import Store
from hq_server.purchasing.errors import IllegalTransition, Invalid, NotFound
from hq_server.purchasing.models import PurchaseOrder, PurchaseOrderLine
from hq_server.purchasing.vendors import ProductRef, get_vendor, products_by_ref, vendor_costs
from shared.ids import uuid7

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": (("draft",), "approved"),
    "send": (("approved",), "sent"),
    "close": (("received", "partially_received"), "closed"),
    "cancel": (("draft", "approved", "sent"), "cancelled"),
}


@dataclass(frozen=True, slots=True)
class LineRequest:
    product_id: ProductRef
    quantity: int
    unit_cost_minor: int | None = None


def label(order: PurchaseOrder) -> str:
    return f"PO-{order.number}"


def get_order(session: Session, actor: Actor, order_id: uuid.UUID, *,
              for_update: bool = False) -> PurchaseOrder:
    """The order, if in the actor's stores (`for_update`: row-locked until commit)."""
    query = select(PurchaseOrder).where(PurchaseOrder.id == order_id)
    order = session.scalar(query.with_for_update() if for_update else query)
    if order is None or not actor.scope.allows(order.store_id):
        raise NotFound(f"no purchase order {order_id} among your stores")
    return order


def lines_of(session: Session, order_id: uuid.UUID) -> Sequence[PurchaseOrderLine]:
    query = select(PurchaseOrderLine).where(PurchaseOrderLine.po_id == order_id) \
        .order_by(PurchaseOrderLine.line_no)
    return session.scalars(query).all()


def order_state(session: Session, order: PurchaseOrder) -> dict[str, Any]:
    return {"number": label(order), "status": order.status, "store_id": str(order.store_id),
            "vendor_id": str(order.vendor_id),
            "lines": [{"line_no": line.line_no, "product_id": str(line.product_id),
                       "quantity_ordered": line.quantity_ordered,
                       "quantity_received": line.quantity_received,
                       "unit_cost_minor": line.unit_cost_minor} for line in lines_of(session, order.id)]}


def create_order(session: Session, actor: Actor, store: Store, vendor_id: uuid.UUID,
                 lines: Sequence[LineRequest], note: str = "") -> PurchaseOrder:
    vendor = get_vendor(session, vendor_id)
    if not vendor.active:
        raise Invalid(f"vendor {vendor.name} is inactive; reactivate it before ordering")
    if vendor.currency != store.currency:
        raise Invalid(f"vendor {vendor.name} sells in {vendor.currency}, store {store.code} "
                      f"buys in {store.currency}")
    order = PurchaseOrder(id=uuid7(), store_id=store.id, vendor_id=vendor.id, status="draft",
                          currency=vendor.currency, note=note, created_by=actor.user_id)
    session.add(order)
    session.flush()
    _write_lines(session, order, lines)
    session.refresh(order)
    record(session, actor, "purchase_order.created", "purchase_order", order.id, None,
           order_state(session, order))
    return order


def replace_lines(session: Session, actor: Actor, order_id: uuid.UUID,
                  lines: Sequence[LineRequest]) -> PurchaseOrder:
    order = get_order(session, actor, order_id, for_update=True)
    if order.status != "draft":
        raise IllegalTransition(f"{label(order)} is {order.status}: lines change only in draft")
    before = order_state(session, order)
    session.execute(delete(PurchaseOrderLine).where(PurchaseOrderLine.po_id == order.id))
    _write_lines(session, order, lines)
    order.updated_at = datetime.now(UTC)
    session.flush()
    record(session, actor, "purchase_order.lines_replaced", "purchase_order", order.id, before,
           order_state(session, order))
    return order


def _write_lines(session: Session, order: PurchaseOrder, lines: Sequence[LineRequest]) -> None:
    products = products_by_ref(session, [line.product_id for line in lines])
    ids = [products[line.product_id].id for line in lines if line.product_id in products]
    if len(set(ids)) != len(ids):
        raise Invalid("a product appears on two lines; put its whole quantity on one line")
    costs = vendor_costs(session, order.vendor_id, ids)
    rows = []
    for line_no, line in enumerate(lines, start=1):
        product = products.get(line.product_id)
        if product is None:
            raise Invalid(f"line {line_no}: no product {line.product_id}")
        if product.currency != order.currency:
            raise Invalid(f"line {line_no}: {product.sku} is priced in {product.currency}, "
                          f"the order is in {order.currency}")
        cost = line.unit_cost_minor if line.unit_cost_minor is not None else costs.get(product.id)
        if cost is None:
            raise Invalid(f"line {line_no}: {product.sku} has no cost from this vendor; "
                          "link the product to the vendor or give unit_cost_minor")
        rows.append(PurchaseOrderLine(po_id=order.id, line_no=line_no, product_id=product.id,
                                      quantity_ordered=line.quantity, quantity_received=0,
                                      unit_cost_minor=cost))
    session.add_all(rows)
    session.flush()


def transition(session: Session, actor: Actor, order_id: uuid.UUID, action: str) -> PurchaseOrder:
    """Move the order one step (approve, send, close, cancel); 409 in words when it may not."""
    starts, target = TRANSITIONS[action]
    order = get_order(session, actor, order_id, for_update=True)
    if order.status not in starts:
        raise IllegalTransition(f"cannot {action} {label(order)}: it is {order.status}, and only "
                                f"an order that is {' or '.join(starts)} can be {target}")
    before = {"status": order.status}
    order.status, order.updated_at = target, datetime.now(UTC)
    session.flush()
    record(session, actor, f"purchase_order.{target}", "purchase_order", order.id, before,
           {"status": target, "number": label(order)})
    return order


def listing(session: Session, actor: Actor, *, store_id: uuid.UUID | None,
            vendor_id: uuid.UUID | None, status: str | None, limit: int,
            offset: int) -> Sequence[PurchaseOrder]:
    query = actor.scope.apply(select(PurchaseOrder), PurchaseOrder.store_id)
    if store_id is not None:
        query = query.where(PurchaseOrder.store_id == store_id)
    if vendor_id is not None:
        query = query.where(PurchaseOrder.vendor_id == vendor_id)
    if status is not None:
        query = query.where(PurchaseOrder.status == status)
    query = query.order_by(PurchaseOrder.number.desc()).limit(limit).offset(offset)
    return session.scalars(query).all()
