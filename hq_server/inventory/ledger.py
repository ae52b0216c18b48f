"""Reading the stock ledger: on-hand across stores, and "explain this number" for one store.

The explanation follows merge rule 3: the last count, then every movement stamped after it in
hlc order, each with the on-hand before and after it (a window sum), and who or what made it:
the till, cashier and receipt for a till's movement (read from its event), the HQ user and
document for one made at HQ. Movements stamped before the count that arrived after it are
listed apart: they changed the count's variance, not the stock.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.inventory.errors import NotFound
from hq_server.inventory.models import StockCount
from hq_server.inventory.repository import ProductRef, StoreRef, as_uuid
from shared.merge import count_variance

# One product's on-hand across the stores in scope, the product looked up by SKU or id in the
# same statement (a row with no store when none is in scope; no row when there is no product).
_ON_HAND = """
    WITH p AS (SELECT id, sku, name FROM products WHERE {by} = :ref)
    SELECT p.id::text, p.sku, p.name, s.id::text, s.code, coalesce(o.on_hand, 0), o.counted_hlc,
           coalesce(t.in_transit, 0)::bigint
    FROM p LEFT JOIN stores s ON {scope}
    LEFT JOIN stock_on_hand o ON o.product_id = p.id AND o.store_id = s.id
    LEFT JOIN (SELECT tr.to_store_id, sum(l.quantity) AS in_transit FROM transfer_lines l
               JOIN transfers tr ON tr.id = l.transfer_id
               WHERE l.product_id = (SELECT id FROM p) AND tr.status = 'shipped'
               GROUP BY tr.to_store_id) t ON t.to_store_id = s.id
    ORDER BY s.code
"""
_ON_HAND_BY = {(by_id, scoped): text(_ON_HAND.format(
    by="id" if by_id else "sku", scope="s.id = ANY(CAST(:stores AS uuid[]))" if scoped else "true"))
    for by_id in (False, True) for scoped in (False, True)}

# Movements of one (product, store) stamped after :after (all when NULL), newest :limit, with
# the running on-hand from :start; the joins name the till, cashier, receipt or HQ user.
_MOVEMENTS = text("""
    SELECT * FROM (
        SELECT m.id, m.hlc, m.created_at, m.reason, m.delta, m.reference, m.note, m.event_id,
               CAST(:start + sum(m.delta) OVER (ORDER BY m.hlc NULLS FIRST, m.id) AS bigint) AS after,
               e.device_id, d.name AS device_name, e.payload->>'cashier' AS cashier,
               e.payload->>'receipt_no' AS receipt_no, u.email AS user_email
        FROM stock_movements m
        LEFT JOIN events e ON e.event_id = m.event_id
        LEFT JOIN devices d ON d.id = e.device_id
        LEFT JOIN hq_users u ON u.id = m.user_id
        WHERE m.product_id = :product AND m.store_id = :store
          AND (CAST(:after_hlc AS text) IS NULL OR m.hlc > :after_hlc)
        ORDER BY m.hlc DESC NULLS LAST, m.id DESC LIMIT :limit
    ) newest ORDER BY hlc NULLS FIRST, id
""")

# The till movements a count absorbed: each has a count_absorbed twin naming the same event.
_ABSORBED = text("""
    SELECT e.hlc, m.created_at, -m.delta AS delta, m.event_id, e.device_id, d.name AS device_name,
           e.payload->>'cashier' AS cashier, e.payload->>'receipt_no' AS receipt_no
    FROM stock_movements m
    LEFT JOIN events e ON e.event_id = m.event_id
    LEFT JOIN devices d ON d.id = e.device_id
    WHERE m.product_id = :product AND m.store_id = :store AND m.reason = 'count_absorbed'
      AND m.hlc = :count_hlc
    ORDER BY m.id
""")


def on_hand_across_stores(session: Session, product_ref: str, scope: StoreScope) -> dict[str, Any]:
    """One product (by SKU or id) and its on-hand and inbound in-transit in every store of
    `scope`, JSON-ready; NotFound if there is no such product."""
    ref_id = as_uuid(product_ref)
    rows = session.execute(_ON_HAND_BY[ref_id is not None, not scope.all_stores], {
        "ref": ref_id or product_ref, "stores": list(scope.store_ids)}).all()
    if not rows:
        raise NotFound(f"no product {product_ref!r}")
    product_id, sku, name = rows[0][:3]
    return {"product": {"id": product_id, "sku": sku, "name": name},
            "stores": [{"store_id": store_id, "store_code": code, "on_hand": on_hand,
                        "in_transit": in_transit, "counted_hlc": counted_hlc}
                       for _, _, _, store_id, code, on_hand, counted_hlc, in_transit in rows
                       if store_id is not None]}


def explain(session: Session, product: ProductRef, store: StoreRef, *,
            limit: int = 1000) -> dict[str, Any]:
    """The ledger of one product at one store, from its last count (or the beginning); every
    value JSON-ready."""
    level = session.execute(text("SELECT on_hand, counted_hlc, count_id FROM stock_on_hand "
                                 "WHERE product_id = :p AND store_id = :s"),
                            {"p": product.id, "s": store.id}).first()
    on_hand = level.on_hand if level else 0
    count = _count(session, level.count_id, product.id) if level and level.count_id else None
    start = count["counted"] if count else 0
    params = {"product": product.id, "store": store.id, "limit": limit + 1}
    rows = session.execute(_MOVEMENTS, {**params, "start": start,
                                        "after_hlc": count["hlc"] if count else None}).all()
    earlier = len(rows) > limit
    rows = rows[1:] if earlier else rows
    movements = [_movement(r) for r in rows]
    absorbed = [] if count is None else [_absorbed(r) for r in session.execute(
        _ABSORBED, {**params, "count_hlc": count["hlc"]})]
    explained = movements[-1]["on_hand_after"] if movements else start
    return {"product": {"id": str(product.id), "sku": product.sku, "name": product.name},
            "store": {"id": str(store.id), "code": store.code}, "on_hand": on_hand,
            "last_count": count, "movements": movements, "absorbed_by_count": absorbed,
            "earlier_movements_omitted": earlier, "explained_on_hand": explained,
            "balanced": earlier or explained == on_hand}


def _count(session: Session, count_id: uuid.UUID, product_id: uuid.UUID) -> dict[str, Any] | None:
    row = session.execute(text("""
        SELECT c.id, c.number, c.hlc, c.posted_at, u.email, l.counted, l.book, l.absorbed
        FROM stock_counts c JOIN stock_count_lines l ON l.count_id = c.id AND l.product_id = :p
        LEFT JOIN hq_users u ON u.id = c.posted_by WHERE c.id = :c"""),
        {"c": count_id, "p": product_id}).first()
    if row is None:
        return None
    return {"id": str(row.id), "reference": StockCount(number=row.number).reference, "hlc": row.hlc,
            "posted_at": row.posted_at.isoformat(), "posted_by": row.email, "counted": row.counted,
            "book": row.book, "absorbed": row.absorbed,
            "variance": count_variance(row.counted, row.book, row.absorbed)}


def _movement(r: Any) -> dict[str, Any]:
    return {"id": r.id, "hlc": r.hlc, "at": r.created_at.isoformat(), "reason": r.reason,
            "delta": r.delta, "on_hand_before": r.after - r.delta, "on_hand_after": r.after,
            "reference": r.reference or r.receipt_no, "note": r.note,
            "event_id": None if r.event_id is None else str(r.event_id),
            "device_id": None if r.device_id is None else str(r.device_id),
            "device": r.device_name, "cashier": r.cashier, "receipt_no": r.receipt_no,
            "user": r.user_email}


def _absorbed(r: Any) -> dict[str, Any]:
    return {"hlc": r.hlc, "arrived_at": r.created_at.isoformat(), "delta": r.delta,
            "event_id": None if r.event_id is None else str(r.event_id),
            "device_id": None if r.device_id is None else str(r.device_id), "device": r.device_name,
            "cashier": r.cashier, "receipt_no": r.receipt_no}

