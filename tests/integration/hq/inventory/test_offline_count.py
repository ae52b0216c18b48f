"""Rule 3 end to end: a real till (SQLite ledger, sync agent) is cut off from HQ while HQ posts
a count; its sales made before and after the count arrive once it is back."""

from __future__ import annotations

import time

import pytest

from tests.integration.hq.helpers import exceptions, in_transaction
from tests.integration.sync_proof.helpers import assert_holds_exactly, enrolled_till, sell
from tests.integration.sync_proof.proxy import FaultyProxy

from .helpers import api, ledger, ok, store_on_hand

pytestmark = pytest.mark.timeout(90)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def new_code(database_url: str) -> str:
    from hq_server.devices.service import create_enrolment_code

    return in_transaction(database_url, lambda s: create_enrolment_code(s, "S001"))


@pytest.fixture
def line(hq_server):
    proxy = FaultyProxy(port_of(hq_server.url))
    yield proxy
    proxy.close()


@pytest.fixture
def shop_till(hq_server, line, tmp_path):
    till = enrolled_till(tmp_path / "till", line.url, new_code(hq_server.database_url))
    yield till
    till.close()


def post_count(hq, headers, sku: str, counted: int) -> dict:  # noqa: ANN001
    sheet = ok(api(hq, headers, "POST", "/counts", {"store": "S001", "category": "Test"}))
    lines = [{"product": row["sku"], "quantity": counted if row["sku"] == sku else row["expected"]}
             for row in sheet["lines"]]
    ok(api(hq, headers, "PUT", f"/counts/{sheet['id']}/lines", {"lines": lines}))
    return ok(api(hq, headers, "POST", f"/counts/{sheet['id']}/post"))


def test_sales_made_offline_around_a_count_leave_count_plus_later_sales_and_the_right_variance(
        hq_server, line, shop_till):
    admin, brush = hq_server.admin_headers, hq_server.seed.product("BRU-PAD-L")
    sell(shop_till, [(brush.barcode, 1)])
    assert shop_till.agent.sync_once()["pending"] == 0  # online: HQ has 19

    line.cut()
    sell(shop_till, [(brush.barcode, 2)])  # offline, before the count
    assert not shop_till.agent.sync_once()["online"]
    time.sleep(0.01)
    posted = post_count(hq_server, admin, "BRU-PAD-L", 17)  # the shelf holds 17: 19 - 2 sold
    brush_line = next(row for row in posted["lines"] if row["sku"] == "BRU-PAD-L")
    assert (brush_line["book"], brush_line["variance"]) == (19, -2)  # HQ has not heard of the 2 yet
    time.sleep(0.01)
    sell(shop_till, [(brush.barcode, 3)])  # offline, after the count

    line.heal()
    status = shop_till.agent.sync_once()

    assert status["online"] and status["pending"] == 0, status
    assert_holds_exactly(hq_server.database_url, shop_till)
    assert store_on_hand(hq_server, admin, "BRU-PAD-L")["S001"] == 17 - 3
    report = ok(api(hq_server, admin, "GET", f"/counts/{posted['id']}"))
    brush_line = next(row for row in report["lines"] if row["sku"] == "BRU-PAD-L")
    assert (brush_line["absorbed"], brush_line["variance"]) == (-2, 0)  # nothing was missing
    book = ledger(hq_server, admin, "BRU-PAD-L")
    assert book["balanced"] and book["last_count"]["counted"] == 17
    assert [(m["delta"], m["on_hand_after"]) for m in book["movements"]] == [(-3, 14)]
    assert [a["delta"] for a in book["absorbed_by_count"]] == [-2]
    assert book["movements"][0]["cashier"] == "Ana" and book["movements"][0]["receipt_no"]
    assert exceptions(hq_server.database_url, "oversell") == []
