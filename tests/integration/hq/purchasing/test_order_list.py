"""GET /purchase-orders builds its JSON from one statement (purchasing.order_list): it must answer
what GET /purchase-orders/{id} answers for each order (pydantic's shape), newest first, within the
reader's stores, with costs only for cost readers."""

from __future__ import annotations

from tests.integration.hq.purchasing.conftest import PurchasingHQ

COST_FIELDS = {"unit_cost_minor", "line_total_minor", "total_minor"}


def _orders_of(hq: PurchasingHQ, store: str, vendor_id: str) -> list[dict]:
    return hq.ok("admin", "GET", f"/purchase-orders?store={store}&vendor_id={vendor_id}&limit=500")


def test_each_listed_order_is_the_order_as_read_alone_lines_and_totals_included(hq):
    vendor = hq.vendor()
    older = hq.order(vendor["id"], [(0, 3, 125), (1, 7, 40), (2, 1, 999)], store="S002")
    newer = hq.order(vendor["id"], [(3, 2, 310)], store="S002", status="draft")

    listed = _orders_of(hq, "S002", vendor["id"])

    assert [o["id"] for o in listed] == [newer["id"], older["id"]]
    assert listed == [hq.ok("admin", "GET", f"/purchase-orders/{o['id']}") for o in listed]
    assert [line["line_no"] for line in listed[1]["lines"]] == [1, 2, 3]
    assert listed[1]["total_minor"] == 3 * 125 + 7 * 40 + 999
    assert listed[1]["lines"][1]["line_total_minor"] == 7 * 40


def test_a_reader_without_the_cost_right_gets_the_same_orders_without_any_cost(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(0, 5, 250), (4, 1, 80)], store="S001")

    as_admin = hq.ok("admin", "GET", f"/purchase-orders?vendor_id={vendor['id']}")
    as_inventory = hq.ok("inventory", "GET", f"/purchase-orders?vendor_id={vendor['id']}")

    assert [o["id"] for o in as_inventory] == [order["id"]]
    assert as_inventory == hq.ok("inventory", "GET", f"/purchase-orders?store=S001&vendor_id={vendor['id']}")
    assert COST_FIELDS.isdisjoint(as_inventory[0])
    assert all(COST_FIELDS.isdisjoint(line) for line in as_inventory[0]["lines"])
    without_costs = {k: v for k, v in as_admin[0].items() if k not in COST_FIELDS}
    without_costs["lines"] = [{k: v for k, v in line.items() if k not in COST_FIELDS}
                              for line in as_admin[0]["lines"]]
    assert as_inventory[0] == without_costs


def test_a_store_manager_lists_only_their_stores_orders_and_paging_follows_on(hq):
    vendor = hq.vendor()
    theirs = [hq.order(vendor["id"], [(i, 1, 10)], store="S002")["id"] for i in range(3)]
    hq.order(vendor["id"], [(0, 1, 10)], store="S001")

    listed = hq.ok("manager_s002", "GET", f"/purchase-orders?vendor_id={vendor['id']}")
    first = hq.ok("manager_s002", "GET", f"/purchase-orders?vendor_id={vendor['id']}&limit=2")
    rest = hq.ok("manager_s002", "GET", f"/purchase-orders?vendor_id={vendor['id']}&limit=2&offset=2")
    refused = hq.call("manager_s002", "GET", "/purchase-orders?store=S001")

    assert [o["id"] for o in listed] == theirs[::-1]
    assert {o["store_code"] for o in listed} == {"S002"}
    assert first + rest == listed
    assert refused.status_code == 404 and "among your stores" in refused.text


def test_the_status_filter_and_the_store_filter_narrow_the_page(hq):
    vendor = hq.vendor()
    draft = hq.order(vendor["id"], [(0, 1, 10)], store="S002", status="draft")
    sent = hq.order(vendor["id"], [(1, 1, 10)], store="S002")

    drafts = hq.ok("admin", "GET", f"/purchase-orders?store=S002&vendor_id={vendor['id']}&status=draft")
    elsewhere = hq.ok("admin", "GET", f"/purchase-orders?store=S001&vendor_id={vendor['id']}")

    assert [o["id"] for o in drafts] == [draft["id"]]
    assert sent["id"] not in {o["id"] for o in drafts}
    assert elsewhere == []
