import contextlib
import json
import time

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

from hq_server.realtime.listener import APPLICATION_NAME
from tests.integration.hq.helpers import ScriptedTill, query


def live_url(hq_server, headers=None) -> str:
    """/live signed in with the access token of `headers` (default: the seeded admin)."""
    token = (headers or hq_server.admin_headers)["Authorization"].split()[1]
    return hq_server.url.replace("http://", "ws://") + f"/api/v1/live?token={token}"


@contextlib.contextmanager
def connect(ws_url: str, **kwargs):
    """Open /live and read its hello (which names the worker holding the socket)."""
    with ws_connect(ws_url, **kwargs) as websocket:
        hello = json.loads(websocket.recv(timeout=5))
        assert hello["type"] == "hello" and isinstance(hello["worker"], int)
        yield websocket


def test_a_dashboard_client_receives_the_new_stock_level_after_a_push(hq_server, till):
    product = hq_server.seed.products[4]
    ws_url = live_url(hq_server)
    with connect(ws_url, open_timeout=5) as websocket:
        till.sell((product, 2))
        assert till.push().status_code == 200

        message = json.loads(websocket.recv(timeout=5))

    assert message == {
        "type": "stock", "product_id": str(product.id), "store_id": till.store_id,
        "store_code": "S001", "sku": product.sku, "on_hand": 18,
    }


def test_every_connected_client_receives_each_change(hq_server, till):
    ws_url = live_url(hq_server)
    with connect(ws_url) as first, connect(ws_url) as second:
        till.sell((hq_server.seed.products[0], 1), (hq_server.seed.products[1], 1))
        till.push()

        for websocket in (first, second):
            skus = {json.loads(websocket.recv(timeout=5))["sku"] for _ in range(2)}
            assert skus == {hq_server.seed.products[0].sku, hq_server.seed.products[1].sku}


def test_live_updates_resume_after_the_database_connection_is_lost(hq_server, till):
    listener_pid = "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = current_database()"
    (old_pid,), = query(hq_server.database_url, listener_pid, (APPLICATION_NAME,))
    query(hq_server.database_url, "SELECT pg_terminate_backend(%s)", (old_pid,))
    deadline = time.monotonic() + 10
    while not [r for r in query(hq_server.database_url, listener_pid, (APPLICATION_NAME,)) if r[0] != old_pid]:
        assert time.monotonic() < deadline, "the realtime listener did not reconnect"
        time.sleep(0.1)

    ws_url = live_url(hq_server)
    with connect(ws_url) as websocket:
        till.sell((hq_server.seed.products[0], 1))
        till.push()
        assert json.loads(websocket.recv(timeout=5))["on_hand"] == 19


def test_the_server_stops_promptly_with_a_dashboard_still_connected(hq_server):
    ws_url = live_url(hq_server)
    with connect(ws_url):
        started = time.monotonic()
        hq_server.stop()
        assert time.monotonic() - started < 5


def test_a_socket_without_a_signed_in_user_is_closed_with_4401(hq_server):
    for suffix in ("", "?token=not-a-jwt"):
        with ws_connect(hq_server.url.replace("http://", "ws://") + "/api/v1/live" + suffix) as ws:
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=5)
        assert closed.value.rcvd.code == 4401


def test_a_store_manager_hears_only_their_own_stores_changes(hq_server, hq_login, till):
    code = httpx.post(f"{hq_server.url}/api/v1/stores/S002/enrolment-codes",
                      headers=hq_server.admin_headers).json()["code"]
    s002_till = ScriptedTill(hq_server.url, code, name="s002-till")
    shampoo, serum = hq_server.seed.products[0], hq_server.seed.products[1]
    with connect(live_url(hq_server, hq_login("store_manager", store="S001"))) as manager, \
            connect(live_url(hq_server)) as admin:
        s002_till.sell((shampoo, 1))
        assert s002_till.push().status_code == 200
        till.sell((serum, 1))
        assert till.push().status_code == 200

        heard_by_admin = [json.loads(admin.recv(timeout=5))["store_code"] for _ in range(2)]
        heard_by_manager = [json.loads(manager.recv(timeout=5))]
        with pytest.raises(TimeoutError):
            manager.recv(timeout=0.5)

    assert heard_by_admin == ["S002", "S001"]
    assert [(m["store_code"], m["sku"]) for m in heard_by_manager] == [("S001", serum.sku)]
