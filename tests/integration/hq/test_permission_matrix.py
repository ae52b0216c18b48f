"""The back office's permission matrix: every endpoint x every role, with real targets.

Each case makes what it acts on fresh (as admin, through the API): a vendor, a draft PO in S001,
a transfer from S001, an open count in S001 ... then calls the endpoint as the role with a valid
request. A role the matrix allows must succeed (2xx); any other gets 403. Store-scoped users
(store manager, inventory) belong to S001, so these cases test the role, not the scope; scope has
its own tests. `test_every_operation_is_in_a_matrix` fails when an endpoint is added without a
line here or in test_permissions.py, so the matrix stays whole.

Cost fields are checked at the end: present for roles with sight of costs, absent for the rest.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from hq_server.app import create_app
from hq_server.auth.identity import COST_READERS
from shared.gift_cards import luhn_check_digit
from tests.fixtures.hq import JWT_SECRET, RunningHQ, signed_in_hq
from tests.integration.hq import test_permissions

ROLES = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")
EVERYONE = frozenset(ROLES)
ADMIN = frozenset({"admin"})
BUYING = frozenset({"admin", "buyer"})
STOCK_ADJUSTERS = frozenset({"admin", "store_manager", "inventory"})
STOCK_MOVERS = STOCK_ADJUSTERS | {"buyer"}  # transfers and counts: balancing stock is a buyer's job
MONEY_READERS = frozenset({"admin", "owner", "buyer"})
CUSTOMER_KEEPERS = frozenset({"admin", "store_manager"})
CUSTOMER_READERS = frozenset({"admin", "owner", "store_manager"})
_serial = itertools.count()


class Targets:
    """Fresh things to act on, made as admin through the API."""

    def __init__(self, hq: RunningHQ, admin: dict[str, str]) -> None:
        self.hq, self.admin = hq, admin
        self.products = hq.seed.products

    def call(self, method: str, path: str, headers: dict[str, str] | None = None, **kw: Any) -> Any:
        reply = httpx.request(method, f"{self.hq.url}/api/v1{path}", headers={**self.admin, **(headers or {})},
                              timeout=30, **kw)
        assert reply.status_code < 300, f"making a target: {method} {path} -> {reply.status_code} {reply.text}"
        return reply.json() if reply.content else None

    def product(self, n: int = 0) -> Any:
        return self.products[n]

    def vendor(self) -> str:
        vendor = self.call("POST", "/vendors", json={"name": f"Vendor {next(_serial)}"})["id"]
        self.call("PUT", f"/vendors/{vendor}/products/{self.product().id}",
                  json={"unit_cost_minor": 450, "vendor_sku": "V-1", "preferred": True})
        return vendor

    def order(self, *then: str) -> dict:
        order = self.call("POST", "/purchase-orders", json={
            "store_code": "S001", "vendor_id": self.vendor(),
            "lines": [{"product_id": str(self.product().id), "quantity": 5, "unit_cost_minor": 450}]})
        for action in then:
            order = self.call("POST", f"/purchase-orders/{order['id']}/{action}")
        return order

    def transfer(self, *then: str) -> str:
        transfer = self.call("POST", "/inventory/transfers", json={
            "from_store": "S001", "to_store": "S002",
            "lines": [{"product": self.product(1).sku, "quantity": 1}]})["id"]
        for action in then:
            self.call("POST", f"/inventory/transfers/{transfer}/{action}")
        return transfer

    def incoming_transfer(self) -> str:
        """Shipped from S002 to S001: receivable by S001's people."""
        transfer = self.call("POST", "/inventory/transfers", json={
            "from_store": "S002", "to_store": "S001",
            "lines": [{"product": self.product(1).sku, "quantity": 1}]})["id"]
        for action in ("approve", "ship"):
            self.call("POST", f"/inventory/transfers/{transfer}/{action}")
        return transfer

    def count(self, *, counted: bool = False) -> str:
        count = self.call("POST", "/inventory/counts", json={"store": "S001", "category": "Test"})["id"]
        if counted:  # every product of the sheet has a quantity: ready to post
            self.call("PUT", f"/inventory/counts/{count}/lines", json={
                "lines": [{"product": p.sku, "quantity": 5} for p in self.products]})
        return count

    def owed_vendor(self) -> str:
        """A vendor owed for one received unit (so a payment has something to settle)."""
        order = self.order("approve", "send")
        self.call("POST", f"/purchase-orders/{order['id']}/receipts",
                  json={"lines": [{"line_no": 1, "quantity": 1}]})
        return order["vendor_id"]

    def bundle(self) -> str:
        if not hasattr(self, "_bundle"):
            self.call("PUT", "/tax-rates/zero", json={"rate_bp": 0, "name": "Zero"})  # classes are checked
            self.call("POST", "/catalogue/products/import",
                      content=b"sku,name,price,tax_class\nPM-KIT,Matrix kit,5.00,zero\n",
                      headers={"Content-Type": "text/csv"})
            self.call("PUT", "/catalogue/products/PM-KIT/components",
                      json={"components": [{"sku": self.product().sku, "quantity": 2}]})
            self._bundle = "PM-KIT"
        return self._bundle

    def price(self) -> str:
        return self.call("POST", "/catalogue/prices", json={
            "sku": self.product(2).sku, "store": "S001", "price": "9.99",
            "starts_at": "2030-01-01T00:00:00Z"})["id"]

    def customer(self) -> str:
        return self.call("POST", "/customers", json={"name": f"Customer {next(_serial)}",
                                                     "phone": f"+4470000{next(_serial):05d}",
                                                     "home_store": "S001"})["id"]

    def gift_card(self) -> str:
        """A card put on the books by an adjustment (the back office's only way to make one)."""
        body = f"60360{next(_serial):010d}"
        number = body + luhn_check_digit(body)
        self.call("POST", f"/gift-cards/{number}/adjustments",
                  json={"delta_minor": 1000, "store": "S001", "note": "matrix target"})
        return number


# (method, path template) -> (path maker, body maker or None, roles allowed)
Case = tuple[Callable[[Targets], str], Callable[[Targets], Any] | None, frozenset[str]]
MATRIX: dict[tuple[str, str], Case] = {
    ("GET", "/stores"): (lambda t: "/stores", None, EVERYONE),
    ("GET", "/stores/{store_code}/pricing"): (lambda t: "/stores/S001/pricing", None, EVERYONE),
    ("PUT", "/stores/{store_code}/pricing"): (lambda t: "/stores/S001/pricing",
                                              lambda t: {"cash_rounding_minor": 1}, ADMIN),
    ("PUT", "/tax-rates/{tax_class}"): (lambda t: "/tax-rates/zero", lambda t: {"rate_bp": 0, "name": "Zero"},
                                        ADMIN),
    ("DELETE", "/tax-rates/{tax_class}"): (lambda t: _tax_rate(t), None, ADMIN),
    ("GET", "/stock"): (lambda t: "/stock?limit=5", None, EVERYONE),
    ("GET", "/overrides"): (lambda t: "/overrides", None, CUSTOMER_READERS),
    ("GET", "/shifts"): (lambda t: "/shifts", None, CUSTOMER_READERS),
    # purchasing
    ("POST", "/vendors"): (lambda t: "/vendors", lambda t: {"name": f"New vendor {next(_serial)}"}, BUYING),
    ("GET", "/vendors"): (lambda t: "/vendors", None, EVERYONE),
    ("GET", "/vendors/{vendor_id}"): (lambda t: f"/vendors/{t.vendor()}", None, EVERYONE),
    ("PATCH", "/vendors/{vendor_id}"): (lambda t: f"/vendors/{t.vendor()}", lambda t: {"lead_time_days": 4},
                                        BUYING),
    ("PUT", "/vendors/{vendor_id}/products/{product_id}"): (
        lambda t: f"/vendors/{t.vendor()}/products/{t.product(3).id}",
        lambda t: {"unit_cost_minor": 300}, BUYING),
    ("GET", "/vendors/{vendor_id}/products"): (lambda t: f"/vendors/{t.vendor()}/products", None, EVERYONE),
    ("POST", "/vendors/{vendor_id}/payments"): (lambda t: f"/vendors/{t.owed_vendor()}/payments",
                                                lambda t: {"amount_minor": 100, "reference": "BANK-1"}, BUYING),
    ("GET", "/vendor-balances"): (lambda t: "/vendor-balances", None, MONEY_READERS),
    ("GET", "/vendors/{vendor_id}/ledger"): (lambda t: f"/vendors/{t.vendor()}/ledger", None, MONEY_READERS),
    ("POST", "/purchase-orders"): (lambda t: "/purchase-orders", lambda t: {
        "store_code": "S001", "vendor_id": t.vendor(),
        "lines": [{"product_id": str(t.product().id), "quantity": 2}]}, BUYING),
    ("GET", "/purchase-orders"): (lambda t: "/purchase-orders", None, EVERYONE),
    ("GET", "/purchase-orders/{order_id}"): (lambda t: f"/purchase-orders/{t.order()['id']}", None, EVERYONE),
    ("PUT", "/purchase-orders/{order_id}/lines"): (
        lambda t: f"/purchase-orders/{t.order()['id']}/lines",
        lambda t: {"lines": [{"product_id": str(t.product().id), "quantity": 7}]}, BUYING),
    ("POST", "/purchase-orders/{order_id}/receipts"): (
        lambda t: f"/purchase-orders/{t.order('approve', 'send')['id']}/receipts",
        lambda t: {"lines": [{"line_no": 1, "quantity": 1}]}, BUYING | STOCK_ADJUSTERS),
    ("POST", "/purchase-orders/{order_id}/{action}"): (
        lambda t: f"/purchase-orders/{t.order()['id']}/approve", None, BUYING),
    ("PUT", "/stores/{store_code}/replenishment-levels"): (
        lambda t: "/stores/S001/replenishment-levels",
        lambda t: {"levels": [{"product_id": str(t.product(4).id), "reorder_point": 3, "target_level": 9}]},
        BUYING),
    ("GET", "/stores/{store_code}/replenishment-levels"): (
        lambda t: "/stores/S001/replenishment-levels", None, EVERYONE),
    ("GET", "/stores/{store_code}/replenishment"): (lambda t: "/stores/S001/replenishment", None, EVERYONE),
    ("POST", "/stores/{store_code}/replenishment/orders"): (
        lambda t: _suggesting(t), lambda t: {"lines": [{"product_id": str(t.product(5).id)}]}, BUYING),
    # inventory
    ("GET", "/inventory/on-hand"): (lambda t: f"/inventory/on-hand?product={t.product().sku}", None, EVERYONE),
    ("GET", "/inventory/ledger"): (lambda t: f"/inventory/ledger?product={t.product().sku}&store=S001",
                                   None, EVERYONE),
    ("GET", "/inventory/in-transit"): (lambda t: "/inventory/in-transit?store=S001", None, EVERYONE),
    ("POST", "/inventory/adjustments"): (lambda t: "/inventory/adjustments", lambda t: {
        "store": "S001", "product": t.product(6).sku, "delta": 1, "reason": "found"}, STOCK_ADJUSTERS),
    ("GET", "/inventory/transfers"): (lambda t: "/inventory/transfers", None, EVERYONE),
    ("POST", "/inventory/transfers"): (lambda t: "/inventory/transfers", lambda t: {
        "from_store": "S001", "to_store": "S002", "lines": [{"product": t.product(1).sku, "quantity": 1}]},
        STOCK_MOVERS),
    ("GET", "/inventory/transfers/{transfer_id}"): (
        lambda t: f"/inventory/transfers/{t.transfer()}", None, EVERYONE),
    ("POST", "/inventory/transfers/{transfer_id}/approve"): (
        lambda t: f"/inventory/transfers/{t.transfer()}/approve", None, STOCK_MOVERS),
    ("POST", "/inventory/transfers/{transfer_id}/ship"): (
        lambda t: f"/inventory/transfers/{t.transfer('approve')}/ship", None, STOCK_MOVERS),
    ("POST", "/inventory/transfers/{transfer_id}/receive"): (
        lambda t: f"/inventory/transfers/{t.incoming_transfer()}/receive", None, STOCK_MOVERS),
    ("POST", "/inventory/transfers/{transfer_id}/cancel"): (
        lambda t: f"/inventory/transfers/{t.transfer()}/cancel", None, STOCK_MOVERS),
    ("GET", "/inventory/counts"): (lambda t: "/inventory/counts", None, EVERYONE),
    ("POST", "/inventory/counts"): (lambda t: "/inventory/counts",
                                    lambda t: {"store": "S001", "category": "Test"}, STOCK_MOVERS),
    ("GET", "/inventory/counts/{count_id}"): (lambda t: f"/inventory/counts/{t.count()}", None, EVERYONE),
    ("PUT", "/inventory/counts/{count_id}/lines"): (
        lambda t: f"/inventory/counts/{t.count()}/lines",
        lambda t: {"lines": [{"product": t.product().sku, "quantity": 3}]}, STOCK_MOVERS),
    ("POST", "/inventory/counts/{count_id}/post"): (
        lambda t: f"/inventory/counts/{t.count(counted=True)}/post", None, STOCK_MOVERS),
    ("POST", "/inventory/counts/{count_id}/cancel"): (
        lambda t: f"/inventory/counts/{t.count()}/cancel", None, STOCK_MOVERS),
    # reports: every role reads what its role may (cost columns are checked below)
    ("GET", "/reports"): (lambda t: "/reports", None, EVERYONE),
    ("GET", "/reports/{name}"): (lambda t: "/reports/stock-on-hand", None, EVERYONE),
    # catalogue
    ("POST", "/catalogue/products/import"): (
        lambda t: "/catalogue/products/import?dry_run=true", "csv", BUYING),
    ("GET", "/catalogue/products.csv"): (lambda t: "/catalogue/products.csv", None, EVERYONE),
    ("GET", "/catalogue/products/{sku}/variants"): (
        lambda t: f"/catalogue/products/{t.product().sku}/variants", None, EVERYONE),
    ("GET", "/catalogue/products/{sku}/components"): (
        lambda t: f"/catalogue/products/{t.product().sku}/components", None, EVERYONE),
    ("PUT", "/catalogue/products/{sku}/components"): (
        lambda t: f"/catalogue/products/{t.product(7).sku}/components",
        lambda t: {"components": []}, BUYING),
    ("GET", "/catalogue/products/{sku}/availability"): (
        lambda t: f"/catalogue/products/{t.bundle()}/availability", None, EVERYONE),
    ("GET", "/catalogue/products/{sku}/prices"): (
        lambda t: f"/catalogue/products/{t.product().sku}/prices", None, EVERYONE),
    ("POST", "/catalogue/prices"): (lambda t: "/catalogue/prices", lambda t: {
        "sku": t.product(2).sku, "price": "8.99", "starts_at": "2031-01-01T00:00:00Z"}, BUYING),
    ("DELETE", "/catalogue/prices/{entry_id}"): (lambda t: f"/catalogue/prices/{t.price()}", None, BUYING),
    ("GET", "/catalogue/price-lists/{store}"): (lambda t: "/catalogue/price-lists/S001", None, EVERYONE),
    ("POST", "/catalogue/prices/apply-scheduled"): (lambda t: "/catalogue/prices/apply-scheduled", None, BUYING),
    # customers (details are personal data: the people who serve them, and the owner reading)
    ("GET", "/customers"): (lambda t: "/customers?q=Cust", None, CUSTOMER_READERS),
    ("POST", "/customers"): (lambda t: "/customers", lambda t: {"name": "Walk-in Wendy", "home_store": "S001"},
                             CUSTOMER_KEEPERS),
    ("GET", "/customers/{customer_id}"): (lambda t: f"/customers/{t.customer()}", None, CUSTOMER_READERS),
    ("PUT", "/customers/{customer_id}"): (lambda t: f"/customers/{t.customer()}",
                                          lambda t: {"name": "Renamed Customer"}, CUSTOMER_KEEPERS),
    # gift cards and store credit: a card's balance for the people who serve customers
    ("GET", "/gift-cards/{card_number}"): (lambda t: f"/gift-cards/{t.gift_card()}", None,
                                           CUSTOMER_READERS),
    ("POST", "/gift-cards/{card_number}/adjustments"): (
        lambda t: f"/gift-cards/{t.gift_card()}/adjustments",
        lambda t: {"delta_minor": 500, "store": "S001", "note": "matrix"}, CUSTOMER_KEEPERS),
    # batches and expiry: buyers choose tracked products, store managers their alert window
    ("PUT", "/batches/tracking/{product}"): (lambda t: f"/batches/tracking/{t.product(9).sku}",
                                             lambda t: {"tracked": True}, BUYING),
    ("PUT", "/batches/alert-window/{store}"): (lambda t: "/batches/alert-window/S001", lambda t: {"days": 30},
                                               frozenset({"admin", "store_manager"})),
    ("GET", "/batches"): (lambda t: f"/batches?product={t.product().sku}&store=S001", None, EVERYONE),
    ("GET", "/batches/fefo"): (lambda t: f"/batches/fefo?product={t.product().sku}&store=S001&quantity=1",
                               None, EVERYONE),
}

# Called by a till with its device credential, or before signing in: their own tests
# (test_push, test_pull, test_enrolment, test_credential_rotation, test_auth) cover them.
NOT_BY_ROLE = {("POST", "/enrol"), ("POST", "/sync/push"), ("GET", "/sync/pull"),
               ("POST", "/sync/credential"), ("POST", "/sync/credential/confirm"), ("GET", "/health"),
               ("POST", "/auth/login"), ("POST", "/auth/refresh"), ("POST", "/auth/logout"),
               ("GET", "/auth/me"), ("POST", "/auth/password"), ("POST", "/auth/password-reset"),
               ("POST", "/auth/password-reset/confirm")}
# The foundation's endpoints, in test_permissions.ENDPOINTS by name.
IN_TEST_PERMISSIONS = {("GET", "/exceptions"), ("POST", "/exceptions/{exception_id}/resolve"),
                       ("GET", "/devices"), ("POST", "/devices/{device_id}/revoke"),
                       ("POST", "/devices/{device_id}/release"), ("POST", "/stores/{store_code}/enrolment-codes"),
                       ("GET", "/audit"), ("GET", "/users"), ("POST", "/users"),
                       ("POST", "/users/{user_id}/deactivate"),
                       ("POST", "/devices/{device_id}/rotate-credential")}
CSV = "sku,name,price,tax_class\nPM-NEW-1,Matrix product,1.00,zero\n"


def _tax_rate(t: Targets) -> str:
    tax_class = f"matrix{next(_serial)}"
    t.call("PUT", f"/tax-rates/{tax_class}", json={"rate_bp": 500, "name": "Matrix"})
    return f"/tax-rates/{tax_class}"


def _suggesting(t: Targets) -> str:
    """S001 with a suggestion for product 5 (a level above its stock, a preferred vendor)."""
    vendor = t.call("POST", "/vendors", json={"name": f"Suggesting vendor {next(_serial)}"})["id"]
    t.call("PUT", f"/vendors/{vendor}/products/{t.product(5).id}", json={"unit_cost_minor": 100, "preferred": True})
    t.call("PUT", "/stores/S001/replenishment-levels", json={"levels": [
        {"product_id": str(t.product(5).id), "reorder_point": 10_000, "target_level": 20_000}]})
    return "/stores/S001/replenishment/orders"


@pytest.fixture(scope="module")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    people = {"owner": ("owner", ()), "viewer": ("viewer", ()), "inventory": ("inventory", ("S001",))}
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), people) as running:
        running.targets = Targets(running, running.as_["admin"])
        yield running


def test_every_operation_is_in_a_matrix() -> None:
    app = create_app("postgresql+psycopg://unused@127.0.0.1:9/unused", jwt_secret=JWT_SECRET)
    operations = {(method.upper(), path.removeprefix("/api/v1"))
                  for path, ops in app.openapi()["paths"].items() for method in ops}
    listed = set(MATRIX) | NOT_BY_ROLE | IN_TEST_PERMISSIONS
    assert operations - listed == set(), "endpoints with no line in the permission matrix"
    assert listed - operations == set(), "matrix lines for endpoints that no longer exist"
    assert len(test_permissions.ENDPOINTS) >= len(IN_TEST_PERMISSIONS) - 1  # rotate-credential: its own test


CASES = [(op, role) for op in MATRIX for role in ROLES]


@pytest.mark.parametrize(("operation", "role"), CASES,
                         ids=[f"{role} {'may' if role in MATRIX[op][2] else 'may not'} {op[0]} {op[1]}"
                              for op, role in CASES])
def test_permission_matrix(hq, operation, role) -> None:  # noqa: ANN001
    path_of, body_of, allowed = MATRIX[operation]
    path = path_of(hq.targets)
    kw: dict[str, Any] = {}
    if body_of == "csv":
        hq.targets.call("PUT", "/tax-rates/zero", json={"rate_bp": 0, "name": "Zero"})
        kw = {"content": CSV.encode(), "headers": {"Content-Type": "text/csv", **hq.as_[role]}}
    else:
        kw = {"headers": hq.as_[role]}
        if body_of is not None:
            kw["json"] = body_of(hq.targets)
    reply = httpx.request(operation[0], f"{hq.url}/api/v1{path}", timeout=30, **kw)
    if role in allowed:
        assert 200 <= reply.status_code < 300, f"{role} should be able to: {reply.status_code} {reply.text}"
    else:
        assert reply.status_code == 403, f"{role} should be refused: {reply.status_code} {reply.text}"
        assert "role" in reply.json()["detail"], reply.text  # the refusal says why


# (path maker, where the cost sits in the JSON, cost key) for answers that carry costs.
COSTS = {
    "vendor's products": (lambda t: f"/vendors/{t.vendor()}/products", lambda body: body[0], "unit_cost_minor"),
    "purchase order line": (lambda t: f"/purchase-orders/{t.order()['id']}",
                            lambda body: body["lines"][0], "unit_cost_minor"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("answer", COSTS)
def test_cost_fields_only_for_roles_that_see_costs(hq, answer, role) -> None:  # noqa: ANN001
    path_of, where, key = COSTS[answer]
    reply = httpx.get(f"{hq.url}/api/v1{path_of(hq.targets)}", headers=hq.as_[role], timeout=30)
    assert reply.status_code == 200, reply.text
    assert (key in where(reply.json())) == (role in COST_READERS), reply.text


def test_unknown_ids_are_404_not_500_for_allowed_roles(hq) -> None:  # noqa: ANN001
    missing = uuid.uuid4()
    for path in (f"/vendors/{missing}", f"/purchase-orders/{missing}", f"/inventory/transfers/{missing}",
                 f"/inventory/counts/{missing}", f"/customers/{missing}"):
        reply = httpx.get(f"{hq.url}/api/v1{path}", headers=hq.as_["admin"], timeout=30)
        assert reply.status_code == 404, (path, reply.status_code, reply.text)
