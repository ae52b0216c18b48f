"""dashboard.analytics and dashboard.stock_page: two dashboard pages as a signed-in browser loads
them (cookie session, server-rendered HTML), timed over HTTP against HQ served by uvicorn.

* dashboard.analytics: GET /analytics (the last 28 days, every chart) as the admin, on the demo
  chain of `make demo` (hq_server.seed.demo: 5 stores, 5,000 products, ~49,000 sales over 90
  days) in a private PostgreSQL (fsync off: this measures reads). Baseline, in the same run:
  counting the period's sales in PostgreSQL (`SELECT count(*) FROM sales` over the window), the
  least any page about those sales must do. BENCH_DEMO_URL reuses a database seed_demo filled.
* dashboard.stock_page: GET / (the Stock page: 50 products x 20 stores, with the store totals) as
  the admin, on chain_data's chain (200,000 products, 20 stores; BENCH_CHAIN_URL reuses one),
  first page, a search and a category filter in turn; the issue asks for under 1 s. Baseline:
  `SELECT count(*) FROM products`, in the same run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as day_start
from pathlib import Path

import httpx
import psycopg

from hq_server.app import create_app
from hq_server.db.embedded import EmbeddedPostgres
from hq_server.db.migrate import upgrade
from hq_server.db.session import psycopg_conninfo
from hq_server.reports.shapes import DEFAULT_DAYS
from hq_server.seed.demo import seed_demo
from hq_server.testing import serve_in_thread

from .chain_data import seeded_chain
from .report import Result, summarise

CALLS = int(os.environ.get("BENCH_DASHBOARD_CALLS", "15"))
ADMIN = {"email": "admin@example.com", "password": "tillhq-admin"}
STOCK_VIEWS = ({}, {"q": "Bench product 1234"}, {"category": "C7"})


@contextmanager
def demo_chain() -> Iterator[str]:
    """The database URL of a private PostgreSQL holding the demo chain (or BENCH_DEMO_URL's)."""
    if os.environ.get("BENCH_DEMO_URL"):
        yield os.environ["BENCH_DEMO_URL"]
        return
    workdir = Path(tempfile.mkdtemp(prefix="tillhq-bench-demo-"))
    os.chmod(workdir, 0o755)  # the postgres OS user must reach the cluster when we are root
    pg = EmbeddedPostgres(workdir / "pg", fast=True)
    try:
        pg.start()
        upgrade(pg.url)
        print(f"  {seed_demo(pg.url)}", flush=True)
        yield pg.url
    finally:
        pg.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def signed_in_browser(database_url: str) -> Iterator[httpx.Client]:
    """HQ served in a thread, and a cookie client signed in at /login as the demo admin."""
    url, stop = serve_in_thread(create_app(database_url, jwt_secret="bench-secret-" * 4))
    try:
        with httpx.Client(base_url=url, timeout=300) as client:
            reply = client.post("/login", data={**ADMIN, "next": "/"})
            assert reply.status_code == 303, reply.text
            yield client
    finally:
        stop()


def _timed(n: int, call: Callable[[int], None]) -> list[float]:
    samples = []
    for i in range(n):
        started = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _page(client: httpx.Client, path: str, params: dict, must_hold: str) -> None:
    reply = client.get(path, params=params)
    assert reply.status_code == 200 and must_hold in reply.text, reply.text[:500]


def bench_analytics() -> Result:
    with demo_chain() as database_url, signed_in_browser(database_url) as client:
        _page(client, "/analytics", {}, 'id="dead-stock"')  # warm: a buyer opens it twice too
        page = _timed(CALLS, lambda _: _page(client, "/analytics", {}, 'id="dead-stock"'))
        end = datetime.combine(datetime.now(UTC).date(), day_start(), UTC) + timedelta(days=1)
        with psycopg.connect(psycopg_conninfo(database_url)) as conn:
            def count(_: int) -> None:
                sales = conn.execute("SELECT count(*) FROM sales WHERE sold_at >= %s AND sold_at < %s",
                                     (end - timedelta(days=DEFAULT_DAYS), end)).fetchone()[0]
                assert sales > 0
            baseline = _timed(CALLS, count)
    print(f"  GET /analytics per call {', '.join(f'{s / 1000:.2f}' for s in page)} s")
    return summarise("dashboard.analytics", "ms", page, "pg.count_period_sales", baseline)


def bench_stock_page() -> Result:
    with seeded_chain() as chain, signed_in_browser(chain.database_url) as client:
        for view in STOCK_VIEWS:
            _page(client, "/", view, "<table")  # warm each view once
        page = _timed(CALLS, lambda i: _page(client, "/", STOCK_VIEWS[i % len(STOCK_VIEWS)], "<table"))
        with psycopg.connect(chain.conninfo) as conn:
            baseline = _timed(CALLS, lambda _: conn.execute("SELECT count(*) FROM products").fetchone())
    print(f"  GET / per call {', '.join(f'{s / 1000:.2f}' for s in page)} s")
    return summarise("dashboard.stock_page", "ms", page, "pg.count_products", baseline)


BENCHMARKS = {"dashboard.analytics": bench_analytics, "dashboard.stock_page": bench_stock_page}
