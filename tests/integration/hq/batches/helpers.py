"""The reconciliation property, checked straight in the database after settling."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hq_server.batches.service import batch_totals, unreconciled
from tests.integration.hq.helpers import query


def days_from_today(days: int) -> date:
    return datetime.now(UTC).date() + timedelta(days=days)


def assert_reconciled(hq: Any) -> None:
    """For every tracked product: each movement allocated once and in full; batches and the
    unbatched remainder as the allocations add them up; and together, on-hand at every store."""
    assert hq.in_transaction(unreconciled) == []
    stored = dict(query(hq.database_url, "SELECT id, quantity FROM product_batches"))
    totals = hq.in_transaction(batch_totals)
    # No batches yet is a valid state (tracking just started); each test asserts its own batches.
    assert {b: totals.get(b, 0) for b in stored} == stored and set(totals) <= set(stored)
    assert query(hq.database_url, """
        SELECT m.id, m.delta, a.total FROM stock_movements m
        JOIN batch_tracked_products t ON t.product_id = m.product_id
        LEFT JOIN (SELECT movement_id, sum(quantity) AS total FROM batch_allocations
                   GROUP BY movement_id) a ON a.movement_id = m.id
        WHERE a.total IS DISTINCT FROM m.delta""") == []
    assert query(hq.database_url, """
        SELECT r.product_id, r.store_id FROM batch_remainders r
        LEFT JOIN (SELECT product_id, store_id, sum(quantity) AS total FROM batch_allocations
                   WHERE batch_id IS NULL GROUP BY product_id, store_id) a USING (product_id, store_id)
        WHERE r.unbatched <> coalesce(a.total, 0)""") == []


def batches_of(holding: dict[str, Any]) -> list[tuple[str, int]]:
    return [(b["batch"], b["quantity"]) for b in holding["batches"]]
