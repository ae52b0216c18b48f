"""Who may call which purchasing endpoint: every endpoint x every role (and no token), then
store scoping: a store manager of S002 neither sees nor receives S001's orders.

Every write acts on a target made fresh for it (by the buyer), so cases do not depend on order.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.integration.hq.purchasing.conftest import ROLES

MISSING = "00000000-0000-0000-0000-000000000000"


class Targets:
    """Fresh things to act on, made by the buyer; for a call that must be refused before it looks
    at its target (401, 403), an id that exists nowhere: a wrongly allowed call then fails as 404."""

    def __init__(self, hq, real: bool) -> None:  # noqa: ANN001
        self.hq, self.real = hq, real

    def product(self, index: int) -> str:
        return self.hq.product_id(index)

    def vendor(self) -> str:
        return self.hq.vendor()["id"] if self.real else MISSING

    def order(self, status: str = "draft") -> str:
        if not self.real:
            return MISSING
        order = self.hq.order(self.vendor(), [(0, 5, 100)], status="sent" if status == "received" else status)
        if status == "received":
            self.hq.ok("buyer", "POST", f"/purchase-orders/{order['id']}/receipts",
                       {"lines": [{"line_no": 1, "quantity": 5}]})
        return order["id"]

    def owed_vendor(self) -> str:
        if not self.real:
            return MISSING
        vendor = self.vendor()
        order = self.hq.order(vendor, [(0, 1, 500)])
        self.hq.ok("buyer", "POST", f"/purchase-orders/{order['id']}/receipts",
                   {"lines": [{"line_no": 1, "quantity": 1}]})
        return vendor

    def preferred_product(self) -> str:
        if self.real:
            self.hq.link(self.vendor(), 9, 10)
        return self.product(9)


ALL = (200,) * 6
BUYERS = (200, 403, 200, 403, 403, 403)
MADE = (201, 403, 201, 403, 403, 403)
LEDGER = (200, 200, 200, 403, 403, 403)
# endpoint -> (method, path maker, body maker, status per role: admin owner buyer store_manager inventory viewer)
ENDPOINTS = {
    "create a vendor": ("POST", lambda t: "/vendors", lambda t: {"name": f"V {uuid.uuid4()}"}, MADE),
    "list vendors": ("GET", lambda t: "/vendors", None, ALL),
    "read a vendor": ("GET", lambda t: f"/vendors/{t.vendor()}", None, ALL),
    "update a vendor": ("PATCH", lambda t: f"/vendors/{t.vendor()}", lambda t: {"lead_time_days": 2}, BUYERS),
    "link a product": ("PUT", lambda t: f"/vendors/{t.vendor()}/products/{t.product(1)}",
                       lambda t: {"unit_cost_minor": 5}, BUYERS),
    "list a vendor's products": ("GET", lambda t: f"/vendors/{t.vendor()}/products", None, ALL),
    "pay a vendor": ("POST", lambda t: f"/vendors/{t.owed_vendor()}/payments",
                     lambda t: {"amount_minor": 100, "reference": "bank"}, MADE),
    "read vendor balances": ("GET", lambda t: "/vendor-balances", None, LEDGER),
    "read a vendor's ledger": ("GET", lambda t: f"/vendors/{t.vendor()}/ledger", None, LEDGER),
    "create an order": ("POST", lambda t: "/purchase-orders", lambda t: {
        "store_code": "S001", "vendor_id": t.vendor(),
        "lines": [{"product_id": t.product(2), "quantity": 1, "unit_cost_minor": 3}]}, MADE),
    "list orders": ("GET", lambda t: "/purchase-orders", None, ALL),
    "read an order": ("GET", lambda t: f"/purchase-orders/{t.order()}", None, ALL),
    "replace an order's lines": ("PUT", lambda t: f"/purchase-orders/{t.order()}/lines", lambda t: {
        "lines": [{"product_id": t.product(3), "quantity": 2, "unit_cost_minor": 4}]}, BUYERS),
    "approve an order": ("POST", lambda t: f"/purchase-orders/{t.order()}/approve", None, BUYERS),
    "send an order": ("POST", lambda t: f"/purchase-orders/{t.order('approved')}/send", None, BUYERS),
    "cancel an order": ("POST", lambda t: f"/purchase-orders/{t.order('sent')}/cancel", None, BUYERS),
    "close an order": ("POST", lambda t: f"/purchase-orders/{t.order('received')}/close", None, BUYERS),
    "receive against an order": ("POST", lambda t: f"/purchase-orders/{t.order('sent')}/receipts",
                                 lambda t: {"lines": [{"line_no": 1, "quantity": 2}]},
                                 (201, 403, 201, 201, 201, 403)),
    "set levels": ("PUT", lambda t: "/stores/S001/replenishment-levels", lambda t: {
        "levels": [{"product_id": t.product(4), "reorder_point": 3, "target_level": 9}]}, BUYERS),
    "read levels": ("GET", lambda t: "/stores/S001/replenishment-levels", None, ALL),
    "read suggestions": ("GET", lambda t: "/stores/S001/replenishment", None, ALL),
    "order from suggestions": ("POST", lambda t: "/stores/S001/replenishment/orders", lambda t: {
        "lines": [{"product_id": t.preferred_product(), "quantity": 2}]}, MADE),
}
CASES = [(endpoint, who, status) for endpoint, (*_, statuses) in ENDPOINTS.items()
         for who, status in [*zip(ROLES, statuses, strict=True), ("no token", 401)]]


@pytest.mark.parametrize(("endpoint", "who", "status"), CASES,
                         ids=[f"{w} may {'not ' if s >= 400 else ''}{e}" for e, w, s in CASES])
def test_permission_matrix(hq, endpoint, who, status):
    method, path, body, _ = ENDPOINTS[endpoint]
    hq.as_.setdefault("no token", {})
    targets = Targets(hq, real=status < 400)

    reply = hq.call(who, method, path(targets), body(targets) if body else None)

    assert reply.status_code == status, reply.text
    if status == 403:
        assert "may not" in reply.json()["detail"]


def test_a_store_manager_neither_sees_nor_receives_another_stores_orders(hq):
    targets = Targets(hq, real=True)
    theirs, mine = targets.order("sent"), hq.order(targets.vendor(), [(1, 2, 10)], store="S002")["id"]
    manager = "manager_s002"

    listed = {o["id"] for o in hq.ok(manager, "GET", "/purchase-orders")}
    read = hq.call(manager, "GET", f"/purchase-orders/{theirs}")
    receive = hq.call(manager, "POST", f"/purchase-orders/{theirs}/receipts",
                      {"lines": [{"line_no": 1, "quantity": 1}]})
    filtered = hq.call(manager, "GET", "/purchase-orders", params={"store": "S001"})
    suggestions = hq.call("inventory", "GET", "/stores/S002/replenishment")

    assert mine in listed and theirs not in listed
    assert {o["store_code"] for o in hq.ok(manager, "GET", "/purchase-orders")} == {"S002"}
    assert [r.status_code for r in (read, receive, filtered, suggestions)] == [404] * 4
    assert hq.ok("buyer", "GET", f"/purchase-orders/{theirs}")["lines"][0]["quantity_received"] == 0


def test_unknown_things_are_404_not_500(hq):
    for path in (f"/vendors/{MISSING}", f"/purchase-orders/{MISSING}", f"/vendors/{MISSING}/ledger"):
        assert hq.call("admin", "GET", path).status_code == 404, path


def test_the_openapi_document_loads_and_lists_purchasing(hq):
    spec = httpx.get(f"{hq.url}/openapi.json").json()

    assert {"/api/v1/vendors", "/api/v1/purchase-orders/{order_id}/receipts",
            "/api/v1/stores/{store_code}/replenishment"} <= set(spec["paths"])
