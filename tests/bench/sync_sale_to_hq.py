"""sync.sale_to_hq: from the till's sale commit to the new on-hand being readable at HQ.

Real parts throughout: an embedded PostgreSQL with fsync on, HQ served by uvicorn on 127.0.0.1,
a till ledger on a SQLite file with its sync agent thread running. The baseline is the floor of
the same path: re-pushing an already-held batch (HTTP + device auth + row lock + duplicate
check), measured in the same run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import psycopg
import requests

from hq_server.app import create_app
from hq_server.db.embedded import EmbeddedPostgres
from hq_server.db.migrate import upgrade
from hq_server.db.session import make_engine, make_session_factory, psycopg_conninfo, transaction
from hq_server.devices.service import create_enrolment_code
from hq_server.seed.small import seed_small
from hq_server.testing import serve_in_thread
from shared.wire import PushRequest, WireEvent
from till.bootstrap import build_till
from till.ledger.journal import all_events
from till.sale import Basket
from till.sync import enrol, load_credential

from .report import Result, summarise

SALES = int(os.environ.get("BENCH_N", "60"))


def _enrolment_code(database_url: str) -> str:
    engine = make_engine(database_url, pool_size=1)
    try:
        with transaction(make_session_factory(engine)) as session:
            return create_enrolment_code(session, "S001")
    finally:
        engine.dispose()


def _wait_for_on_hand(conn: psycopg.Connection, product_id: str, store_id: str, below: int,
                      timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while True:
        row = conn.execute("select on_hand from stock_on_hand where product_id = %s and store_id = %s",
                           (product_id, store_id)).fetchone()
        if row and row[0] < below:
            return
        if time.perf_counter() > deadline:
            raise TimeoutError("sale did not reach HQ on-hand in time")
        time.sleep(0.0005)


def _measure_sales(till, conn, seed) -> list[float]:
    product = seed.products[0]
    store_id = seed.store("S001").id
    samples = []
    for i in range(SALES):
        current = conn.execute("select on_hand from stock_on_hand where product_id=%s and store_id=%s",
                               (product.id, store_id)).fetchone()[0]
        basket = Basket("EUR")
        basket.add(till.catalog.lookup(product.barcode))
        if i % 2:
            basket.add(till.catalog.lookup(seed.products[1].barcode))
        started = time.perf_counter()
        till.sales.complete_sale(basket, basket.total, "bench")
        _wait_for_on_hand(conn, product.id, store_id, below=current)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _measure_duplicate_push(till, hq_url: str) -> list[float]:
    credential = load_credential(till.data_dir)
    events = [WireEvent.from_journal(e) for e in all_events(till.ledger.connection())][-1:]
    body = PushRequest(device_id=credential.device_id, events=events).model_dump(mode="json")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {credential.token}"
    samples = []
    for _ in range(SALES):
        started = time.perf_counter()
        response = session.post(f"{hq_url}/api/v1/sync/push", json=body, timeout=10)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.json()["duplicates"] == 1, response.text
    return samples


def bench_sync_sale_to_hq() -> Result:
    workdir = Path(tempfile.mkdtemp(prefix="tillhq-bench-"))
    os.chmod(workdir, 0o755)  # the postgres OS user must reach the cluster when we are root
    pg = EmbeddedPostgres(workdir / "pg")
    stop_hq = till = None
    try:
        pg.start()
        upgrade(pg.url)
        seed = seed_small(pg.url)
        hq_url, stop_hq = serve_in_thread(create_app(pg.url))
        enrol(workdir / "till", hq_url, _enrolment_code(pg.url), device_name="bench till")
        till = build_till(workdir / "till", long_poll_wait=2.0)
        till.agent.sync_once()
        till.agent.start()
        with psycopg.connect(psycopg_conninfo(pg.url), autocommit=True) as conn:
            samples = _measure_sales(till, conn, seed)
        baseline = _measure_duplicate_push(till, hq_url)
        return summarise("sync.sale_to_hq", "ms", samples, "sync.push_duplicate_roundtrip", baseline)
    finally:
        if till is not None:
            till.close()
        if stop_hq is not None:
            stop_hq()
        pg.stop()
        shutil.rmtree(workdir, ignore_errors=True)
