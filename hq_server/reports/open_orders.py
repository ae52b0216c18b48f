"""Open purchase orders: what is still coming, from whom, to which store, and since when.

An order is open from approval until it is fully received (approved, sent, partially received:
purchasing.models.OPEN_PO_STATUSES, the same orders replenishment counts as on order). Drafts
are not commitments yet and are left out. The outstanding value is at the order lines' costs: a
cost figure, read only for readers with the cost right.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor, StoreScope
from hq_server.db.cost_wall import cost_or_zero
from hq_server.db.models import Store
from hq_server.purchasing.models import OPEN_PO_STATUSES, PurchaseOrder, PurchaseOrderLine, Vendor
from hq_server.reports.shapes import Column


def open_orders(session: Session, scope: StoreScope, store_code: str | None) -> Sequence[Row]:
    """Each open order with its units ordered, received and outstanding; oldest first."""
    outstanding = func.greatest(PurchaseOrderLine.quantity_ordered - PurchaseOrderLine.quantity_received, 0)
    unit_cost = cost_or_zero(session, PurchaseOrderLine.unit_cost_minor)
    query = (select(PurchaseOrder.number, Store.code.label("store"), Vendor.name.label("vendor"),
                    PurchaseOrder.status, PurchaseOrder.currency, PurchaseOrder.created_at,
                    func.count().label("lines"),
                    func.sum(PurchaseOrderLine.quantity_ordered).label("ordered"),
                    func.sum(PurchaseOrderLine.quantity_received).label("received"),
                    func.sum(outstanding).label("outstanding"),
                    func.sum(outstanding * unit_cost).label("outstanding_value_minor"))
             .select_from(PurchaseOrder)
             .join(PurchaseOrderLine, PurchaseOrderLine.po_id == PurchaseOrder.id)
             .join(Store, Store.id == PurchaseOrder.store_id)
             .join(Vendor, Vendor.id == PurchaseOrder.vendor_id)
             .where(PurchaseOrder.status.in_(OPEN_PO_STATUSES)))
    if store_code:
        query = query.where(Store.code == store_code)
    query = scope.apply(query, PurchaseOrder.store_id)
    groups = [PurchaseOrder.id, PurchaseOrder.number, Store.code, Vendor.name,
              PurchaseOrder.status, PurchaseOrder.currency, PurchaseOrder.created_at]
    return session.execute(query.group_by(*groups)
                           .order_by(PurchaseOrder.created_at, PurchaseOrder.number)).all()


def rows(found: Sequence[Row], today: date) -> list[dict[str, Any]]:
    return [{"po": f"PO-{r.number}", "store": r.store, "vendor": r.vendor, "status": r.status,
             "created": r.created_at.date(), "days_open": (today - r.created_at.date()).days,
             "lines": int(r.lines), "ordered": int(r.ordered), "received": int(r.received),
             "outstanding": int(r.outstanding), "currency": r.currency,
             "outstanding_value_minor": int(r.outstanding_value_minor)} for r in found]


COLUMNS = [Column("po", "Order"), Column("store", "Store"), Column("vendor", "Vendor"),
           Column("status", "Status"), Column("created", "Created"), Column("days_open", "Days open"),
           Column("lines", "Lines"), Column("ordered", "Units ordered"),
           Column("received", "Units received"), Column("outstanding", "Units outstanding"),
           Column("currency", "Currency"),
           Column("outstanding_value_minor", "Value outstanding", cost=True, money=True)]


def build(session: Session, actor: Actor, p: Any) -> tuple[list[Column], list[dict[str, Any]]]:
    """The report (reports.service.REPORTS): `p` is its Params; open orders have no window."""
    found = open_orders(session, actor.scope, p.store)
    return COLUMNS, rows(found, datetime.now(UTC).date())
