"""Bringing batches up to date with the stock ledger, a fixed number of statements per run.

Allocation follows the ledger instead of hooking into every writer (till ingest, transfers,
counts, adjustments): `settle` takes each tracked product's movements that have no allocation
yet (an anti-join, so a movement that commits late is still picked up, exactly once), in
movement order, and allocates them (batches.fefo). It runs before batches are read and when a
receipt names its batches; tracked products' rows in `batch_tracked_products` are locked for the
run, so two runs never allocate the same movement twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from hq_server.batches.fefo import Label, Lot, Move, Part, Plan, Shelf, allocate
from shared.ids import uuid7

_TRACKED = text("""
    SELECT product_id FROM batch_tracked_products
    WHERE CAST(:all AS boolean) OR product_id = ANY(CAST(:products AS uuid[]))
    ORDER BY product_id FOR UPDATE
""")
_PENDING = text("""
    SELECT m.id, m.product_id, m.store_id, m.delta, m.reason, m.event_id, m.reference
    FROM stock_movements m
    WHERE m.product_id = ANY(CAST(:products AS uuid[]))
      AND NOT EXISTS (SELECT 1 FROM batch_allocations a WHERE a.movement_id = m.id)
    ORDER BY m.id
""")
_LOTS = text("""
    SELECT id, product_id, store_id, code, expires_on, received_at, quantity FROM product_batches
    WHERE product_id = ANY(CAST(:products AS uuid[]))
""")
_REMAINDERS = text("""
    SELECT product_id, store_id, unbatched FROM batch_remainders
    WHERE product_id = ANY(CAST(:products AS uuid[]))
""")
_SHIPPED = text("""
    SELECT m.reference, m.product_id, b.code, b.expires_on, -sum(a.quantity) AS units
    FROM stock_movements m
    JOIN batch_allocations a ON a.movement_id = m.id
    JOIN product_batches b ON b.id = a.batch_id
    WHERE m.product_id = ANY(CAST(:products AS uuid[])) AND m.reason = 'transfer_out'
      AND m.reference = ANY(CAST(:references AS text[]))
    GROUP BY m.reference, m.product_id, b.code, b.expires_on
""")
_TAKEN = text("""
    SELECT m.event_id, m.product_id, m.store_id, a.batch_id, a.quantity
    FROM stock_movements m JOIN batch_allocations a ON a.movement_id = m.id
    WHERE m.product_id = ANY(CAST(:products AS uuid[])) AND m.reason <> 'count_absorbed'
      AND m.event_id = ANY(CAST(:events AS uuid[]))
    ORDER BY a.id
""")
_INSERT_LOTS = text("""
    INSERT INTO product_batches (id, product_id, store_id, code, expires_on, received_at, quantity)
    SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:products AS uuid[]), CAST(:stores AS uuid[]),
                         CAST(:codes AS text[]), CAST(:expiries AS date[]),
                         CAST(:received AS timestamptz[]), CAST(:quantities AS bigint[]))
""")
_UPDATE_LOTS = text("""
    UPDATE product_batches AS b SET quantity = t.q
    FROM unnest(CAST(:ids AS uuid[]), CAST(:quantities AS bigint[])) AS t(id, q) WHERE b.id = t.id
""")
_REMAIN = text("""
    INSERT INTO batch_remainders AS r (product_id, store_id, unbatched)
    SELECT * FROM unnest(CAST(:products AS uuid[]), CAST(:stores AS uuid[]), CAST(:unbatched AS bigint[]))
    ON CONFLICT (product_id, store_id) DO UPDATE SET unbatched = excluded.unbatched
""")
_ALLOCATE = text("""
    INSERT INTO batch_allocations (movement_id, product_id, store_id, batch_id, quantity)
    SELECT * FROM unnest(CAST(:movements AS bigint[]), CAST(:products AS uuid[]),
                         CAST(:stores AS uuid[]), CAST(:batches AS uuid[]), CAST(:quantities AS bigint[]))
""")


def settle(session: Session, product_ids: Collection[uuid.UUID] | None = None,
           labels: dict[int, Label] | None = None) -> int:
    """Allocate every not yet allocated movement of the tracked products among `product_ids`
    (all tracked products when None); `labels` names the batch of receipt movements (by id).
    Returns how many movements were allocated."""
    params = {"all": product_ids is None, "products": list(product_ids or [])}
    tracked = list(session.scalars(_TRACKED, params))
    if not tracked:
        return 0
    moves = [Move(*row) for row in session.execute(_PENDING, {"products": tracked})]
    if not moves:
        return 0
    plan = _plan(session, tracked, moves, labels or {})
    allocated = allocate(moves, plan, datetime.now(UTC), uuid7)
    _write(session, plan.shelves, moves, allocated)
    return len(moves)


def _plan(session: Session, products: list[uuid.UUID], moves: list[Move],
          labels: dict[int, Label]) -> Plan:
    shelves: dict[tuple[uuid.UUID, uuid.UUID], Shelf] = {}
    for row in session.execute(_LOTS, {"products": products}):
        shelf = shelves.setdefault((row.product_id, row.store_id), Shelf())
        shelf.lots[row.code] = Lot(row.id, row.code, row.expires_on, row.received_at, row.quantity)
    for product_id, store_id, unbatched in session.execute(_REMAINDERS, {"products": products}):
        shelves.setdefault((product_id, store_id), Shelf()).unbatched = unbatched
    plan = Plan(shelves, labels)
    references = sorted({m.reference for m in moves if m.reason == "transfer_in" and m.reference})
    if references:
        for ref, product_id, code, expires_on, units in session.execute(
                _SHIPPED, {"products": products, "references": references}):
            plan.shipped.setdefault((ref, product_id), []).append((code, expires_on, int(units)))
    events = sorted({m.event_id for m in moves if m.reason == "count_absorbed" and m.event_id})
    if events:
        for event_id, product_id, store_id, batch_id, quantity in session.execute(
                _TAKEN, {"products": products, "events": events}):
            plan.taken.setdefault((event_id, product_id, store_id), []).append((batch_id, quantity))
    return plan


def _write(session: Session, shelves: dict[tuple[uuid.UUID, uuid.UUID], Shelf], moves: list[Move],
           allocated: dict[int, list[Part]]) -> None:
    new, changed = [], []
    for (product_id, store_id), shelf in shelves.items():
        for lot in shelf.lots.values():
            if lot.new:
                new.append((product_id, store_id, lot))
            elif lot.changed:
                changed.append(lot)
    if new:
        session.execute(_INSERT_LOTS, {
            "ids": [lot.id for _, _, lot in new], "products": [p for p, _, _ in new],
            "stores": [s for _, s, _ in new], "codes": [lot.code for _, _, lot in new],
            "expiries": [lot.expires_on for _, _, lot in new],
            "received": [lot.received_at for _, _, lot in new],
            "quantities": [lot.quantity for _, _, lot in new]})
    if changed:
        session.execute(_UPDATE_LOTS, {"ids": [lot.id for lot in changed],
                                       "quantities": [lot.quantity for lot in changed]})
    remainders = sorted((key, shelf.unbatched) for key, shelf in shelves.items() if shelf.changed)
    if remainders:
        session.execute(_REMAIN, {"products": [k[0] for k, _ in remainders],
                                  "stores": [k[1] for k, _ in remainders],
                                  "unbatched": [n for _, n in remainders]})
    rows = [(m, batch_id, quantity) for m in moves for batch_id, quantity in allocated[m.id]]
    session.execute(_ALLOCATE, {
        "movements": [m.id for m, _, _ in rows], "products": [m.product_id for m, _, _ in rows],
        "stores": [m.store_id for m, _, _ in rows], "batches": [b for _, b, _ in rows],
        "quantities": [q for _, _, q in rows]})
