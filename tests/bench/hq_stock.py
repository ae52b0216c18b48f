"""hq.onhand_lookup: one product's on-hand in every store, as GET /inventory/on-hand reads it.

Real parts: PostgreSQL with fsync on, migrated to head, holding 200,000 products x 20 stores of
stock_on_hand rows (4 million) and as many stock movements as can be written in SEED_SECONDS
(the issue's figure is 10 million; the result line says how many). Each lookup is
`inventory.ledger.on_hand_across_stores` (the endpoint's query, in-transit join included) in
its own transaction, for a random product, as an admin (all stores). Baseline: a primary-key
SELECT of one stock_on_hand row, in the same run.
"""

from __future__ import annotations

import os
import random
import time

from sqlalchemy import text

from hq_server.auth.identity import StoreScope
from hq_server.db.session import make_engine, make_session_factory
from hq_server.inventory.ledger import on_hand_across_stores

from .report import Result, summarise
from .sync_common import running_hq

PRODUCTS = int(os.environ.get("BENCH_STOCK_PRODUCTS", "200000"))
STORES = 20
MOVEMENTS_TARGET = 10_000_000
SEED_SECONDS = float(os.environ.get("BENCH_STOCK_SEED_SECONDS", "90"))
CHUNK = 1_000_000
N = 1000


def _seed(conn) -> int:  # noqa: ANN001
    """Products, stores and on-hand rows, then movements in chunks until the time is up."""
    conn.execute("SET synchronous_commit = off")
    conn.execute(f"""INSERT INTO stores (id, code, name, currency)
        SELECT gen_random_uuid(), 'B' || lpad(i::text, 3, '0'), 'Bench ' || i, 'EUR'
        FROM generate_series(1, {STORES - 2}) AS i""")
    conn.execute(f"""INSERT INTO products (id, sku, name, price_minor, currency, category)
        SELECT gen_random_uuid(), 'BENCH-' || i, 'Bench product ' || i, 100 + i % 900, 'EUR',
               'C' || (i % 50) FROM generate_series(1, {PRODUCTS}) AS i""")
    conn.execute("""INSERT INTO stock_on_hand (product_id, store_id, on_hand)
        SELECT p.id, s.id, 20 FROM products p CROSS JOIN stores s
        ON CONFLICT (product_id, store_id) DO NOTHING""")
    movements, started = 0, time.monotonic()
    while movements < MOVEMENTS_TARGET and time.monotonic() - started < SEED_SECONDS:
        added = conn.execute(f"""INSERT INTO stock_movements (product_id, store_id, delta, reason, hlc)
            SELECT product_id, store_id, -1, 'sale',
                   lpad((1700000000000 + {movements} + row_number() OVER ())::text, 15, '0')
                   || '.000000.bench'
            FROM stock_on_hand TABLESAMPLE SYSTEM (25) LIMIT {CHUNK}""").rowcount
        movements += added
    conn.execute("VACUUM ANALYZE stock_on_hand")
    conn.execute("ANALYZE stock_movements")
    return movements


def _time(samples: list[float], work) -> None:  # noqa: ANN001
    started = time.perf_counter()
    work()
    samples.append((time.perf_counter() - started) * 1000)


def bench_onhand_lookup() -> Result:
    with running_hq(workers=0) as hq:
        with hq.connect() as conn:
            seed_started = time.monotonic()
            movements = _seed(conn)
            seeded_in = time.monotonic() - seed_started
            rows = conn.execute("SELECT count(*) FROM stock_on_hand").fetchone()[0]
            ids = [r[0] for r in conn.execute("SELECT id FROM products").fetchall()]
            store_ids = [r[0] for r in conn.execute("SELECT id FROM stores").fetchall()]
        engine = make_engine(hq.database_url, pool_size=1)
        sessions = make_session_factory(engine)
        rng, everywhere = random.Random(6), StoreScope(True)
        lookups: list[float] = []
        baseline: list[float] = []
        point = text("SELECT on_hand FROM stock_on_hand WHERE product_id = :p AND store_id = :s")
        try:
            for _ in range(N):
                product = rng.choice(ids)
                with sessions() as session:
                    _time(lookups, lambda s=session, p=product: _check(on_hand_across_stores(s, str(p), everywhere)))
                with sessions() as session:
                    _time(baseline, lambda s=session, p=product: s.execute(
                        point, {"p": p, "s": rng.choice(store_ids)}).scalar_one())
        finally:
            engine.dispose()
    print(f"  seeded {rows:,} stock_on_hand rows and {movements:,} movements in {seeded_in:.0f} s "
          f"(target {MOVEMENTS_TARGET:,} movements)")
    return summarise("hq.onhand_lookup", "ms", lookups, "pg.pk_select", baseline)


def _check(found: dict) -> None:
    levels = found["stores"]
    assert len(levels) == STORES and all(level["on_hand"] is not None for level in levels)


BENCHMARKS = {"hq.onhand_lookup": bench_onhand_lookup}
