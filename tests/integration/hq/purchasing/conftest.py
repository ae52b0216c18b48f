"""One HQ for the purchasing tests (signing in is argon2-slow on purpose), signed in as every role.

`hq.as_[role]` are Authorization headers; "manager_s002" is the store manager of S002 and
"inventory" works in S001. Tests make their own vendors, orders and (for replenishment, where
other tests' open orders would count) their own stores, so order does not matter.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import pytest

from hq_server.catalog.service import create_store
from hq_server.stock.service import StockBatch
from tests.fixtures.hq import SignedInHQ, signed_in_hq
from tests.integration.hq.helpers import in_transaction

ROLES = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")
_serial = itertools.count()


class PurchasingHQ(SignedInHQ):
    def product_id(self, index: int) -> str:
        return str(self.seed.products[index].id)

    def vendor(self, **fields: Any) -> dict[str, Any]:
        body = {"name": f"Vendor {next(_serial)} {uuid.uuid4().hex[:6]}", "payment_terms_days": 30,
                "lead_time_days": 5, **fields}
        return self.ok("buyer", "POST", "/vendors", body)

    def link(self, vendor_id: str, product_index: int, cost: int, preferred: bool = True) -> None:
        self.ok("buyer", "PUT", f"/vendors/{vendor_id}/products/{self.product_id(product_index)}",
                {"vendor_sku": f"V-{product_index}", "unit_cost_minor": cost, "preferred": preferred})

    def new_store(self) -> str:
        """A store of its own for a test, with the seed's opening stock of every product."""
        code = f"R{next(_serial):03d}"

        def make(session) -> None:  # noqa: ANN001
            store = create_store(session, code=code, name=f"Test store {code}", currency="EUR")
            batch = StockBatch()
            for product in self.seed.products:
                batch.add(product.id, store.id, self.seed.opening_stock, "opening")
            batch.flush(session)

        in_transaction(self.database_url, make)
        return code

    def order(self, vendor_id: str, lines: list[tuple[int, int, int]], store: str = "S001",
              status: str = "sent") -> dict[str, Any]:
        """A purchase order of (product index, quantity, unit cost) lines, moved on to `status`."""
        order = self.ok("buyer", "POST", "/purchase-orders", {
            "store_code": store, "vendor_id": vendor_id,
            "lines": [{"product_id": self.product_id(i), "quantity": q, "unit_cost_minor": c}
                      for i, q, c in lines]})
        for action, reached in (("approve", "approved"), ("send", "sent")):
            if order["status"] == status:
                break
            order = self.ok("buyer", "POST", f"/purchase-orders/{order['id']}/{action}")
            assert order["status"] == reached
        return order


@pytest.fixture(scope="package")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    people = {"owner": ("owner", ()), "inventory": ("inventory", ("S001",)), "viewer": ("viewer", ()),
              "manager_s002": ("store_manager", ("S002",))}
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), people, PurchasingHQ) as running:
        yield running
