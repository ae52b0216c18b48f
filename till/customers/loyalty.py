"""The store's loyalty rule, in one place, and posting points with a sale or a return.

Earning: 1 point per whole currency unit the customer paid for goods other than with points (the
sale total, before cash rounding). Spending: points pay as a tender ("points"), 1 point for each
minor unit (100 points = €1.00). A training sale earns and spends nothing. A return gives back
the points it refunds and takes back what the money it refunds had earned.
"""

from __future__ import annotations

import time

from shared.customer_events import LoyaltyPosted
from shared.events import SaleCompleted
from shared.money import exponent
from shared.override_events import ReturnCompleted

from ..ledger.journal import append_event
from ..ledger.ledger import UnitOfWork
from ..ledger.returns import refunded_by_kind
from .records import by_id, record_posting, sale_points

POINTS_TENDER = "points"
MINOR_UNITS_PER_POINT = 1  # what one point pays, in minor units


def points_earned(total_minor: int, currency: str) -> int:
    """Points for paying `total_minor`: one per whole currency unit, never negative."""
    return max(total_minor, 0) // 10 ** exponent(currency)


def minor_for_points(points: int) -> int:
    """What `points` pay, in minor units (nothing for a balance at or below zero)."""
    return max(points, 0) * MINOR_UNITS_PER_POINT


def points_for_minor(amount_minor: int) -> int:
    """The points an amount paid in points costs (rounded up: points never pay part-free)."""
    return -(-amount_minor // MINOR_UNITS_PER_POINT)


def post_points(uow: UnitOfWork, posted: LoyaltyPosted) -> None:
    """Journal a posting and project it, in the caller's transaction."""
    event = append_event(uow, posted.TYPE, posted.SCHEMA_VERSION, posted.to_payload())
    record_posting(uow, posted, event.seq)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def receipt_line(uow: UnitOfWork, sale: SaleCompleted, earned: int) -> str:
    """What the receipt says of the sale's customer (after its points are posted): "Ann Lee ·
    +65 points, 120 in all"; "" for a sale with no customer."""
    row = by_id(uow.conn, sale.customer_id) if sale.customer_id else None
    if row is None:
        return ""
    return f"{row['name']} · +{earned} points, {row['points']} in all"


def earn_for_sale(uow: UnitOfWork, sale: SaleCompleted) -> int:
    """Post the points the sale's customer spent and earned, with the sale; the points earned.

    Nothing is posted for a sale with no customer or a training sale.
    """
    spent = sum(t.amount_minor for t in sale.tenders if t.kind == POINTS_TENDER)
    if spent and not sale.customer_id:
        raise ValueError("points can only pay for a sale with its customer attached")
    if not sale.customer_id or sale.training:
        return 0

    def post(delta: int, reason: str) -> None:
        post_points(uow, LoyaltyPosted(sale.customer_id, sale.store_id, delta, reason,
                                       sale_id=sale.sale_id, receipt_no=sale.receipt_no,
                                       posted_at_ms=_now_ms()))

    if spent:
        post(-points_for_minor(spent), "redeem")
    earned = points_earned(sale.total_minor - spent, sale.currency)
    if earned > 0:
        post(earned, "earn")
    return earned


def settle_return_points(uow: UnitOfWork, ret: ReturnCompleted) -> None:
    """A return of a customer's sale, in the return's transaction (after it is recorded): points
    refunded go back to the customer, and the points earned by the money refunded otherwise come
    off, counted over all the sale's returns so far (so returning everything takes back exactly
    what the sale earned). Both are `adjust` postings."""
    found = sale_points(uow.conn, ret.original_sale_id) if ret.original_sale_id else None
    if found is None:
        return  # no customer on the sale, or it neither earned nor spent points here
    customer_id, earned, taken_back, currency = found
    refunded = refunded_by_kind(uow.conn, ret.original_sale_id)
    paid_back = sum(amount for kind, amount in refunded.items() if kind != POINTS_TENDER)
    take_back = min(points_earned(paid_back, currency), earned) - taken_back
    refunded_points = sum(r.amount_minor for r in ret.refunds if r.kind == POINTS_TENDER)
    for delta in (points_for_minor(refunded_points), -max(take_back, 0)):
        if delta:
            post_points(uow, LoyaltyPosted(customer_id, ret.store_id, delta, "adjust",
                                           sale_id=ret.original_sale_id,
                                           receipt_no=ret.original_receipt_no,
                                           posted_at_ms=_now_ms()))
