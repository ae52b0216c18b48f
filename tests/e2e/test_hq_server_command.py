"""`hq-server serve` on its embedded PostgreSQL, with two workers, as IT would run it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests
from websockets.sync.client import connect

from hq_server.db.embedded import free_port
from till.sale import Basket

from .helpers import enrolled_till, wait_until


def hq_cli(*args: str, data: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "hq_server.cli", *args, "--data", str(data)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def data_dir():
    # Not under pytest's tmp_path: that is private to root, and PostgreSQL runs as `postgres`.
    folder = Path(tempfile.mkdtemp(prefix="tillhq-cli-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def served(data_dir):
    port = free_port("127.0.0.1")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    log = open(data_dir / "serve.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "hq_server.cli", "serve", "--data", str(data_dir), "--port", str(port),
         "--workers", "2"], stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, (data_dir / "serve.log").read_text()
        try:
            return requests.get(f"{url}/api/v1/health", timeout=1).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        wait_until(answers, timeout=90, what="hq-server to answer")
        yield process, url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
        log.close()


def test_serve_starts_its_own_postgresql_fans_out_across_workers_and_stops_it_on_exit(
        served, data_dir, tmp_path):
    process, url = served
    assert (data_dir / "pg" / "data" / "PG_VERSION").exists()
    hq_cli("seed-demo", "--stores", "2", "--products", "40", "--days", "1", data=data_dir)
    code = hq_cli("enrol-code", "--store", "S001", data=data_dir).strip()
    till = enrolled_till(tmp_path / "till", url, code)
    try:
        pulled = till.catalog.search("", limit=100)
        assert len(pulled) == 40, "the till did not pull the whole catalogue"
        product = pulled[0]
        token = requests.post(f"{url}/api/v1/auth/login", timeout=10, json={
            "email": "admin@example.com", "password": "tillhq-admin"}).json()["access_token"]
        with ExitStack() as stack:
            sockets, workers = [], set()
            for _ in range(24):  # keep opening until both workers hold a dashboard socket
                ws = stack.enter_context(connect(url.replace("http", "ws") + f"/api/v1/live?token={token}"))
                workers.add(json.loads(ws.recv(timeout=5))["worker"])
                sockets.append(ws)
                if len(workers) == 2:
                    break
            assert len(workers) == 2, "the kernel gave every socket to one worker"

            basket = Basket("EUR")
            basket.add(product, 3)
            till.sales.complete_sale(basket, basket.total, "Ana")
            assert till.agent.push_pending() == 1

            for ws in sockets:  # whichever worker ingested, every socket hears it
                message = json.loads(ws.recv(timeout=5))
                assert (message["type"], message["sku"], message["store_code"]) == (
                    "stock", product.sku, "S001")
    finally:
        till.close()

    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0 or process.returncode in (130, -signal.SIGTERM)
    assert not (data_dir / "pg" / "data" / "postmaster.pid").exists(), "PostgreSQL left running"
