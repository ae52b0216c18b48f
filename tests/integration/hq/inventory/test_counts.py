"""Merge rule 3: a count absorbs what came before it (HQ side, tills scripted over HTTP)."""

import time

from shared.hlc import HybridLogicalClock
from tests.integration.hq.helpers import exceptions, query

from .helpers import api, ledger, ok, store_on_hand


def count_sheet(hq, headers, counted: dict[str, int]) -> str:  # noqa: ANN001
    """A count of S001's "Test" category, every product counted as expected except `counted`."""
    sheet = ok(api(hq, headers, "POST", "/counts", {"store": "S001", "category": "Test"}))
    lines = [{"product": line["sku"], "quantity": counted.get(line["sku"], line["expected"])}
             for line in sheet["lines"]]
    ok(api(hq, headers, "PUT", f"/counts/{sheet['id']}/lines", {"lines": lines}))
    return sheet["id"]


def line_of(report: dict, sku: str) -> dict:
    return next(line for line in report["lines"] if line["sku"] == sku)


def test_a_count_sheet_reports_variance_then_posting_makes_the_count_the_stock(hq_server):
    admin = hq_server.admin_headers
    sheet = count_sheet(hq_server, admin, {"BRU-PAD-L": 17, "NAI-RED-10": 21})

    report = ok(api(hq_server, admin, "GET", f"/counts/{sheet}"))
    assert report["status"] == "open" and len(report["lines"]) == 10
    brush = line_of(report, "BRU-PAD-L")
    assert (brush["expected"], brush["counted"], brush["variance"]) == (20, 17, -3)
    assert brush["variance_cost_minor"] == -3 * (1499 // 2)

    posted = ok(api(hq_server, admin, "POST", f"/counts/{sheet}/post"))

    assert posted["status"] == "posted" and posted["hlc"] and posted["total_variance"] == -2
    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 17
    assert store_on_hand(hq_server, admin, "NAI-RED-10")["S001"] == 21
    book = ledger(hq_server, admin, "BRU-PAD-L")
    assert book["last_count"]["counted"] == 17 and book["last_count"]["variance"] == -3
    assert book["movements"] == [] and book["on_hand"] == book["explained_on_hand"] == 17
    (kind, _, details, _), = exceptions(hq_server.database_url)
    assert kind == "count_variance" and {d["sku"] for d in details["lines"]} == {"BRU-PAD-L", "NAI-RED-10"}
    again = api(hq_server, admin, "POST", f"/counts/{sheet}/post")
    assert again.status_code == 409 and "is posted" in again.json()["detail"]


def test_a_count_cannot_post_until_every_line_is_counted(hq_server):
    admin = hq_server.admin_headers
    sheet = ok(api(hq_server, admin, "POST", "/counts", {"store": "S001", "category": "Test"}))
    ok(api(hq_server, admin, "PUT", f"/counts/{sheet['id']}/lines",
           {"lines": [{"product": "BRU-PAD-L", "quantity": 3}]}))

    refused = api(hq_server, admin, "POST", f"/counts/{sheet['id']}/post")

    assert refused.status_code == 422 and "no quantity for ACC-CLP-12" in refused.json()["detail"]
    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 20


def test_a_sale_made_before_the_count_but_delivered_after_changes_the_variance_not_the_stock(
        hq_server, till):
    admin, brush = hq_server.admin_headers, hq_server.seed.product("BRU-PAD-L")
    offline_sale = till.sell((brush, 2))  # made before the count; the till is offline
    sheet = count_sheet(hq_server, admin, {"BRU-PAD-L": 18})  # the shelf already lacks those 2
    posted = ok(api(hq_server, admin, "POST", f"/counts/{sheet}/post"))
    assert line_of(posted, "BRU-PAD-L")["variance"] == -2

    assert till.push().status_code == 200  # the till comes back online

    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 18
    report = ok(api(hq_server, admin, "GET", f"/counts/{sheet}"))
    assert (line_of(report, "BRU-PAD-L")["absorbed"], line_of(report, "BRU-PAD-L")["variance"]) == (-2, 0)
    assert exceptions(hq_server.database_url, "oversell") == []
    book = ledger(hq_server, admin, "BRU-PAD-L")
    assert book["last_count"]["variance"] == 0 and book["movements"] == [] and book["balanced"]
    (absorbed,) = book["absorbed_by_count"]
    assert absorbed["delta"] == -2 and absorbed["receipt_no"] == offline_sale.payload["receipt_no"]
    assert absorbed["hlc"] == offline_sale.hlc < book["last_count"]["hlc"]

    later = till.sell((brush, 1))
    assert till.push().status_code == 200
    assert till.push().json()["duplicates"] == 2  # re-sent: nothing moves twice

    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 17
    book = ledger(hq_server, admin, "BRU-PAD-L")
    (sold,) = book["movements"]
    assert (sold["on_hand_before"], sold["on_hand_after"], sold["receipt_no"]) == (
        18, 17, later.payload["receipt_no"])
    total, = query(hq_server.database_url, "SELECT sum(delta) FROM stock_movements WHERE product_id = %s "
                                           "AND store_id = %s", (brush.id, hq_server.seed.store("S001").id))
    assert total == (17,)  # rule 2 still holds: on-hand is the sum of the movements


def test_a_sale_stamped_after_the_count_stays_on_top_of_it_even_if_it_arrived_first(hq_server, till):
    """A till whose clock runs a minute ahead: its sale is stamped after a count posted later."""
    admin, brush = hq_server.admin_headers, hq_server.seed.product("BRU-PAD-L")
    till.clock = HybridLogicalClock(till.device_id[-6:], lambda: int(time.time() * 1000) + 60_000)
    till.sell((brush, 1))
    assert till.push().status_code == 200
    sheet = count_sheet(hq_server, admin, {"BRU-PAD-L": 15})

    posted = ok(api(hq_server, admin, "POST", f"/counts/{sheet}/post"))

    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 14  # counted 15, sold 1 after
    assert line_of(posted, "BRU-PAD-L")["book"] == 20 and line_of(posted, "BRU-PAD-L")["variance"] == -5
    book = ledger(hq_server, admin, "BRU-PAD-L")
    assert [m["delta"] for m in book["movements"]] == [-1] and book["balanced"]


def test_a_push_arriving_while_a_count_is_posting_waits_for_it_then_is_absorbed(hq_server, till):
    """The count holds the stock rows until it commits; the push behind it then sees the count."""
    import threading
    import uuid

    from hq_server.auth.identity import Actor, StoreScope
    from hq_server.db.session import make_engine, make_session_factory
    from hq_server.inventory import counts

    admin, brush = hq_server.admin_headers, hq_server.seed.product("BRU-PAD-L")
    till.sell((brush, 2))  # made before the count
    sheet = count_sheet(hq_server, admin, {"BRU-PAD-L": 18})
    (admin_id,), = query(hq_server.database_url, "SELECT id FROM hq_users WHERE role = 'admin'")
    actor = Actor(admin_id, "admin@example.com", "admin", StoreScope(True))
    engine = make_engine(hq_server.database_url, pool_size=1)
    session = make_session_factory(engine)()
    pushed: list = []
    try:
        counts.post(session, actor, uuid.UUID(sheet))  # stock rows locked, not committed
        pushing = threading.Thread(target=lambda: pushed.append(till.push()))
        pushing.start()
        deadline = time.monotonic() + 10
        while not query(hq_server.database_url, "SELECT 1 FROM pg_stat_activity "
                                                "WHERE wait_event_type = 'Lock'"):
            assert time.monotonic() < deadline, "the push never waited for the count"
            time.sleep(0.02)
        session.commit()
        pushing.join(30)
    finally:
        session.close()
        engine.dispose()

    assert pushed[0].status_code == 200
    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 18
    report = ok(api(hq_server, admin, "GET", f"/counts/{sheet}"))
    assert (line_of(report, "BRU-PAD-L")["absorbed"], line_of(report, "BRU-PAD-L")["variance"]) == (-2, 0)
