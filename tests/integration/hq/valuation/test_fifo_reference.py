"""FIFO valuation's edge cases against a straightforward reference, on real PostgreSQL.

The stock and receipts are written straight into a migrated database, so each case is exact:
partial layers, on-hand above every receipt, on-hand zero or below zero, units that came in by
transfer (not a receipt), a receipt without a cost, and one store's layers not reaching another.
The products straddle the cut between the valuation's product ranges (each range's layers are
summed on their own), so a case lost or counted twice at the cut changes a total.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.session import psycopg_conninfo
from hq_server.reports.valuation import LAYER_RANGES, fifo_stock

STORES = {"F01": uuid.UUID("a2000000-0000-7000-8000-000000000001"),
          "F02": uuid.UUID("a2000000-0000-7000-8000-000000000002")}


@dataclass(frozen=True)
class Case:
    """One product at one store: its cost today, receipts oldest first as (units, unit cost or
    None), other movements in (transfers) and the on-hand the ledger keeps."""

    sku: str
    store: str
    cost: int
    receipts: tuple[tuple[int, int | None], ...]
    on_hand: int
    transferred_in: int = 0


CASES = (
    Case("F-PARTIAL", "F01", 119, ((10, 100), (10, 130)), 12),  # 10 @ 130 + 2 @ 100
    Case("F-PARTIAL", "F02", 119, ((5, 160),), 3),  # 3 of the store's own receipt
    Case("F-ABOVE", "F01", 180, ((5, 200),), 8),  # 5 @ 200 + 3 beyond, at 180
    Case("F-ZERO", "F01", 50, ((6, 40),), 0),
    Case("F-NEGATIVE", "F01", 70, ((4, 60),), -3),  # oversold: at today's cost, none beyond
    Case("F-TRANSFER", "F02", 95, ((4, 90),), 10, transferred_in=6),  # 4 @ 90 + 6 beyond
    Case("F-NOCOST", "F01", 75, ((5, 70), (5, None)), 8),  # 5 uncosted (beyond) + 3 @ 70
    Case("F-NONE", "F02", 30, (), 7),  # no receipt at all
    Case("F-NEWEST", "F02", 55, ((10, 50), (10, 60)), 3),  # 3 of the newest, @ 60
)
CATEGORY = {"F-PARTIAL": "Cut", "F-ABOVE": "Cut", "F-ZERO": "", "F-NEGATIVE": "",
            "F-TRANSFER": "Moved", "F-NOCOST": "Moved", "F-NONE": "Moved", "F-NEWEST": "Cut"}


def product_id(sku: str) -> uuid.UUID:
    """Ids in the order of CASES, so the product ranges' cut falls among them."""
    skus = list(dict.fromkeys(c.sku for c in CASES))
    return uuid.UUID(f"b2000000-0000-7000-8000-{skus.index(sku) + 1:012x}")


def reference(case: Case) -> dict[str, int]:
    """Walk the store's receipts newest first until on-hand is covered."""
    value, beyond, left = 0, 0, max(case.on_hand, 0)
    for units, unit_cost in reversed(case.receipts):
        taken = min(units, left)
        value += taken * (case.cost if unit_cost is None else unit_cost)
        beyond += taken if unit_cost is None else 0
        left -= taken
    value += left * case.cost + min(case.on_hand, 0) * case.cost
    return {"on_hand": case.on_hand, "value_minor": value,
            "wac_value_minor": case.on_hand * case.cost, "beyond_receipts": beyond + left}


def _write(conn: psycopg.Connection) -> None:
    for code, store_id in STORES.items():
        conn.execute("INSERT INTO stores (id, code, name, currency) VALUES (%s, %s, %s, 'EUR')",
                     (store_id, code, code))
    costs = {c.sku: c.cost for c in CASES}
    for sku, cost in costs.items():
        conn.execute("INSERT INTO products (id, sku, name, price_minor, cost_minor, currency, "
                     "category) VALUES (%s, %s, %s, 500, %s, 'EUR', %s)",
                     (product_id(sku), sku, sku, cost, CATEGORY[sku]))
    depth = max(len(c.receipts) for c in CASES)
    for layer in range(depth):  # layer by layer across the cases: ids interleave between pairs
        for case in CASES:
            if layer < len(case.receipts):
                units, unit_cost = case.receipts[layer]
                _move(conn, case, units, "receipt", unit_cost)
    for case in CASES:
        if case.transferred_in:
            _move(conn, case, case.transferred_in, "transfer_in", None)
        conn.execute("INSERT INTO stock_on_hand (product_id, store_id, on_hand) VALUES (%s, %s, %s)",
                     (product_id(case.sku), STORES[case.store], case.on_hand))


def _move(conn: psycopg.Connection, case: Case, delta: int, reason: str,
          unit_cost: int | None) -> None:
    conn.execute("INSERT INTO stock_movements (product_id, store_id, delta, reason, hlc, "
                 "unit_cost_minor) VALUES (%s, %s, %s, %s, '0017000000000000.000000.fifo', %s)",
                 (product_id(case.sku), STORES[case.store], delta, reason, unit_cost))


@pytest.fixture(scope="module")
def session(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    url = pg_cluster.url_for(_database_pool.take())
    with psycopg.connect(psycopg_conninfo(url), autocommit=True) as conn:
        # Only this module's products and stores: the seed's (if any) would blur the totals.
        assert conn.execute("SELECT count(*) FROM stock_on_hand").fetchone()[0] == 0
        _write(conn)
    engine = create_engine(url)
    with Session(engine) as opened:
        yield opened
    engine.dispose()


FIGURES = ("on_hand", "value_minor", "wac_value_minor", "beyond_receipts")


def figures(row) -> dict[str, int]:  # noqa: ANN001
    return {name: int(getattr(row, name)) for name in FIGURES}


def summed(cases: list[Case]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for case in cases:
        for name, amount in reference(case).items():
            total[name] += amount
    return dict(total)


def test_the_cases_straddle_the_cut_between_product_ranges():
    assert LAYER_RANGES == 2
    assert len({c.sku for c in CASES}) >= 2 * LAYER_RANGES  # at least 2 products either side


def test_each_product_and_store_matches_the_reference(session):
    rows = fifo_stock(session, StoreScope(True), None, "product")

    found = {(r.sku, r.store): figures(r) for r in rows}
    expected = {(c.sku, c.store): reference(c) for c in CASES if c.on_hand != 0}
    assert found == expected
    assert found[("F-PARTIAL", "F01")]["value_minor"] == 10 * 130 + 2 * 100
    assert found[("F-ABOVE", "F01")]["beyond_receipts"] == 3
    assert found[("F-NOCOST", "F01")]["value_minor"] == 5 * 75 + 3 * 70


@pytest.mark.parametrize("key", ["store", "category", "chain"])
def test_totals_per_store_category_and_chain_match_the_reference(session, key):
    rows = fifo_stock(session, StoreScope(True), None, key)

    group = {"store": lambda c: c.store, "category": lambda c: CATEGORY[c.sku] or "(no category)",
             "chain": lambda c: "EUR"}[key]
    found = {(r.currency if key == "chain" else r.key): figures(r) for r in rows}
    expected = {name: summed([c for c in CASES if group(c) == name]) for name in map(group, CASES)}
    assert found == expected


def test_one_store_in_scope_values_only_its_own_layers(session):
    scope = StoreScope(False, frozenset({STORES["F02"]}))

    rows = fifo_stock(session, scope, None, "store")

    assert [(r.key, figures(r)) for r in rows] == [
        ("F02", summed([c for c in CASES if c.store == "F02"]))]
    by_code = fifo_stock(session, StoreScope(True), "F01", "chain")
    assert [figures(r) for r in by_code] == [summed([c for c in CASES if c.store == "F01"])]
