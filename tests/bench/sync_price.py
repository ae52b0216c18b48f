"""sync.price_to_till: an HQ price change reaches an online till's ledger through the long poll.

Real parts: PostgreSQL with fsync on, HQ on uvicorn, a till ledger file with its agent threads
running (long_poll_wait 10 s). Each sample: `set_price` committed in an HQ transaction, then
the time until the till's catalogue answers the new price. Baseline: PostgreSQL's own rate for
the same row, a change_log-shaped row inserted and committed into a scratch table.
"""

from __future__ import annotations

import json
import os
import time

from hq_server.catalog.service import set_price
from hq_server.db.session import make_engine, make_session_factory, transaction
from till.bootstrap import build_till
from till.sync import enrol

from .report import Result, summarise
from .sync_common import running_hq

N = int(os.environ.get("BENCH_N", "60"))


def _wait_for_price(till, barcode: str, price: int, timeout: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.perf_counter() + timeout
    while till.catalog.lookup(barcode).price.minor != price:
        if time.perf_counter() > deadline:
            raise TimeoutError("the price change did not reach the till")
        time.sleep(0.0005)


def _insert_commit_baseline(conn) -> list[float]:  # noqa: ANN001
    conn.execute("CREATE TABLE bench_changes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                 "kind text, entity_id text, data jsonb)")
    data = json.dumps({"product_id": "x", "sku": "SKU", "name": "Name", "price_minor": 1,
                       "barcodes": ["4000000000017"], "currency": "EUR", "active": True})
    samples = []
    for _ in range(N):
        started = time.perf_counter()
        with conn.transaction():
            conn.execute("INSERT INTO bench_changes (kind, entity_id, data) VALUES ('product', 'x', %s)",
                         (data,))
        samples.append((time.perf_counter() - started) * 1000)
    conn.execute("DROP TABLE bench_changes")
    return samples


def bench_price_to_till() -> Result:
    with running_hq() as hq:
        enrol(hq.workdir / "till", hq.url, hq.enrolment_code(), device_name="price till")
        till = build_till(hq.workdir / "till", "none", long_poll_wait=10.0)
        engine = make_engine(hq.database_url, pool_size=1)
        try:
            till.agent.sync_once()
            till.agent.start()
            time.sleep(0.5)  # the pull thread is now in its long poll
            product = hq.seed.products[0]
            samples = []
            for i in range(N):
                price = 1000 + i
                started = time.perf_counter()
                with transaction(make_session_factory(engine)) as session:
                    set_price(session, product.sku, price)
                _wait_for_price(till, product.barcode, price)
                samples.append((time.perf_counter() - started) * 1000)
                time.sleep(0.05)  # let the till go back into its long poll
        finally:
            till.close()
            engine.dispose()
        with hq.connect() as conn:
            baseline = _insert_commit_baseline(conn)
    return summarise("sync.price_to_till", "ms", samples, "pg.insert_commit_same_row", baseline)
