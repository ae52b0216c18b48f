"""Cycle counts (merge rule 3): a sheet per store and category, counted at HQ, then posted.

The sheet snapshots the expected on-hand when it is made. Posting stamps the count with HQ's
hlc and sets each product's on-hand to counted + the movements HQ holds stamped after it (a
`count` movement makes up the difference, so on-hand stays the sum of movements). From then on
the stock row remembers the count: a till's movement stamped before it that arrives later is
absorbed into the count's variance by the ledger (hq_server.stock.service), not added to stock.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.db.cost_wall import cost_or_zero
from hq_server.db.models import Product, StockOnHand, Store
from hq_server.exceptions.service import Raised, raise_exception
from hq_server.inventory import repository
from hq_server.inventory.errors import Conflict, Invalid, NotFound
from hq_server.inventory.models import StockCount, StockCountLine
from hq_server.stock.clock import hq_now
from hq_server.stock.service import StockBatch
from shared.ids import uuid7
from shared.merge import count_posting, count_variance

_HELD_AFTER = text("""
    SELECT product_id, sum(delta) FROM stock_movements
    WHERE store_id = :store AND product_id = ANY(CAST(:products AS uuid[])) AND hlc > :hlc
    GROUP BY product_id
""")
_REMEMBER = text("""
    UPDATE stock_on_hand SET counted_hlc = :hlc, count_id = :count
    WHERE store_id = :store AND product_id = ANY(CAST(:products AS uuid[]))
""")


def create(session: Session, actor: Actor, *, store_ref: str, category: str,
           skus: list[str] | None = None) -> StockCount:
    """A sheet listing the category's active products (every category's when "", only `skus`
    when given) with the on-hand expected now."""
    store = repository.store(session, store_ref)
    repository.require_writer(actor, store, "start a count")
    query = (select(Product.id, StockOnHand.on_hand)
             .outerjoin(StockOnHand, (StockOnHand.product_id == Product.id) & (StockOnHand.store_id == store.id))
             .where(Product.active.is_(True)))
    if category:
        query = query.where(Product.category == category)
    if skus:
        query = query.where(Product.id.in_([p.id for p in repository.products(session, skus).values()]))
    expected = session.execute(query).all()
    if not expected:
        raise Invalid(f"no active products in category {category!r}" if category and not skus
                      else "none of those products is active in that category" if category
                      else "none of those products is active")
    count = StockCount(id=uuid7(), store_id=store.id, category=category, status="open",
                       created_by=actor.user_id)
    session.add(count)
    session.flush()
    session.add_all(StockCountLine(count_id=count.id, product_id=p, expected=n or 0, absorbed=0)
                    for p, n in expected)
    session.flush()
    record(session, actor, "count.created", "stock_count", count.id, None,
           {"store": store.code, "category": category, "products": len(expected)})
    return count


def enter(session: Session, actor: Actor, count_id: uuid.UUID, counted: dict[str, int]) -> StockCount:
    """Counted quantities for some of the sheet's products (entered again: the last one holds)."""
    count = _locked(session, actor, count_id, "enter counts")
    _expect_open(count)
    if any(q < 0 for q in counted.values()):
        raise Invalid("a counted quantity cannot be negative")
    products = repository.products(session, counted)
    lines = {line.product_id: line for line in _lines(session, count)}
    before = {}
    for ref, quantity in counted.items():
        line = lines.get(products[ref].id)
        if line is None:
            raise Invalid(f"{products[ref].sku} is not on count {count.reference}")
        before[products[ref].sku], line.counted = line.counted, quantity
    session.flush()
    record(session, actor, "count.entered", "stock_count", count.id, before,
           {products[r].sku: q for r, q in counted.items()})
    return count


def post(session: Session, actor: Actor, count_id: uuid.UUID) -> StockCount:
    """Rule 3: the count becomes the stock; each line's book quantity is kept for its variance."""
    count = _locked(session, actor, count_id, "post a count")
    _expect_open(count)
    lines = _lines(session, count)
    uncounted = [line.product_id for line in lines if line.counted is None]
    if uncounted:
        skus = _skus(session, uncounted)
        raise Invalid(f"count {count.reference} is not finished: no quantity for "
                      f"{', '.join(sorted(skus.values()))}")
    count.hlc = hq_now()
    keys = [(line.product_id, count.store_id) for line in lines]
    levels = repository.lock_levels(session, keys)
    params = {"store": count.store_id, "products": [k[0] for k in keys], "hlc": count.hlc}
    held_after = dict(session.execute(_HELD_AFTER, params).all())
    batch = StockBatch()
    for line in lines:
        delta, line.book = count_posting(levels[(line.product_id, count.store_id)], line.counted,
                                         int(held_after.get(line.product_id, 0)))
        batch.add(line.product_id, count.store_id, delta, "count", hlc=count.hlc,
                  reference=count.reference, user_id=actor.user_id, note=None)
    batch.flush(session)
    session.execute(_REMEMBER, {**params, "count": count.id})
    count.status, count.posted_by, count.posted_at = "posted", actor.user_id, datetime.now(UTC)
    session.flush()
    report = variance_report(session, count)
    _raise_variance(session, count, report)
    record(session, actor, "count.posted", "stock_count", count.id, {"status": "open"},
           {"status": "posted", "hlc": count.hlc, "lines": report["lines"]})
    return count


def cancel(session: Session, actor: Actor, count_id: uuid.UUID) -> StockCount:
    count = _locked(session, actor, count_id, "cancel a count")
    _expect_open(count)
    count.status = "cancelled"
    session.flush()
    record(session, actor, "count.cancelled", "stock_count", count.id, {"status": "open"},
           {"status": "cancelled"})
    return count


def variance_report(session: Session, count: StockCount) -> dict[str, Any]:
    """Per line: expected (at sheet time), counted, and the variance.

    Open: variance against the on-hand now. Posted: against the book the count replaced plus
    what was absorbed since (rule 3), so late-arriving sales keep correcting it.
    """
    rows = session.execute(
        select(StockCountLine, Product.sku, Product.name, cost_or_zero(session, Product.cost_minor),
               StockOnHand.on_hand)
        .join(Product, Product.id == StockCountLine.product_id)
        .outerjoin(StockOnHand, (StockOnHand.product_id == StockCountLine.product_id)
                   & (StockOnHand.store_id == count.store_id))
        .where(StockCountLine.count_id == count.id).order_by(Product.sku)).all()
    lines = [_report_line(count, line, sku, name, cost, on_hand) for line, sku, name, cost, on_hand in rows]
    store_code = session.scalar(select(Store.code).where(Store.id == count.store_id))
    return {"id": str(count.id), "reference": count.reference, "store": store_code,
            "category": count.category, "status": count.status, "hlc": count.hlc,
            "created_at": count.created_at.isoformat(),
            "posted_at": count.posted_at.isoformat() if count.posted_at else None,
            "lines": lines,
            "total_variance": sum(line["variance"] or 0 for line in lines)}


def _report_line(count: StockCount, line: StockCountLine, sku: str, name: str, cost: int,
                 on_hand: int | None) -> dict[str, Any]:
    if line.counted is None:
        variance = None
    elif count.status == "posted":
        variance = count_variance(line.counted, line.book or 0, line.absorbed)
    else:
        variance = line.counted - (on_hand or 0)
    return {"product_id": str(line.product_id), "sku": sku, "name": name, "expected": line.expected,
            "on_hand": on_hand or 0, "counted": line.counted, "book": line.book,
            "absorbed": line.absorbed, "variance": variance,
            "_variance_cost_minor": None if variance is None else variance * cost}


def without_costs(report: dict[str, Any], sees_costs: bool) -> dict[str, Any]:
    """Variance value at cost only for roles that may see costs (identity.COST_READERS)."""
    lines = []
    for line in report["lines"]:
        line = dict(line)
        cost = line.pop("_variance_cost_minor")
        if sees_costs:
            line["variance_cost_minor"] = cost
        lines.append(line)
    return {**report, "lines": lines}


def _raise_variance(session: Session, count: StockCount, report: dict[str, Any]) -> None:
    off = [{"sku": line["sku"], "counted": line["counted"], "book": line["book"],
            "variance": line["variance"]} for line in report["lines"] if line["variance"]]
    if off:
        raise_exception(session, Raised("count_variance", f"count_variance:{count.id}",
                                        {"reference": count.reference, "lines": off},
                                        store_id=count.store_id))


def _locked(session: Session, actor: Actor, count_id: uuid.UUID, doing: str) -> StockCount:
    count = session.scalar(select(StockCount).where(StockCount.id == count_id).with_for_update())
    if count is None or not actor.scope.allows(count.store_id):
        raise NotFound(f"no count {count_id}")
    repository.require_writer(actor, session.get_one(Store, count.store_id), doing)
    return count


def _expect_open(count: StockCount) -> None:
    if count.status != "open":
        raise Conflict(f"count {count.reference} is {count.status}; only an open count can change")


def _lines(session: Session, count: StockCount) -> list[StockCountLine]:
    return list(session.scalars(select(StockCountLine).where(StockCountLine.count_id == count.id)
                                .order_by(StockCountLine.product_id)))


def _skus(session: Session, product_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    return dict(session.execute(select(Product.id, Product.sku).where(Product.id.in_(product_ids))).all())
