"""What the sync benchmarks share: a real PostgreSQL (fsync on), HQ on uvicorn, enrolled tills,
and the baseline: PostgreSQL's own bulk-insert (COPY) rate for rows shaped like ingest's."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import requests

from hq_server.app import create_app
from hq_server.asgi import URL_ENV
from hq_server.db.embedded import EmbeddedPostgres, free_port
from hq_server.db.migrate import upgrade
from hq_server.db.session import make_engine, make_session_factory, psycopg_conninfo, transaction
from hq_server.devices.service import create_enrolment_code
from hq_server.seed.small import SmallSeed, seed_small
from hq_server.testing import serve_in_thread


@dataclass
class BenchHQ:
    workdir: Path
    database_url: str
    url: str
    seed: SmallSeed

    def enrolment_code(self, store: str = "S001") -> str:
        engine = make_engine(self.database_url, pool_size=1)
        try:
            with transaction(make_session_factory(engine)) as session:
                return create_enrolment_code(session, store)
        finally:
            engine.dispose()

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(psycopg_conninfo(self.database_url), autocommit=True)


def _serve_in_processes(database_url: str, workers: int):  # noqa: ANN202
    """HQ as production runs it: uvicorn in its own process(es), not sharing our GIL."""
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "hq_server.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
        env={**os.environ, URL_ENV: database_url})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"{url}/openapi.json", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            raise RuntimeError("HQ did not start")
        time.sleep(0.1)

    def stop() -> None:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(5)

    return url, stop


@contextmanager
def running_hq(workers: int = 0) -> Iterator[BenchHQ]:
    """workers=0: HQ in a thread of this process; N: uvicorn with N worker processes."""
    workdir = Path(tempfile.mkdtemp(prefix="tillhq-bench-"))
    os.chmod(workdir, 0o755)  # the postgres OS user must reach the cluster when we are root
    pg = EmbeddedPostgres(workdir / "pg")
    stop_hq = None
    try:
        pg.start()
        upgrade(pg.url)
        seed = seed_small(pg.url)
        if workers:
            url, stop_hq = _serve_in_processes(pg.url, workers)
        else:
            url, stop_hq = serve_in_thread(create_app(pg.url))
        yield BenchHQ(workdir, pg.url, url, seed)
    finally:
        if stop_hq is not None:
            stop_hq()
        pg.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def copy_baseline(conn: psycopg.Connection, events: list[dict[str, Any]], lines_per_event: int) -> float:
    """Seconds PostgreSQL takes to COPY `events` (payload included) and their stock movements
    into scratch tables shaped like `events` and `stock_movements`, and commit."""
    conn.execute("DROP TABLE IF EXISTS bench_events, bench_movements")
    conn.execute("CREATE TABLE bench_events (event_id uuid PRIMARY KEY, device_id uuid, seq bigint, "
                 "hlc text, type text, schema_version int, payload jsonb, prev_hash text, hash text, "
                 "UNIQUE (device_id, seq))")
    conn.execute("CREATE TABLE bench_movements (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                 "product_id uuid, store_id uuid, delta bigint, reason text, event_id uuid, hlc text)")
    import json

    product, store = uuid.uuid4(), uuid.uuid4()
    started = time.perf_counter()
    with conn.transaction():
        with conn.cursor().copy("COPY bench_events FROM STDIN") as copy:
            for e in events:
                copy.write_row((e["event_id"], e["device_id"], e["seq"], e["hlc"], e["type"],
                                e["schema_version"], json.dumps(e["payload"]), e["prev_hash"], e["hash"]))
        with conn.cursor().copy("COPY bench_movements (product_id, store_id, delta, reason, event_id, "
                                "hlc) FROM STDIN") as copy:
            for e in events:
                for _ in range(lines_per_event):
                    copy.write_row((product, store, -1, "sale", e["event_id"], e["hlc"]))
    elapsed = time.perf_counter() - started
    conn.execute("DROP TABLE bench_events, bench_movements")
    return elapsed
