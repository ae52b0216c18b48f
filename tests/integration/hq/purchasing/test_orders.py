"""A purchase order's life: draft, approve, send, receive (partly, fully, over), close, cancel;
stock, average cost and what is owed move with each receipt, and nothing moves when refused."""

from __future__ import annotations

import psycopg
import pytest

from tests.integration.hq.helpers import query, scalar


def on_hand(hq, product_index: int, store: str = "S001") -> int:
    return scalar(hq.database_url, "SELECT on_hand FROM stock_on_hand WHERE product_id = %s AND "
                  "store_id = %s", (hq.seed.products[product_index].id, hq.seed.store(store).id))


def cost(hq, product_index: int) -> int:
    return scalar(hq.database_url, "SELECT cost_minor FROM products WHERE id = %s",
                  (hq.seed.products[product_index].id,))


def balance(hq, vendor_id: str) -> int:
    return hq.ok("buyer", "GET", f"/vendors/{vendor_id}/ledger")["balance"]["balance_minor"]


def test_an_order_goes_from_draft_to_closed_and_receipts_move_stock_cost_and_balance(hq):
    vendor = hq.vendor()
    hq.link(vendor["id"], 0, 400)
    start_stock, start_cost = on_hand(hq, 0), cost(hq, 0)
    held = scalar(hq.database_url, "SELECT sum(on_hand) FROM stock_on_hand WHERE product_id = %s",
                  (hq.seed.products[0].id,))  # chain-wide
    order = hq.ok("buyer", "POST", "/purchase-orders", {
        "store_code": "S001", "vendor_id": vendor["id"],
        "lines": [{"product_id": hq.product_id(0), "quantity": 10},
                  {"product_id": hq.product_id(1), "quantity": 4, "unit_cost_minor": 333}]})
    assert (order["status"], order["number"][:3], order["total_minor"]) == ("draft", "PO-", 10 * 400 + 4 * 333)
    assert [line["unit_cost_minor"] for line in order["lines"]] == [400, 333]  # vendor's cost by default

    for action, status in (("approve", "approved"), ("send", "sent")):
        assert hq.ok("buyer", "POST", f"/purchase-orders/{order['id']}/{action}")["status"] == status
    first = hq.ok("inventory", "POST", f"/purchase-orders/{order['id']}/receipts",
                  {"lines": [{"line_no": 1, "quantity": 6}]})
    assert first["order"]["status"] == "partially_received"
    assert first["lines"] == [{"line_no": 1, "sku": hq.seed.products[0].sku, "received_now": 6,
                               "quantity_ordered": 10, "quantity_received": 6, "variance": -4}]
    assert "accrued_minor" not in first and "unit_cost_minor" not in first["order"]["lines"][0]
    second = hq.ok("store_manager", "POST", f"/purchase-orders/{order['id']}/receipts",
                   {"lines": [{"line_no": 1, "quantity": 4}, {"line_no": 2, "quantity": 4}]})
    assert second["order"]["status"] == "received" and second["accrued_minor"] == 4 * 400 + 4 * 333
    assert hq.ok("buyer", "POST", f"/purchase-orders/{order['id']}/close")["status"] == "closed"

    assert on_hand(hq, 0) == start_stock + 10
    assert balance(hq, vendor["id"]) == 10 * 400 + 4 * 333
    # Weighted average over the stock held chain-wide before each receipt, rounded half up.
    after_first = (held * start_cost + 6 * 400 + (held + 6) // 2) // (held + 6)
    held += 6
    assert cost(hq, 0) == (held * after_first + 4 * 400 + (held + 4) // 2) // (held + 4)
    movements = query(hq.database_url, "SELECT delta, reason FROM stock_movements WHERE reference = %s "
                      "ORDER BY id", (order["number"],))
    assert movements == [(6, "receipt"), (4, "receipt"), (4, "receipt")]
    actions = [a for (a,) in query(hq.database_url, "SELECT action FROM audit_log WHERE entity_id = %s "
                                   "ORDER BY id", (order["id"],))]
    received = query(hq.database_url, "SELECT after FROM audit_log WHERE entity_id = %s AND action = "
                     "'purchase_order.received' ORDER BY id LIMIT 1", (order["id"],))[0][0]
    assert received["average_costs"] == {hq.seed.products[0].sku: [start_cost, after_first]}
    assert actions == ["purchase_order.created", "purchase_order.approved", "purchase_order.sent",
                       "purchase_order.received", "purchase_order.received", "purchase_order.closed"]


def test_a_receipt_publishes_the_new_on_hand_to_tills(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(2, 3, 100)])
    hq.ok("inventory", "POST", f"/purchase-orders/{order['id']}/receipts",
          {"lines": [{"line_no": 1, "quantity": 3}]})

    change = query(hq.database_url, "SELECT data FROM change_log WHERE kind = 'stock' ORDER BY id DESC LIMIT 1")
    assert change[0][0]["product_id"] == hq.product_id(2) and change[0][0]["on_hand"] == on_hand(hq, 2)


def test_illegal_steps_are_refused_with_409_and_words(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(3, 2, 50)], status="draft")
    path = f"/purchase-orders/{order['id']}"

    send_draft = hq.call("buyer", "POST", f"{path}/send")
    receive_draft = hq.call("inventory", "POST", f"{path}/receipts", {"lines": [{"line_no": 1, "quantity": 1}]})
    hq.ok("buyer", "POST", f"{path}/approve")
    edit_approved = hq.call("buyer", "PUT", f"{path}/lines", {"lines": [{"product_id": hq.product_id(3),
                                                                         "quantity": 9}]})
    close_approved = hq.call("buyer", "POST", f"{path}/close")
    hq.ok("buyer", "POST", f"{path}/cancel")
    approve_cancelled = hq.call("buyer", "POST", f"{path}/approve")

    assert [r.status_code for r in (send_draft, receive_draft, edit_approved, close_approved,
                                    approve_cancelled)] == [409] * 5
    assert "it is draft" in send_draft.json()["detail"] and "approved" in send_draft.json()["detail"]
    assert "lines change only in draft" in edit_approved.json()["detail"]
    assert "it is cancelled" in approve_cancelled.json()["detail"]
    assert hq.ok("buyer", "GET", path)["lines"][0]["quantity_ordered"] == 2


def test_lines_can_be_replaced_while_draft(hq):
    vendor = hq.vendor()
    hq.link(vendor["id"], 4, 250)
    order = hq.order(vendor["id"], [(3, 2, 50)], status="draft")

    edited = hq.ok("buyer", "PUT", f"/purchase-orders/{order['id']}/lines",
                   {"lines": [{"product_id": hq.product_id(4), "quantity": 7}]})

    assert [(line["sku"], line["quantity_ordered"], line["unit_cost_minor"]) for line in edited["lines"]] \
        == [(hq.seed.products[4].sku, 7, 250)]


def test_receiving_more_than_ordered_needs_a_store_manager_or_admin(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(5, 5, 1000), (6, 2, 10)])
    path = f"/purchase-orders/{order['id']}/receipts"
    before_stock, before_balance = on_hand(hq, 6), balance(hq, vendor["id"])

    refused = [hq.call(who, "POST", path, {"lines": [{"line_no": 2, "quantity": 2},
                                                     {"line_no": 1, "quantity": 6}]})
               for who in ("inventory", "buyer")]
    assert [r.status_code for r in refused] == [403, 403]
    assert "receiving more than ordered needs a store manager or admin" in refused[0].json()["detail"]
    assert (on_hand(hq, 6), balance(hq, vendor["id"])) == (before_stock, before_balance)  # nothing applied

    accepted = hq.ok("store_manager", "POST", path, {"lines": [{"line_no": 1, "quantity": 6}]})
    assert accepted["lines"][0]["variance"] == 1 and accepted["order"]["status"] == "partially_received"
    assert balance(hq, vendor["id"]) == before_balance + 6 * 1000


def test_bad_receipts_and_orders_are_refused_in_words(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(7, 3, 10)])
    path = f"/purchase-orders/{order['id']}/receipts"

    unknown_line = hq.call("inventory", "POST", path, {"lines": [{"line_no": 9, "quantity": 1}]})
    twice = hq.call("inventory", "POST", path, {"lines": [{"line_no": 1, "quantity": 1}] * 2})
    zero = hq.call("inventory", "POST", path, {"lines": [{"line_no": 1, "quantity": 0}]})
    no_cost = hq.call("buyer", "POST", "/purchase-orders", {
        "store_code": "S001", "vendor_id": vendor["id"],
        "lines": [{"product_id": hq.product_id(8), "quantity": 1}]})
    float_cost = hq.call("buyer", "POST", "/purchase-orders", {
        "store_code": "S001", "vendor_id": vendor["id"],
        "lines": [{"product_id": hq.product_id(8), "quantity": 1, "unit_cost_minor": 1.5}]})
    inactive = hq.vendor(active=False)
    from_inactive = hq.call("buyer", "POST", "/purchase-orders", {
        "store_code": "S001", "vendor_id": inactive["id"],
        "lines": [{"product_id": hq.product_id(8), "quantity": 1, "unit_cost_minor": 5}]})

    assert [r.status_code for r in (unknown_line, twice, zero, no_cost, float_cost, from_inactive)] \
        == [422] * 6
    assert "inactive" in from_inactive.json()["detail"]
    assert "no line 9" in unknown_line.json()["detail"]
    assert "appears twice" in twice.json()["detail"]
    assert "has no cost from this vendor" in no_cost.json()["detail"]
    assert hq.ok("buyer", "GET", f"/purchase-orders/{order['id']}")["lines"][0]["quantity_received"] == 0


def test_payments_settle_the_balance_and_cannot_exceed_it(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(9, 4, 250)])
    hq.ok("inventory", "POST", f"/purchase-orders/{order['id']}/receipts",
          {"lines": [{"line_no": 1, "quantity": 4}]})

    paid = hq.ok("buyer", "POST", f"/vendors/{vendor['id']}/payments",
                 {"amount_minor": 600, "reference": "bank 123"})
    too_much = hq.call("buyer", "POST", f"/vendors/{vendor['id']}/payments",
                       {"amount_minor": 401, "reference": "bank 124"})

    assert paid["balance_minor"] == 400
    assert too_much.status_code == 409 and "exceed the 400 owed" in too_much.json()["detail"]
    ledger = hq.ok("owner", "GET", f"/vendors/{vendor['id']}/ledger")
    assert [(e["kind"], e["amount_minor"], e["po_number"]) for e in ledger["entries"]] == [
        ("payment", -600, None), ("receipt", 1000, order["number"])]
    listed = {b["vendor_id"]: b["balance_minor"] for b in hq.ok("admin", "GET", "/vendor-balances")}
    assert listed[vendor["id"]] == 400


def test_postgresql_refuses_to_edit_the_supplier_ledger(hq):
    vendor = hq.vendor()
    order = hq.order(vendor["id"], [(9, 1, 5)])
    hq.ok("admin", "POST", f"/purchase-orders/{order['id']}/receipts", {"lines": [{"line_no": 1, "quantity": 1}]})

    for statement in ("UPDATE supplier_ledger SET amount_minor = 0", "DELETE FROM supplier_ledger",
                      "TRUNCATE supplier_ledger"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            query(hq.database_url, statement)
    assert balance(hq, vendor["id"]) == 5
