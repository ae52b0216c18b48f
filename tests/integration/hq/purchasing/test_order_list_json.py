"""GET /purchase-orders is written by PostgreSQL (purchasing.order_list), not by FastAPI's
response_model: its bytes must be the bytes FastAPI writes for the same orders (GET
/purchase-orders/{id} still goes through pydantic), field by field and in field order, for a
cost reader and for a reader without the cost right (no cost field at all)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import text

from tests.integration.hq.purchasing.conftest import PurchasingHQ

ORDER_KEYS = ["id", "number", "store_code", "vendor_id", "vendor_name", "status", "currency",
              "note", "created_at", "updated_at", "lines"]
LINE_KEYS = ["line_no", "product_id", "sku", "name", "quantity_ordered", "quantity_received"]
# Quotes, backslash, the short escapes, a control character, non-ASCII text and an emoji.
AWKWARD_NOTE = 'ask for "Ann" \\ back door\nline two\ttabbed \x01 café – 😀'


def _list_bytes(hq: PurchasingHQ, who: str, vendor_id: str) -> bytes:
    reply = hq.call(who, "GET", f"/purchase-orders?vendor_id={vendor_id}")
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/json"
    return reply.content


def _one_by_one(hq: PurchasingHQ, who: str, order_ids: list[str]) -> bytes:
    """What FastAPI (response_model=OrderOut) writes for each order, as one JSON list."""
    bodies = []
    for order_id in order_ids:
        reply = hq.call(who, "GET", f"/purchase-orders/{order_id}")
        assert reply.status_code == 200, reply.text
        bodies.append(reply.content)
    return b"[" + b",".join(bodies) + b"]"


def _set_times(hq: PurchasingHQ, order_id: str, created: datetime, updated: datetime) -> None:
    hq.in_transaction(lambda session: session.execute(
        text("UPDATE purchase_orders SET created_at = :c, updated_at = :u WHERE id = :id"),
        {"c": created, "u": updated, "id": order_id}))


def test_the_list_is_byte_for_byte_what_fastapi_writes_for_each_order(hq):
    vendor = hq.vendor(name='Vendor "quoted" \\ ünïcode')
    first = hq.ok("buyer", "POST", "/purchase-orders", {
        "store_code": "S001", "vendor_id": vendor["id"], "note": AWKWARD_NOTE,
        "lines": [{"product_id": hq.product_id(i), "quantity": q, "unit_cost_minor": c}
                  for i, q, c in ((2, 3, 125), (0, 7, 40), (1, 1, 999_999_999))]})
    second = hq.order(vendor["id"], [(3, 2, 310)], store="S001", status="approved")
    # Whole seconds (pydantic writes no fraction) and a fraction with leading zeros.
    _set_times(hq, first["id"], datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
               datetime(2026, 1, 2, 3, 4, 5, 500, tzinfo=UTC))

    for who in ("admin", "buyer", "inventory", "viewer"):
        listed = _list_bytes(hq, who, vendor["id"])
        assert listed == _one_by_one(hq, who, [second["id"], first["id"]]), who

    as_buyer = json.loads(_list_bytes(hq, "buyer", vendor["id"]))
    assert [list(order) for order in as_buyer] == [ORDER_KEYS + ["total_minor"]] * 2
    assert list(as_buyer[1]["lines"][0]) == LINE_KEYS + ["unit_cost_minor", "line_total_minor"]
    assert as_buyer[1]["note"] == AWKWARD_NOTE
    assert as_buyer[1]["vendor_name"] == 'Vendor "quoted" \\ ünïcode'
    assert (as_buyer[1]["created_at"], as_buyer[1]["updated_at"]) == (
        "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000500Z")
    assert [(line["line_no"], line["product_id"], line["quantity_ordered"], line["unit_cost_minor"],
             line["line_total_minor"]) for line in as_buyer[1]["lines"]] == [
        (1, hq.product_id(2), 3, 125, 375), (2, hq.product_id(0), 7, 40, 280),
        (3, hq.product_id(1), 1, 999_999_999, 999_999_999)]
    assert as_buyer[1]["total_minor"] == 375 + 280 + 999_999_999
    assert (as_buyer[0]["number"], as_buyer[0]["status"], as_buyer[0]["store_code"]) == (
        second["number"], "approved", "S001")


def test_a_reader_without_the_cost_right_gets_no_cost_field_in_the_bytes(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(0, 5, 250), (4, 1, 80)], store="S001")

    as_inventory = _list_bytes(hq, "inventory", vendor["id"])
    as_admin = json.loads(_list_bytes(hq, "admin", vendor["id"]))

    assert b"cost" not in as_inventory and b"total" not in as_inventory
    listed = json.loads(as_inventory)
    assert [list(o) for o in listed] == [ORDER_KEYS]
    assert [list(line) for line in listed[0]["lines"]] == [LINE_KEYS, LINE_KEYS]
    assert listed[0]["id"] == order["id"]
    assert listed[0]["lines"] == [{k: line[k] for k in LINE_KEYS} for line in as_admin[0]["lines"]]
    assert {k: listed[0][k] for k in ORDER_KEYS if k != "lines"} == {
        k: as_admin[0][k] for k in ORDER_KEYS if k != "lines"}


def test_an_order_without_lines_is_listed_with_none_and_a_zero_total(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(0, 1, 10)], store="S001", status="draft")
    hq.in_transaction(lambda session: session.execute(
        text("DELETE FROM purchase_order_lines WHERE po_id = :id"), {"id": order["id"]}))

    listed = _list_bytes(hq, "admin", vendor["id"])

    assert listed == _one_by_one(hq, "admin", [order["id"]])
    assert json.loads(listed)[0]["lines"] == [] and json.loads(listed)[0]["total_minor"] == 0
    assert json.loads(_list_bytes(hq, "inventory", vendor["id"]))[0]["lines"] == []


def test_an_empty_page_is_an_empty_list_and_a_foreign_store_still_404(hq):
    vendor = hq.vendor()

    empty = hq.call("admin", "GET", f"/purchase-orders?store=S002&vendor_id={vendor['id']}")
    unknown = hq.call("admin", "GET", "/purchase-orders?store=NOPE")

    assert (empty.status_code, empty.content) == (200, b"[]")
    assert unknown.status_code == 404
