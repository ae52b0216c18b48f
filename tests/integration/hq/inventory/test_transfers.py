"""Merge rule 7: a transfer is shipped at one store and received at the other; in transit between."""

import threading

from tests.integration.hq.helpers import exceptions, in_transaction, query

from .helpers import api, ledger, ok, store_on_hand


def transfer(hq, headers, quantity: int = 5, sku: str = "BRU-PAD-L") -> str:  # noqa: ANN001
    made = ok(api(hq, headers, "POST", "/transfers", {
        "from_store": "S001", "to_store": "S002", "lines": [{"product": sku, "quantity": quantity}]}))
    assert made["status"] == "requested" and made["reference"].startswith("T-")
    return made["id"]


def step(hq, headers, transfer_id: str, action: str, body=None):  # noqa: ANN001, ANN201
    return api(hq, headers, "POST", f"/transfers/{transfer_id}/{action}", body)


def test_shipped_units_are_in_transit_until_received_then_on_hand_at_the_destination(hq_server):
    admin, brush = hq_server.admin_headers, hq_server.seed.product("BRU-PAD-L")
    moving = transfer(hq_server, admin, 5)
    ok(step(hq_server, admin, moving, "approve"))

    assert ok(step(hq_server, admin, moving, "ship"))["status"] == "shipped"

    assert store_on_hand(hq_server, admin, "BRU-PAD-L") == {"S001": 15, "S002": 20}
    in_transit = ok(api(hq_server, admin, "GET", "/in-transit?store=S002"))["products"]
    assert in_transit == [{"product_id": str(brush.id), "quantity": 5}]
    from hq_server.inventory.repository import in_transit_by_product
    assert in_transaction(hq_server.database_url, lambda s: in_transit_by_product(
        s, hq_server.seed.store("S002").id)) == {brush.id: 5}

    assert ok(step(hq_server, admin, moving, "receive"))["status"] == "received"

    assert store_on_hand(hq_server, admin, "BRU-PAD-L") == {"S001": 15, "S002": 25}
    assert ok(api(hq_server, admin, "GET", "/in-transit?store=S002"))["products"] == []
    shipped = ledger(hq_server, admin, "BRU-PAD-L", "S001")["movements"][-1]
    assert (shipped["reason"], shipped["delta"], shipped["user"]) == ("transfer_out", -5, "admin@example.com")
    received = ledger(hq_server, admin, "BRU-PAD-L", "S002")["movements"][-1]
    assert (received["reason"], received["delta"], received["reference"]) == ("transfer_in", 5,
                                                                              shipped["reference"])
    assert exceptions(hq_server.database_url) == []
    actions = [a for (a,) in query(hq_server.database_url, "SELECT action FROM audit_log "
                                   "WHERE entity = 'transfer' ORDER BY id")]
    assert actions == ["transfer.requested", "transfer.approved", "transfer.shipped", "transfer.received"]


def test_a_short_receipt_raises_one_transfer_variance_and_stocks_only_what_arrived(hq_server):
    admin = hq_server.admin_headers
    moving = transfer(hq_server, admin, 5)
    ok(step(hq_server, admin, moving, "approve"))
    ok(step(hq_server, admin, moving, "ship"))

    ok(step(hq_server, admin, moving, "receive", {"lines": [{"product": "BRU-PAD-L", "quantity": 3}]}))
    again = step(hq_server, admin, moving, "receive")

    assert again.status_code == 409 and "is received" in again.json()["detail"]
    assert store_on_hand(hq_server, admin, "BRU-PAD-L") == {"S001": 15, "S002": 23}
    (kind, key, details, _), = exceptions(hq_server.database_url)
    assert kind == "transfer_variance" and key == f"transfer_variance:{moving}"
    assert details["lines"] == [{"sku": "BRU-PAD-L", "shipped": 5, "received": 3, "difference": -2}]


def test_a_transfer_can_be_cancelled_before_it_ships_but_not_after(hq_server):
    admin = hq_server.admin_headers
    early, late = transfer(hq_server, admin), transfer(hq_server, admin)
    ok(step(hq_server, admin, late, "approve"))
    ok(step(hq_server, admin, late, "ship"))

    assert ok(step(hq_server, admin, early, "cancel"))["status"] == "cancelled"
    refused = step(hq_server, admin, late, "cancel")

    assert refused.status_code == 409 and "not yet shipped" in refused.json()["detail"]
    assert step(hq_server, admin, early, "ship").status_code == 409
    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 15


def test_two_transfers_racing_for_the_last_units_cannot_both_ship_them(hq_server):
    admin = hq_server.admin_headers
    first, second = transfer(hq_server, admin, 12), transfer(hq_server, admin, 12)
    for moving in (first, second):
        ok(step(hq_server, admin, moving, "approve"))
    replies: dict[str, object] = {}
    start = threading.Barrier(2)

    def ship(moving: str) -> None:
        start.wait()
        replies[moving] = step(hq_server, admin, moving, "ship")

    threads = [threading.Thread(target=ship, args=(m,)) for m in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(r.status_code for r in replies.values())
    assert statuses == [200, 409], [r.text for r in replies.values()]
    refused = next(r for r in replies.values() if r.status_code == 409)
    assert "S001 has 8 of BRU-PAD-L on hand, the transfer ships 12" in refused.json()["detail"]
    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 8
    assert query(hq_server.database_url, "SELECT count(*) FROM transfers WHERE status = 'shipped'") == [(1,)]


def test_a_ship_waits_for_the_one_holding_the_stock_rows_then_sees_what_it_left(hq_server):
    """The race made deterministic: one ship holds the rows (uncommitted) while another arrives."""
    import time

    from hq_server.auth.identity import Actor, StoreScope
    from hq_server.db.session import make_engine, make_session_factory
    from hq_server.inventory import transfers

    admin = hq_server.admin_headers
    first, second = transfer(hq_server, admin, 12), transfer(hq_server, admin, 12)
    for moving in (first, second):
        ok(step(hq_server, admin, moving, "approve"))
    (admin_id,), = query(hq_server.database_url, "SELECT id FROM hq_users WHERE role = 'admin'")
    actor = Actor(admin_id, "admin@example.com", "admin", StoreScope(True))
    engine = make_engine(hq_server.database_url, pool_size=1)
    session = make_session_factory(engine)()
    reply: list = []
    try:
        transfers.ship(session, actor, __import__("uuid").UUID(first))  # rows locked, not committed
        waiting = threading.Thread(target=lambda: reply.append(step(hq_server, admin, second, "ship")))
        waiting.start()
        deadline = time.monotonic() + 10
        while not query(hq_server.database_url, "SELECT 1 FROM pg_stat_activity "
                                                "WHERE wait_event_type = 'Lock'"):
            assert time.monotonic() < deadline, "the second ship never waited for the lock"
            time.sleep(0.02)
        session.commit()
        waiting.join(10)
    finally:
        session.close()
        engine.dispose()

    assert reply[0].status_code == 409 and "S001 has 8 of BRU-PAD-L" in reply[0].json()["detail"]
    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 8
