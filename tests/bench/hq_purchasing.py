"""hq.reorder: reorder suggestions for one store of a 200,000-product, 20-store chain, over HTTP.

Real parts: PostgreSQL (its own cluster, fsync off: this measures reads, and seeding 4 million
stock rows with fsync on would take minutes), HQ on uvicorn in a thread, the admin signed in.
Seeded straight into PostgreSQL with generate_series: 200,000 products, 20 stores, a stock row
per product and store, levels for every product at the measured store (about 5 % of them at or
below the reorder point), 50 vendors each preferred for a slice of the catalogue, and 100 open
orders of 50 lines for that store. Baseline, in the same run: a plain SELECT count(*) over the
same store's stock rows (the scan every answer has to make at least once).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

from hq_server.app import create_app
from hq_server.db.embedded import EmbeddedPostgres
from hq_server.db.migrate import upgrade
from hq_server.db.session import psycopg_conninfo
from hq_server.seed.small import seed_small
from hq_server.testing import serve_in_thread

from .report import Result, summarise

PRODUCTS = int(os.environ.get("BENCH_REORDER_PRODUCTS", "200000"))
STORES = 20
VENDORS = 50
OPEN_ORDERS, LINES_PER_ORDER = 100, 50
CALLS = int(os.environ.get("BENCH_REORDER_CALLS", "15"))
STORE = "S001"

# Ids that sort in generation order, so the primary-key indexes fill by appending.
PRODUCT_ID = "('b0000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid"
SEED = [
    f"""INSERT INTO stores (id, code, name, currency)
        SELECT ('a0000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'S' || lpad(n::text, 3, '0'),
               'Bench store ' || n, 'EUR' FROM generate_series(3, {STORES}) n""",
    f"""INSERT INTO products (id, sku, name, price_minor, cost_minor, currency)
        SELECT {PRODUCT_ID}, 'B' || lpad(i::text, 7, '0'), 'Bench product ' || i, 100 + i % 900,
               50 + i % 400, 'EUR' FROM generate_series(1, {PRODUCTS}) i""",
    # on hand 0..199 per (product, store): about 5 % at or below the reorder point of 10.
    f"""INSERT INTO stock_on_hand (product_id, store_id, on_hand)
        SELECT {PRODUCT_ID}, s.id, (i * 37 + s.n * 11) % 200
        FROM generate_series(1, {PRODUCTS}) i
        CROSS JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM stores) s
        ORDER BY 1, 2""",
    f"""INSERT INTO vendors (id, name, currency)
        SELECT ('c0000000-0000-7000-8000-' || lpad(to_hex(v), 12, '0'))::uuid, 'Bench vendor ' || v, 'EUR'
        FROM generate_series(1, {VENDORS}) v""",
    f"""INSERT INTO vendor_products (vendor_id, product_id, vendor_sku, unit_cost_minor, preferred)
        SELECT ('c0000000-0000-7000-8000-' || lpad(to_hex(1 + i % {VENDORS}), 12, '0'))::uuid,
               {PRODUCT_ID}, 'V' || i, 40 + i % 300, true FROM generate_series(1, {PRODUCTS}) i""",
    f"""INSERT INTO replenishment_levels (product_id, store_id, reorder_point, target_level)
        SELECT {PRODUCT_ID}, (SELECT id FROM stores WHERE code = '{STORE}'), 10, 60
        FROM generate_series(1, {PRODUCTS}) i""",
    f"""INSERT INTO purchase_orders (id, store_id, vendor_id, status, currency)
        SELECT ('d0000000-0000-7000-8000-' || lpad(to_hex(o), 12, '0'))::uuid,
               (SELECT id FROM stores WHERE code = '{STORE}'),
               ('c0000000-0000-7000-8000-' || lpad(to_hex(1 + o % {VENDORS}), 12, '0'))::uuid,
               (ARRAY['approved', 'sent', 'partially_received'])[1 + o % 3], 'EUR'
        FROM generate_series(1, {OPEN_ORDERS}) o""",
    f"""INSERT INTO purchase_order_lines (po_id, line_no, product_id, quantity_ordered,
                                          quantity_received, unit_cost_minor)
        SELECT ('d0000000-0000-7000-8000-' || lpad(to_hex(o), 12, '0'))::uuid, l,
               ('b0000000-0000-7000-8000-' || lpad(to_hex(1 + (o * 997 + l * 4001) % {PRODUCTS}), 12, '0'))::uuid,
               12, CASE WHEN o % 3 = 2 THEN 4 ELSE 0 END, 75
        FROM generate_series(1, {OPEN_ORDERS}) o, generate_series(1, {LINES_PER_ORDER}) l""",
    "ANALYZE",
]


def _seed(conninfo: str) -> None:
    started = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for statement in SEED:
            conn.execute(statement)
    print(f"  seeded {PRODUCTS} products x {STORES} stores in {time.perf_counter() - started:.1f} s")


def _timed(call, n: int) -> list[float]:  # noqa: ANN001
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench_reorder() -> Result:
    workdir = Path(tempfile.mkdtemp(prefix="tillhq-bench-reorder-"))
    os.chmod(workdir, 0o755)  # the postgres OS user must reach the cluster when we are root
    pg = EmbeddedPostgres(workdir / "pg", fast=True)
    stop = None
    try:
        pg.start()
        upgrade(pg.url)
        seed_small(pg.url)
        conninfo = psycopg_conninfo(pg.url)
        _seed(conninfo)
        url, stop = serve_in_thread(create_app(pg.url, jwt_secret="bench-secret-" * 4))
        token = httpx.post(f"{url}/api/v1/auth/login", json={
            "email": "admin@example.com", "password": "tillhq-admin"}).json()["access_token"]
        client = httpx.Client(base_url=f"{url}/api/v1", timeout=60,
                              headers={"Authorization": f"Bearer {token}"})
        first = client.get(f"/stores/{STORE}/replenishment")
        assert first.status_code == 200, first.text
        lines = sum(len(v["lines"]) for v in first.json()["vendors"])
        assert lines > 0
        samples = _timed(lambda: client.get(f"/stores/{STORE}/replenishment").raise_for_status(), CALLS)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            store_id = conn.execute("SELECT id FROM stores WHERE code = %s", (STORE,)).fetchone()[0]
            baseline = _timed(lambda: conn.execute(
                "SELECT count(*) FROM stock_on_hand WHERE store_id = %s", (store_id,)).fetchone(), CALLS)
        print(f"  {lines} suggestion lines in {len(first.json()['vendors'])} vendor groups per call")
        client.close()
        return summarise("hq.reorder", "ms", samples, "pg.count_store_stock_rows", baseline)
    finally:
        if stop is not None:
            stop()
        pg.stop()
        shutil.rmtree(workdir, ignore_errors=True)


BENCHMARKS = {"hq.reorder": bench_reorder}
