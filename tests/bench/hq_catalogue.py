"""hq.csv_import: seconds to import a 50,000-row product CSV into a catalogue of 3,000 products.

Real parts: PostgreSQL with fsync on (embedded cluster), migrations, the small seed plus 3,000
products imported first; then the 50,000-row file (the 3,000 again with new prices, 47,000 new
products of which a fifth are size/colour variants, one or two EAN-13 barcodes each) through
`import_products`: streamed, staged by COPY, checked, applied, audited and published to the
change log, committed. Each sample runs on a fresh copy of the prepared database.
Baseline: COPY of the same file's bytes into a temporary table of text columns, and commit.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

from hq_server.catalogue_admin.csv_format import COLUMNS
from hq_server.catalogue_admin.importer import import_products
from hq_server.db.embedded import EmbeddedPostgres
from hq_server.db.migrate import upgrade
from hq_server.db.session import make_engine, make_session_factory, transaction
from hq_server.seed.small import seed_small
from shared.barcodes import make_ean13

from .report import Result, summarise

ROWS = int(os.environ.get("BENCH_CSV_ROWS", "50000"))
EXISTING = 3000
SAMPLES = 3


def product_csv(rows: int, price_cents: int) -> bytes:
    out = [",".join(COLUMNS)]
    parent = ""
    for i in range(rows):
        sku = f"BENCH-{i:06d}"
        variant = i % 5 != 0 and bool(parent)
        if not variant:
            parent = sku
        codes = [make_ean13(f"7{i:06d}{k:05d}") for k in range(1 + i % 2)]
        price = f"{price_cents // 100 + i % 50}.{price_cents % 100:02d}"
        out.append(",".join((
            sku, f"Bench product {i}", "" if i % 3 else f'"A description, with a comma {i}"',
            f"Category {i % 40}", "each", "standard" if i % 7 else "reduced", price, "1.25",
            "|".join(codes), "true", parent if variant else "", "SML"[i % 3] if variant else "",
            ("red", "blue", "green")[i % 3] if variant else "")))
    return ("\n".join(out) + "\n").encode()


def _import(url: str, data: bytes) -> float:
    engine = make_engine(url, pool_size=1)
    try:
        started = time.perf_counter()
        with transaction(make_session_factory(engine)) as session:
            result = import_products(session, None, io.BytesIO(data), currency="EUR")
        elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    assert result.applied and not result.error_count, result.errors[:3]
    return elapsed


def _copy_baseline(conninfo: str, data: bytes) -> float:
    columns = ", ".join(f"{c} text" for c in COLUMNS)
    with psycopg.connect(conninfo) as conn:
        started = time.perf_counter()
        conn.execute(f"CREATE TEMP TABLE bench_csv ({columns}) ON COMMIT DROP")
        with conn.cursor().copy("COPY bench_csv FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            for start in range(0, len(data), 1 << 16):
                copy.write(data[start:start + (1 << 16)])
        conn.commit()
        return time.perf_counter() - started


def bench_csv_import() -> Result:
    workdir = Path(tempfile.mkdtemp(prefix="tillhq-bench-csv-"))
    os.chmod(workdir, 0o755)  # the postgres OS user must reach the cluster when we are root
    pg = EmbeddedPostgres(workdir / "pg")
    try:
        pg.start()
        upgrade(pg.url)
        seed_small(pg.url)
        _import(pg.url, product_csv(EXISTING, 999))
        data = product_csv(ROWS, 1049)
        samples, baseline = [], []
        for n in range(SAMPLES):
            name = f"sample_{n}"
            with psycopg.connect(pg.conninfo(), autocommit=True) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(pg.database)))
            samples.append(_import(pg.url_for(name), data))
            baseline.append(_copy_baseline(pg.conninfo(name), data))
        print(f"  {ROWS} rows ({len(data) / 1e6:.1f} MB): import "
              f"{', '.join(f'{s:.1f}' for s in samples)} s; COPY {', '.join(f'{b:.2f}' for b in baseline)} s")
    finally:
        pg.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return summarise("hq.csv_import", "s", samples, "pg.copy_same_file", baseline)


BENCHMARKS = {"hq.csv_import": bench_csv_import}
