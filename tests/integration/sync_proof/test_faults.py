"""Faults with real processes: a proxy that loses, slows and cuts answers; HQ and PostgreSQL
restarting under a till; a till killed with SIGKILL in the middle of a push.

After each fault and a reconnect, HQ holds every event of the till exactly once and its stock
moved by exactly what was sold.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from hq_server.app import create_app
from hq_server.catalog.service import set_price
from hq_server.db.session import make_engine, make_session_factory, transaction
from hq_server.devices.service import create_enrolment_code
from hq_server.testing import serve_in_thread
from till.bootstrap import build_till

from .helpers import (
    assert_holds_exactly,
    device_id,
    enrolled_till,
    hq_chain,
    journal,
    on_hand,
    push_raw,
    sale_deltas,
    sell,
)
from .proxy import FaultyProxy

pytestmark = pytest.mark.timeout(90)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def new_code(database_url: str, store: str = "S001") -> str:
    engine = make_engine(database_url, pool_size=1)
    try:
        with transaction(make_session_factory(engine)) as session:
            return create_enrolment_code(session, store)
    finally:
        engine.dispose()


def change_price(database_url: str, sku: str, price_minor: int) -> None:
    engine = make_engine(database_url, pool_size=1)
    try:
        with transaction(make_session_factory(engine)) as session:
            set_price(session, sku, price_minor)
    finally:
        engine.dispose()


def wait_until(condition, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def assert_stock_moved_by_sales(database_url: str, before: dict, tills) -> None:  # noqa: ANN001
    moved = sale_deltas([e for till in tills for e in journal(till)])
    assert on_hand(database_url) == {k: v + moved.get(k, 0) for k, v in before.items()}


@pytest.fixture
def line(hq_server):
    proxy = FaultyProxy(port_of(hq_server.url))
    yield proxy
    proxy.close()


@pytest.fixture
def till(hq_server, line, tmp_path):
    till = enrolled_till(tmp_path / "till", line.url, new_code(hq_server.database_url))
    yield till
    till.close()


def sell_some(till, hq_server, n: int = 3) -> None:  # noqa: ANN001
    products = hq_server.seed.products
    for i in range(n):
        sell(till, [(products[i % 4].barcode, 1 + i % 3), (products[4].barcode, 1)])


def test_answers_lost_after_hq_committed_are_neither_lost_nor_applied_twice(hq_server, line, till):
    before = on_hand(hq_server.database_url)
    sell_some(till, hq_server)
    line.faults.drop_responses = 1
    status = till.agent.sync_once()
    assert line.dropped == 1 and not status["online"] and status["pending"] == 3
    assert len(hq_chain(hq_server.database_url, device_id(till))) == 3  # HQ did commit

    sell_some(till, hq_server, 2)
    line.faults.truncate_responses = 1  # the answer arrives cut short: not a valid reply
    status = till.agent.sync_once()
    assert line.truncated == 1 and not status["online"] and status["pending"] == 5

    status = till.agent.sync_once()
    assert status["online"] and status["pending"] == 0, status
    assert_holds_exactly(hq_server.database_url, till)
    assert_stock_moved_by_sales(hq_server.database_url, before, [till])


def test_a_slow_line_that_times_out_the_till_still_delivers_each_sale_once(hq_server, line, till):
    before = on_hand(hq_server.database_url)
    sell_some(till, hq_server)
    line.faults.delay_s = 0.6
    with pytest.raises(requests.Timeout):  # the till gives up; HQ carries on and commits
        push_raw(line.url, till, journal(till), timeout=0.3)
    wait_until(lambda: len(hq_chain(hq_server.database_url, device_id(till))) == 3, 5,
               "HQ to commit the batch whose answer timed out")
    status = till.agent.sync_once()  # slow, but within the till's timeout
    line.faults.delay_s = 0
    assert status["online"] and status["pending"] == 0, status
    assert_holds_exactly(hq_server.database_url, till)
    assert_stock_moved_by_sales(hq_server.database_url, before, [till])


def test_a_till_long_polling_through_an_hq_restart_gets_the_next_price_change(hq_server, till):
    shampoo = hq_server.seed.products[0]
    till.agent.start()
    time.sleep(0.5)  # the pull thread is now waiting in a long poll
    hq_server.stop()
    time.sleep(0.3)
    _, stop_again = serve_in_thread(create_app(hq_server.database_url), port=port_of(hq_server.url))
    try:
        change_price(hq_server.database_url, shampoo.sku, 777)
        wait_until(lambda: till.catalog.lookup(shampoo.barcode).price.minor == 777, 15,
                   "the price change to reach the till after HQ restarted")
        assert till.status()["online"]
    finally:
        till.agent.stop()
        stop_again()


def test_postgresql_restarting_under_hq_fails_pushes_cleanly_then_they_succeed_once(
        hq_server, till, pg_cluster, _database_pool):
    before = on_hand(hq_server.database_url)
    for ready in list(_database_pool._ready):  # never stop the cluster mid CREATE DATABASE
        ready.result()
    sell_some(till, hq_server, 2)
    pg_cluster.stop()
    try:
        sell_some(till, hq_server, 2)
        status = till.agent.sync_once()
        assert not status["online"] and status["pending"] == 4, status
    finally:
        pg_cluster.start()
    status = till.agent.sync_once()
    if status["pending"]:  # the first request after the restart may meet a dead pooled connection
        status = till.agent.sync_once()
    assert status["online"] and status["pending"] == 0, status
    assert_holds_exactly(hq_server.database_url, till)
    assert_stock_moved_by_sales(hq_server.database_url, before, [till])


PUSHER = """
import sys, time
from till.bootstrap import build_till
till = build_till(sys.argv[1], "none")
till.agent.batch_size = 5
print("pushing", flush=True)
while till.agent.push_pending():
    pass
print("done", flush=True)
time.sleep(60)
"""


def test_a_till_killed_mid_push_resumes_and_hq_has_every_event_once(hq_server, tmp_path):
    data_dir = tmp_path / "till"
    till = enrolled_till(data_dir, hq_server.url, new_code(hq_server.database_url))
    before = on_hand(hq_server.database_url)
    sell_some(till, hq_server, 300)  # a backlog made offline: nothing pushed yet
    device = device_id(till)
    till.close()

    child = subprocess.Popen([sys.executable, "-c", PUSHER, str(data_dir)],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[3],
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])})
    try:
        assert child.stdout.readline().strip() == "pushing"
        wait_until(lambda: len(hq_chain(hq_server.database_url, device)) >= 40, 30,
                   "the child to push part of its backlog")
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    held = len(hq_chain(hq_server.database_url, device))
    assert 40 <= held < 300, f"the kill came too late to be mid-push ({held} held)"

    till = build_till(data_dir, "none", cashier="Ana")  # the ledger as the kill left it
    try:
        status = till.agent.sync_once()
        assert status["online"] and status["pending"] == 0, status
        assert len(journal(till)) == 300
        assert_holds_exactly(hq_server.database_url, till)
        assert_stock_moved_by_sales(hq_server.database_url, before, [till])
    finally:
        till.close()
