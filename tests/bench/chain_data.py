"""The issue's chain for the read benchmarks: 200,000 products, 20 stores, 10 million movements.

Built straight in PostgreSQL with generate_series (no Python row loop), in (product, store)
order so every index fills by appending. BENCH_CHAIN_PRODUCTS scales it (a quick check at
20000 is a tenth of everything); the movements stay 50 per product:

* stores S001..S020 (the small seed's two plus 18), products B0000001.. in 50 categories with a
  current (weighted average) cost, and 1 bundle per 200 products made of two components;
* goods receipts as the purchasing code writes them: purchase orders of up to 100 lines (one
  order per store, layer and block of 100 products, status received) and one "receipt"
  movement per line, referencing PO-<number> and carrying the line's unit cost. 40 % of (product, store) pairs received 24 units,
  a quarter of those (10 % of pairs) 12 more later at a higher cost: 2 receipt layers there;
* 2 sales of 1 unit per pair; on hand 0..39 per pair, so some of it lies beyond every receipt.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from hq_server.db.embedded import EmbeddedPostgres
from hq_server.db.migrate import upgrade
from hq_server.db.session import psycopg_conninfo
from hq_server.seed.small import seed_small

PRODUCTS = int(os.environ.get("BENCH_CHAIN_PRODUCTS", "200000"))
STORES = 20
BLOCK = 100  # products per purchase order
LAYERS = ((1, 24, 50, "(i + n) % 10 < 4"), (2, 12, 70, "(i + n) % 10 = 0"))  # k, units, cost base, who
BUNDLE_EVERY = 200

PRODUCT_ID = "('b0000000-0000-7000-8000-' || lpad(to_hex({i}), 12, '0'))::uuid"
PO_NUMBER = "(10000000 + (({k} - 1) * {stores} + (n - 1)) * {blocks} + ({i} - 1) / {block})"
PO_ID = "('d0000000-0000-7000-8000-' || lpad(to_hex({number}), 12, '0'))::uuid"
STORE_N = "(SELECT id, row_number() OVER (ORDER BY code)::int AS n FROM stores) s"


REUSE_ENV = "BENCH_CHAIN_URL"


@dataclass(frozen=True)
class Chain:
    database_url: str
    conninfo: str
    products: int
    movements: int
    receipts: int


def _statements(products: int) -> list[tuple[str, str]]:
    blocks = (products + BLOCK - 1) // BLOCK
    pid = PRODUCT_ID.format(i="i")
    out = [
        ("stores", f"""INSERT INTO stores (id, code, name, currency)
            SELECT ('a0000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
                   'S' || lpad(n::text, 3, '0'), 'Bench store ' || n, 'EUR'
            FROM generate_series(3, {STORES}) n"""),
        ("products", f"""INSERT INTO products (id, sku, name, price_minor, cost_minor, currency, category)
            SELECT {pid}, 'B' || lpad(i::text, 7, '0'), 'Bench product ' || i, 200 + i % 900,
                   65 + i % 400, 'EUR', 'C' || (i % 50) FROM generate_series(1, {products}) i"""),
        ("bundles", f"""INSERT INTO products (id, sku, name, price_minor, cost_minor, currency, category)
            SELECT {PRODUCT_ID.format(i=f"({products} + b)")}, 'K' || lpad(b::text, 6, '0'),
                   'Bench bundle ' || b, 1500, 0, 'EUR', 'Bundles'
            FROM generate_series(1, {products // BUNDLE_EVERY}) b"""),
        ("bundle components", f"""INSERT INTO bundle_components (bundle_id, component_id, quantity)
            SELECT {PRODUCT_ID.format(i=f"({products} + b)")},
                   {PRODUCT_ID.format(i=f"(1 + (b * 7 + c * 101) % {products})")}, c
            FROM generate_series(1, {products // BUNDLE_EVERY}) b, generate_series(1, 2) c"""),
        ("vendor", """INSERT INTO vendors (id, name, currency)
            VALUES ('c0000000-0000-7000-8000-000000000001', 'Bench vendor', 'EUR')"""),
    ]
    for k, units, cost, who in LAYERS:
        number = PO_NUMBER.format(k=k, stores=STORES, blocks=blocks, i="i", block=BLOCK)
        block_number = PO_NUMBER.format(k=k, stores=STORES, blocks=blocks, i=f"(b * {BLOCK} + 1)",
                                        block=BLOCK)
        out += [
            (f"orders, layer {k}", f"""INSERT INTO purchase_orders (id, number, store_id, vendor_id,
                                                                   status, currency)
                SELECT {PO_ID.format(number=block_number)}, {block_number}, s.id,
                       'c0000000-0000-7000-8000-000000000001', 'received', 'EUR'
                FROM {STORE_N}, generate_series(0, {blocks - 1}) b ORDER BY 2"""),
            (f"order lines, layer {k}", f"""INSERT INTO purchase_order_lines (po_id, line_no,
                    product_id, quantity_ordered, quantity_received, unit_cost_minor)
                SELECT {PO_ID.format(number=number)}, (i - 1) % {BLOCK} + 1, {pid}, {units}, {units},
                       {cost} + i % 400
                FROM generate_series(1, {products}) i, {STORE_N} WHERE {who} ORDER BY 1, 2"""),
            (f"receipts, layer {k}", f"""INSERT INTO stock_movements (product_id, store_id, delta,
                                                                    reason, reference, hlc,
                                                                    unit_cost_minor)
                SELECT {pid}, s.id, {units}, 'receipt', 'PO-' || {number},
                       '0017000000{k}0000.000000.bench', {cost} + i % 400
                FROM generate_series(1, {products}) i, {STORE_N} WHERE {who} ORDER BY 1, 2"""),
        ]
    out += [
        ("sales", f"""INSERT INTO stock_movements (product_id, store_id, delta, reason, hlc)
            SELECT {pid}, s.id, -1, 'sale', '0017000000' || j || '9000.000000.bench'
            FROM generate_series(1, {products}) i, {STORE_N}, generate_series(1, 2) j
            ORDER BY 1, 2"""),
        ("on hand", f"""INSERT INTO stock_on_hand (product_id, store_id, on_hand)
            SELECT {pid}, s.id, (i * 37 + n * 11) % 40 FROM generate_series(1, {products}) i, {STORE_N}
            ORDER BY 1, 2 ON CONFLICT (product_id, store_id) DO UPDATE SET on_hand = excluded.on_hand"""),
        ("vacuum", "VACUUM ANALYZE"),
    ]
    return out


def seed_chain(conninfo: str, products: int = PRODUCTS) -> Chain:
    """Add the chain to a migrated database holding the small seed; prints each step's time."""
    started = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        # Foreign keys hold by construction here; checking them row by row would double the time.
        conn.execute("SET session_replication_role = replica")
        for label, statement in _statements(products):
            step = time.perf_counter()
            conn.execute(statement)
            print(f"    {label}: {time.perf_counter() - step:.1f} s", flush=True)
        movements, receipts = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE reason = 'receipt') FROM stock_movements").fetchone()
    print(f"  seeded {products:,} products x {STORES} stores, {movements:,} movements "
          f"({receipts:,} receipts) in {time.perf_counter() - started:.0f} s", flush=True)
    return Chain("", conninfo, products, movements, receipts)


@contextmanager
def seeded_chain(products: int = PRODUCTS) -> Iterator[Chain]:
    """A private PostgreSQL (fsync off: these benchmarks measure reads) holding the chain; or,
    with BENCH_CHAIN_URL set, a database seed_chain already filled (kept between runs)."""
    if os.environ.get(REUSE_ENV):
        yield _existing(os.environ[REUSE_ENV])
        return
    workdir = Path(tempfile.mkdtemp(prefix="tillhq-bench-chain-"))
    os.chmod(workdir, 0o755)  # the postgres OS user must reach the cluster when we are root
    pg = EmbeddedPostgres(workdir / "pg", fast=True)
    try:
        pg.start()
        upgrade(pg.url)
        seed_small(pg.url)
        chain = seed_chain(psycopg_conninfo(pg.url), products)
        yield Chain(pg.url, chain.conninfo, chain.products, chain.movements, chain.receipts)
    finally:
        pg.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _existing(database_url: str) -> Chain:
    conninfo = psycopg_conninfo(database_url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        products = conn.execute("SELECT count(*) FROM products WHERE sku ~ '^B[0-9]{7}$'").fetchone()[0]
        movements, receipts = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE reason = 'receipt') FROM stock_movements").fetchone()
    print(f"  reusing {database_url.rsplit('@', 1)[-1]}: {products:,} products, {movements:,} movements")
    return Chain(database_url, conninfo, products, movements, receipts)
