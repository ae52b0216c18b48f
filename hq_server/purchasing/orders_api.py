"""Purchase orders and receiving.

POST /purchase-orders, PUT .../lines and POST .../{approve|send|close|cancel}: admin, buyer.
GET: every role, within their stores (costs only for cost readers). POST .../receipts: admin,
buyer, store_manager, inventory within their stores; more than ordered only admin and
store_manager.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.db.models import Product, Store
from hq_server.deps import DbSession, Offset
from hq_server.one_hop import one_hop
from hq_server.purchasing import orders, receiving
from hq_server.purchasing.access import (
    Buyer,
    OrderReader,
    Receiver,
    costs,
    read_costs,
    store_id_in_scope,
    store_in_scope,
)
from hq_server.purchasing.models import PO_STATUSES, PurchaseOrder, PurchaseOrderLine, Vendor
from hq_server.purchasing.order_list import order_page_json
from hq_server.purchasing.orders import LineRequest
from hq_server.purchasing.schemas import (
    OrderIn,
    OrderLineOut,
    OrderLinesIn,
    OrderOut,
    ReceiptIn,
    ReceiptOut,
    ReceivedLine,
)

router = APIRouter(prefix="/purchase-orders", tags=["purchasing"])
_COSTLESS = {"response_model_exclude_unset": True}
Status = Literal[PO_STATUSES]  # type: ignore[valid-type]


def order_out(session: Session, order: PurchaseOrder, actor: Actor) -> OrderOut:
    return orders_out(session, [order], actor)[0]


def orders_out(session: Session, found: Sequence[PurchaseOrder], actor: Actor) -> list[OrderOut]:
    """The orders as answered, read in four queries whatever their number (a list page of 100
    orders was 4 queries per order)."""
    ids = [order.id for order in found]
    lines: dict[uuid.UUID, list[PurchaseOrderLine]] = {order_id: [] for order_id in ids}
    for line in session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.po_id.in_(ids))
                                .order_by(PurchaseOrderLine.po_id, PurchaseOrderLine.line_no)):
        lines[line.po_id].append(line)
    # sku and name only: whole Product rows cost more to load than the rest of a list page.
    products = {p.id: p for p in session.execute(select(Product.id, Product.sku, Product.name).where(
        Product.id.in_({line.product_id for order_lines in lines.values() for line in order_lines})))}
    stores = dict(session.execute(select(Store.id, Store.code).where(
        Store.id.in_({order.store_id for order in found}))).all())
    vendors = dict(session.execute(select(Vendor.id, Vendor.name).where(
        Vendor.id.in_({order.vendor_id for order in found}))).all())
    return [_order_out(order, lines[order.id], products, stores[order.store_id],
                       vendors[order.vendor_id], actor) for order in found]


def _order_out(order: PurchaseOrder, lines: Sequence[PurchaseOrderLine], products: dict,
               store_code: str, vendor_name: str, actor: Actor) -> OrderOut:
    out_lines = [OrderLineOut(
        line_no=line.line_no, product_id=str(line.product_id), sku=products[line.product_id].sku,
        name=products[line.product_id].name, quantity_ordered=line.quantity_ordered,
        quantity_received=line.quantity_received,
        **read_costs(actor, lambda line=line: {
            "unit_cost_minor": line.unit_cost_minor,
            "line_total_minor": line.unit_cost_minor * line.quantity_ordered})) for line in lines]
    return OrderOut(
        id=str(order.id), number=orders.label(order), store_code=store_code, vendor_id=str(order.vendor_id),
        vendor_name=vendor_name, status=order.status, currency=order.currency, note=order.note,
        created_at=order.created_at, updated_at=order.updated_at, lines=out_lines,
        **read_costs(actor, lambda: {
            "total_minor": sum(line.unit_cost_minor * line.quantity_ordered for line in lines)}))


def _requests(body: OrderIn | OrderLinesIn) -> list[LineRequest]:
    return [LineRequest(line.product_id, line.quantity, line.unit_cost_minor) for line in body.lines]


@router.post("", response_model=OrderOut, status_code=201, **_COSTLESS)
def create_order(body: OrderIn, session: DbSession, user: Buyer) -> OrderOut:
    store = store_in_scope(session, user, body.store_code)
    order = orders.create_order(session, user, store, body.vendor_id, _requests(body), body.note)
    return order_out(session, order, user)


@router.get("", response_model=list[OrderOut], **_COSTLESS)
@one_hop
def list_orders(session: DbSession, user: OrderReader, store: str | None = None,
                vendor_id: uuid.UUID | None = None, status: Status | None = None,
                limit: int = Query(100, ge=1, le=500), offset: Offset = 0) -> Response:
    # The answer's JSON as written by PostgreSQL, byte for byte what response_model would write.
    page = order_page_json(session, user, store_code=store, vendor_id=vendor_id, status=status,
                           limit=limit, offset=offset)
    if store and page == "[]":
        store_id_in_scope(session, user, store)  # 404 for a store that is not among theirs
    return Response(page.encode(), media_type="application/json")


@router.get("/{order_id}", response_model=OrderOut, **_COSTLESS)
def get_order(order_id: uuid.UUID, session: DbSession, user: OrderReader) -> OrderOut:
    return order_out(session, orders.get_order(session, user, order_id), user)


@router.put("/{order_id}/lines", response_model=OrderOut, **_COSTLESS)
def replace_lines(order_id: uuid.UUID, body: OrderLinesIn, session: DbSession, user: Buyer) -> OrderOut:
    return order_out(session, orders.replace_lines(session, user, order_id, _requests(body)), user)


@router.post("/{order_id}/receipts", response_model=ReceiptOut, status_code=201, **_COSTLESS)
def receive(order_id: uuid.UUID, body: ReceiptIn, session: DbSession, user: Receiver) -> ReceiptOut:
    receipt = receiving.receive(session, user, order_id,
                                [(line.line_no, line.quantity) for line in body.lines],
                                {line.line_no: (line.batch_code, line.expires_on) for line in body.lines})
    return ReceiptOut(
        order=order_out(session, receipt.order, user),
        lines=[ReceivedLine(line_no=r.line.line_no, sku=r.sku, received_now=r.quantity,
                            quantity_ordered=r.line.quantity_ordered,
                            quantity_received=r.line.quantity_received, variance=r.variance)
               for r in receipt.lines],
        **costs(user, accrued_minor=receipt.accrued_minor))


@router.post("/{order_id}/{action}", response_model=OrderOut, **_COSTLESS)
def transition(order_id: uuid.UUID, action: Literal["approve", "send", "close", "cancel"],
               session: DbSession, user: Buyer) -> OrderOut:
    """One step of the order's life; 409 with the reason when its status does not allow it."""
    return order_out(session, orders.transition(session, user, order_id, action), user)
