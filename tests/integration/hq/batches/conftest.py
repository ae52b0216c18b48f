"""One HQ for the batch tests (signing in is argon2-slow on purpose), signed in as every role,
and one till in S001. Each test works on its own seeded product, so order does not matter.

`hq.as_[who]`: "admin", "buyer", "store_manager" (S001), "manager_s002", "inventory" (S001),
"viewer".
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import httpx
import pytest

from tests.fixtures.hq import SignedInHQ, signed_in_hq
from tests.integration.hq.helpers import ScriptedTill, in_transaction

_serial = itertools.count()


class BatchHQ(SignedInHQ):
    def track(self, sku: str) -> None:
        assert self.ok("buyer", "PUT", f"/batches/tracking/{sku}", {"tracked": True})["tracked"] is True

    def holding(self, sku: str, store: str = "S001", who: str = "admin") -> dict[str, Any]:
        return self.ok(who, "GET", f"/batches?product={sku}&store={store}")

    def sent_order(self, sku: str, quantity: int, store: str = "S001") -> str:
        """A purchase order for `quantity` of `sku`, approved and sent: ready to receive."""
        product_id = str(self.seed.product(sku).id)
        vendor = self.ok("buyer", "POST", "/vendors", {"name": f"Batch vendor {next(_serial)}"})["id"]
        self.ok("buyer", "PUT", f"/vendors/{vendor}/products/{product_id}", {"unit_cost_minor": 300})
        order = self.ok("buyer", "POST", "/purchase-orders", {
            "store_code": store, "vendor_id": vendor,
            "lines": [{"product_id": product_id, "quantity": quantity, "unit_cost_minor": 300}]})
        for action in ("approve", "send"):
            self.ok("buyer", "POST", f"/purchase-orders/{order['id']}/{action}")
        return order["id"]

    def receive(self, order_id: str, quantity: int, batch: str | None, expires_on: date | None,
                who: str = "inventory") -> httpx.Response:
        line: dict[str, Any] = {"line_no": 1, "quantity": quantity}
        if batch is not None:
            line["batch_code"] = batch
        if expires_on is not None:
            line["expires_on"] = expires_on.isoformat()
        return self.call(who, "POST", f"/purchase-orders/{order_id}/receipts", {"lines": [line]})


@pytest.fixture(scope="package")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    people = {"inventory": ("inventory", ("S001",)), "viewer": ("viewer", ()),
              "manager_s002": ("store_manager", ("S002",))}
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), people, BatchHQ) as running:
        yield running


@pytest.fixture(scope="package")
def till(hq) -> ScriptedTill:  # noqa: ANN001
    from hq_server.devices.service import create_enrolment_code

    code = in_transaction(hq.database_url, lambda s: create_enrolment_code(s, "S001"))
    return ScriptedTill(hq.url, code, name="batch-till")
