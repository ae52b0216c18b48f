"""Faults with real processes: a proxy that loses, slows and cuts answers; HQ and PostgreSQL
restarting under a till; a till killed with SIGKILL in the middle of a push; HQ killed (or its
database connection terminated) half-way through applying a batch; corrupt batches.

After each fault and a reconnect, HQ holds every event of the till exactly once and its stock
moved by exactly what was sold.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests

from hq_server.app import create_app
from hq_server.catalog.service import set_price
from hq_server.db.embedded import free_port
from hq_server.db.session import make_engine, make_session_factory, psycopg_conninfo, transaction
from hq_server.devices.service import create_enrolment_code
from hq_server.testing import serve_in_thread
from shared.journal import seal
from shared.wire import PushRequest, WireEvent
from till.bootstrap import build_till
from till.sync import load_credential

from .helpers import (
    assert_holds_exactly,
    device_id,
    enrolled_till,
    hq_chain,
    journal,
    on_hand,
    push_raw,
    query,
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


# --- a batch cut off half-way, and a corrupt batch: all or nothing --------------------------------


def start_hq_process(database_url: str, port: int) -> subprocess.Popen:
    """HQ as production runs it (uvicorn in its own process), so it can be killed with SIGKILL."""
    child = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "hq_server.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=Path(__file__).parents[3], env={**os.environ, "TILLHQ_DATABASE_URL": database_url,
                                            "PYTHONPATH": str(Path(__file__).parents[3])})
    def answering() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200
        except requests.RequestException:
            assert child.poll() is None, "HQ exited while starting"
            return False
    wait_until(answering, 60, "HQ to start")
    return child


def push_blocked_at_the_stock_rows(database_url: str) -> int:
    """The backend of a push that has written its events, sales and movements (uncommitted) and
    now waits for a stock row; its pid."""
    def waiting() -> list:
        return query(database_url, "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                   "AND query LIKE '%%INSERT INTO stock_on_hand%%'")
    wait_until(waiting, 20, "the push to reach the stock rows")
    (pid,), = waiting()
    statements_done = query(database_url, "SELECT count(*) FROM pg_locks WHERE pid = %s AND "
                                          "relation = 'events'::regclass AND mode = 'RowExclusiveLock'", (pid,))
    assert statements_done == [(1,)]  # the events are inserted, not yet committed
    return pid


def nothing_of(database_url: str, device: str) -> tuple[int, int, int, int]:
    return query(database_url, """
        SELECT (SELECT count(*) FROM events WHERE device_id = %(d)s),
               (SELECT count(*) FROM sales WHERE device_id = %(d)s),
               (SELECT count(*) FROM stock_movements m JOIN events e ON e.event_id = m.event_id
                 WHERE e.device_id = %(d)s),
               (SELECT last_seq FROM devices WHERE id = %(d)s)""", {"d": device})[0]


@pytest.mark.parametrize("fault", ["hq_killed", "connection_killed"])
def test_a_batch_cut_off_half_way_through_is_all_or_nothing(hq_server, tmp_path, fault):
    """A stock row held by someone else stops the push after its first inserts; then HQ is
    killed with SIGKILL (and restarted), or its database connection is terminated. Nothing of
    the batch is kept; the till's next push applies it exactly once."""
    database_url, port = hq_server.database_url, free_port()
    hq = start_hq_process(database_url, port)
    till = enrolled_till(tmp_path / "till", f"http://127.0.0.1:{port}", new_code(database_url))
    try:
        before = on_hand(database_url)
        sell_some(till, hq_server, 20)
        device, shampoo = device_id(till), hq_server.seed.products[0]
        with psycopg.connect(psycopg_conninfo(database_url)) as blocker:
            blocker.execute("SELECT 1 FROM stock_on_hand WHERE product_id = %s AND store_id = %s "
                            "FOR UPDATE", (shampoo.id, hq_server.seed.store("S001").id))
            pushing = threading.Thread(target=till.agent.sync_once)
            pushing.start()
            pid = push_blocked_at_the_stock_rows(database_url)
            if fault == "hq_killed":
                hq.send_signal(signal.SIGKILL)
                hq.wait(10)
            else:
                query(database_url, "SELECT pg_terminate_backend(%s)", (pid,))
            blocker.rollback()  # the stock row is free: a live backend would go on and commit
        pushing.join(30)
        wait_until(lambda: not query(database_url, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)),
                   20, "the cut-off backend to end")
        assert nothing_of(database_url, device) == (0, 0, 0, 0)
        assert on_hand(database_url) == before
        assert till.status()["pending"] == 20

        if fault == "hq_killed":
            hq = start_hq_process(database_url, port)  # the same address: the till just retries
        status = till.agent.sync_once()
        assert status["online"] and status["pending"] == 0, status
        assert_holds_exactly(database_url, till)
        assert_stock_moved_by_sales(database_url, before, [till])
    finally:
        till.close()
        hq.kill()
        hq.wait(10)


def cut_short(events: list) -> bytes:  # noqa: ANN001
    """The request loses its tail on the way: not JSON any more."""
    body = _body(events)
    return body[:body.index(b'"seq":2') + 200]


def float_quantity(events: list) -> bytes:  # noqa: ANN001
    """Seq 2 carries a fractional quantity (its hash is not even reached)."""
    body = _body(events)
    second = body.index(b'"seq":2')
    return body[:second] + body[second:].replace(b'"quantity":1', b'"quantity":1.5', 1)


def unreadable_sale(events: list) -> bytes:  # noqa: ANN001
    """Seq 2 is sealed properly (its hash is right) but its payload is not a sale HQ can read."""
    first, second = events[0], events[1]
    broken = seal(event_id=second.event_id, device_id=second.device_id, seq=2, hlc=second.hlc,
                  type=second.type, schema_version=second.schema_version,
                  payload={**second.payload, "lines": [7]}, prev_hash=first.hash)
    return _body([first, broken])


def _body(events: list) -> bytes:  # noqa: ANN001
    return PushRequest(device_id=events[0].device_id, events=[
        WireEvent.from_journal(e) for e in events]).model_dump_json().encode()


@pytest.mark.parametrize(("corrupt", "says"), [
    (cut_short, "malformed push request"),
    (float_quantity, "1.5 is not an integer"),
    (unreadable_sale, "event seq 2"),
])
def test_a_corrupt_batch_is_refused_in_words_and_nothing_of_it_is_applied(hq_server, till, corrupt, says):
    """Each corruption hits the second of three events; the first (fine on its own) must not
    be applied either. The till's own clean push is then applied once."""
    before = on_hand(hq_server.database_url)
    sell_some(till, hq_server, 3)
    credential = load_credential(till.data_dir)

    answer = requests.post(f"{hq_server.url}/api/v1/sync/push", data=corrupt(journal(till)), timeout=10,
                           headers={"Authorization": f"Bearer {credential.token}",
                                    "Content-Type": "application/json"})

    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "bad_payload" and says in answer.json()["message"], answer.text
    assert nothing_of(hq_server.database_url, device_id(till)) == (0, 0, 0, 0)
    assert on_hand(hq_server.database_url) == before
    assert query(hq_server.database_url, "SELECT count(*) FROM exceptions WHERE device_id = %s",
                 (device_id(till),)) == [(0,)]  # a damaged request is not an integrity break
    status = till.agent.sync_once()
    assert status["online"] and status["pending"] == 0, status
    assert_holds_exactly(hq_server.database_url, till)
    assert_stock_moved_by_sales(hq_server.database_url, before, [till])
