"""sync.backlog_drain: a till that sold 5,000 four-line sales offline drains them to HQ.

Real parts: PostgreSQL with fsync on, HQ on uvicorn, a till ledger file and its agent's own push
code path (batches of 500). Reported in seconds for the whole drain (one run: the setup, 5,000
real sale commits, dominates the bench's own time). Baseline: COPY of the same 5,000 events and
20,000 stock movements into scratch tables, measured in the same run.
"""

from __future__ import annotations

import os
import time

from till.bootstrap import build_till
from till.ledger.journal import all_events
from till.sale import Basket
from till.sync import enrol

from .report import Result, summarise
from .sync_common import copy_baseline, running_hq

SALES = int(os.environ.get("BENCH_BACKLOG", "5000"))
LINES = 4


def make_backlog(till, seed, sales: int = SALES) -> None:  # noqa: ANN001
    products = [till.catalog.lookup(p.barcode) for p in seed.products]
    for i in range(sales):
        basket = Basket("EUR")
        for j in range(LINES):
            basket.add(products[(i + j * 3) % len(products)])
        till.sales.complete_sale(basket, basket.total, "bench")


def bench_backlog_drain() -> Result:
    with running_hq() as hq:
        data_dir = hq.workdir / "till"
        enrol(data_dir, hq.url, hq.enrolment_code(), device_name="backlog till")
        till = build_till(data_dir, "none", long_poll_wait=2.0)
        try:
            till.agent.sync_once()
            make_backlog(till, hq.seed)
            started = time.perf_counter()
            acked = till.agent.push_pending()
            drained = time.perf_counter() - started
            assert acked == SALES and till.status()["pending"] == 0, (acked, till.status())
            events = [e.to_dict() for e in all_events(till.ledger.connection())]
        finally:
            till.close()
        with hq.connect() as conn:
            held = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            assert held == SALES, held
            baseline = [copy_baseline(conn, events, LINES) for _ in range(3)]
    print(f"  drained {SALES} sales in {drained:.2f} s = {SALES / drained:.0f} events/s")
    return summarise("sync.backlog_drain", "s", [drained], "pg.copy_same_rows", baseline)
