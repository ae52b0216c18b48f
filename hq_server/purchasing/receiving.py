"""Receiving goods against a purchase order.

One receipt, one transaction: the order row is locked first (SELECT ... FOR UPDATE), so two
people receiving the same order at once are serialised and the second sees what the first
received; nobody can take a line past its ordered quantity unless their role may over-receive.
Then, in a fixed order (products by id, then stock rows by StockBatch), the products' weighted
average costs, the stock movements (reason "receipt", reference PO-<number>), the on-hand
published to tills and the dashboard, the amount owed to the vendor, and the audit row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.batches.receiving import check_receipt, record_receipt
from hq_server.db.cost_wall import costs_lifted
from hq_server.db.models import Product, StockOnHand
from hq_server.purchasing.errors import IllegalTransition, Invalid, Refused
from hq_server.purchasing.ledger import accrue
from hq_server.purchasing.models import PurchaseOrder, PurchaseOrderLine
from hq_server.purchasing.orders import get_order, label, lines_of, order_state
from hq_server.stock.service import Names, StockBatch, publish
from shared.money import div_round_half_up

RECEIVABLE = ("sent", "partially_received")
# May accept more than was ordered; other receivers stop at the ordered quantity.
OVER_RECEIVERS = frozenset({"admin", "store_manager"})


@dataclass(frozen=True, slots=True)
class Received:
    line: PurchaseOrderLine
    sku: str
    quantity: int

    @property
    def variance(self) -> int:
        """Received so far minus ordered: above zero is over-received, below is still short."""
        return self.line.quantity_received - self.line.quantity_ordered


@dataclass(frozen=True, slots=True)
class Receipt:
    order: PurchaseOrder
    lines: list[Received]
    accrued_minor: int


def receive(session: Session, actor: Actor, order_id: uuid.UUID,
            quantities: Sequence[tuple[int, int]],
            batches: dict[int, tuple[str | None, date | None]] | None = None) -> Receipt:
    """Receive (line_no, quantity) pairs against the order; all of them or none. `batches`:
    line_no -> (batch code, expiry date), required for products that track batches.

    Inventory staff receive without the right to see costs, yet a receipt re-averages cost
    prices and accrues what is owed to the vendor: the cost wall is lifted for this call only
    (the answer still leaves the costs out for them)."""
    with costs_lifted(session, "receiving re-averages cost prices and accrues the vendor's due"):
        return _receive(session, actor, order_id, quantities, batches)


def _receive(session: Session, actor: Actor, order_id: uuid.UUID,
             quantities: Sequence[tuple[int, int]],
             batches: dict[int, tuple[str | None, date | None]] | None) -> Receipt:
    order = get_order(session, actor, order_id, for_update=True)
    if order.status not in RECEIVABLE:
        raise IllegalTransition(f"cannot receive against {label(order)}: it is {order.status}; "
                                "goods are received once the order is sent")
    before = order_state(session, order)
    lines = {line.line_no: line for line in lines_of(session, order.id)}
    wanted = _checked(quantities, lines)
    skus = _skus(session, [line.product_id for line in lines.values()])
    _refuse_over_receipt(actor, order, wanted, lines, skus)
    labels = check_receipt(session, order.store_id, [
        (lines[n].product_id, skus[lines[n].product_id], q, *(batches or {}).get(n, (None, None)))
        for n, q in sorted(wanted.items())])
    costs = _update_average_costs(session, [(lines[n], q) for n, q in wanted.items()])
    batch = StockBatch()
    received = []
    for line_no, quantity in sorted(wanted.items()):
        line = lines[line_no]
        line.quantity_received += quantity
        batch.add(line.product_id, order.store_id, quantity, "receipt", reference=label(order),
                  user_id=actor.user_id, unit_cost_minor=line.unit_cost_minor)
        received.append(Received(line, skus[line.product_id], quantity))
    done = all(line.quantity_received >= line.quantity_ordered for line in lines.values())
    order.status, order.updated_at = ("received" if done else "partially_received"), datetime.now(UTC)
    session.flush()
    amount = sum(r.quantity * r.line.unit_cost_minor for r in received)
    accrue(session, actor, order, amount)
    record(session, actor, "purchase_order.received", "purchase_order", order.id, before,
           {**order_state(session, order), "received_now": {str(n): q for n, q in wanted.items()},
            "accrued_minor": amount, "average_costs": costs})
    names = Names.fetch(session, batch.totals)
    on_hand = batch.write(session)
    record_receipt(session, order.store_id, label(order), labels)  # tracked products' batches
    publish(session, on_hand, names)  # last: it takes the change-log lock, held until commit
    return Receipt(order, received, amount)


def _checked(quantities: Sequence[tuple[int, int]],
             lines: dict[int, PurchaseOrderLine]) -> dict[int, int]:
    wanted: dict[int, int] = {}
    for line_no, quantity in quantities:
        if line_no not in lines:
            raise Invalid(f"the order has no line {line_no} (it has lines 1 to {len(lines)})")
        if line_no in wanted:
            raise Invalid(f"line {line_no} appears twice in the receipt; send its total once")
        wanted[line_no] = quantity
    return wanted


def _refuse_over_receipt(actor: Actor, order: PurchaseOrder, wanted: dict[int, int],
                         lines: dict[int, PurchaseOrderLine], skus: dict[uuid.UUID, str]) -> None:
    if actor.role in OVER_RECEIVERS:
        return
    for line_no, quantity in sorted(wanted.items()):
        line = lines[line_no]
        if line.quantity_received + quantity > line.quantity_ordered:
            raise Refused(
                f"receiving {quantity} on line {line_no} ({skus[line.product_id]}) of {label(order)} "
                f"would make {line.quantity_received + quantity} of {line.quantity_ordered} ordered "
                f"({line.quantity_received} already received); receiving more than ordered needs a "
                f"store manager or admin, your role is {actor.role}")


def _skus(session: Session, product_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    return dict(session.execute(select(Product.id, Product.sku).where(Product.id.in_(product_ids))).all())


def _update_average_costs(session: Session,
                          received: list[tuple[PurchaseOrderLine, int]]) -> dict[str, list[int]]:
    """products.cost_minor becomes the weighted average of the stock held chain-wide and the new
    units: (held x old cost + received x unit cost) / (held + received), in integers, rounded
    half up to the minor unit. Stock below zero counts as none held (its cost is unknown).
    Returns {sku: [old cost, new cost]} for the audit row."""
    by_product: dict[uuid.UUID, tuple[int, int]] = {}
    for line, quantity in received:  # one line per product on an order
        by_product[line.product_id] = (quantity, line.unit_cost_minor)
    ids = sorted(by_product)
    # Locked in id order, so concurrent receipts of the same products cannot deadlock.
    products = session.scalars(select(Product).where(Product.id.in_(ids))
                               .order_by(Product.id).with_for_update()).all()
    held = dict(session.execute(select(StockOnHand.product_id, func.sum(StockOnHand.on_hand))
                                .where(StockOnHand.product_id.in_(ids))
                                .group_by(StockOnHand.product_id)).all())
    changed = {}
    for product in products:
        quantity, unit_cost = by_product[product.id]
        before = max(int(held.get(product.id) or 0), 0)
        new_cost = div_round_half_up(before * product.cost_minor + quantity * unit_cost, before + quantity)
        changed[product.sku] = [product.cost_minor, new_cost]
        product.cost_minor = new_cost
    session.flush()
    return changed
