"""One HQ for the package with a hand-worked valuation, built through the real APIs.

Two stores of their own, V01 and V02 (no opening stock), and two products in category
"Valuation" (VAL-1 cost 0, VAL-2 cost 150 before any receipt). In this order:

  V01  PO: receive 10 VAL-1 @ 100       WAC 100            (nothing held before)
  V01  till sells 4 VAL-1               V01 holds 6
  V01  PO: receive 10 VAL-1 @ 130       WAC (6x100 + 10x130) / 16 = 118.75 -> 119
  V02  PO: receive 5 VAL-1 @ 160        WAC (16x119 + 5x160) / 21 = 128.76 -> 129
  V01  adjustment: found 2 VAL-2        (no receipt behind them)
  V01  count: VAL-1 13 (was 16), VAL-2 2
  V01  till sells 1 VAL-1               V01 holds 12
  V01  PO: receive 3 VAL-2 @ 200        WAC (2x150 + 3x200) / 5 = 180

So at V01, VAL-1's 12 units are the 10 newest @ 130 and 2 of the first receipt @ 100: FIFO 1500,
WAC 12 x 129 = 1548. At V02, 5 @ 160: FIFO 800, WAC 645. At V01, VAL-2's 5 units are 3 @ 200 and
2 beyond every receipt, at today's cost 180: FIFO 960, WAC 900.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from hq_server.catalog.service import create_store
from hq_server.db.models import Product
from shared.ids import uuid7
from tests.fixtures.hq import SignedInHQ, signed_in_hq
from tests.integration.hq.helpers import ScriptedTill, enrol_till
from tests.integration.hq.reports.helpers import sell_at

CATEGORY = "Valuation"


class ValuationHQ(SignedInHQ):
    products: dict[str, Product]

    def receive(self, vendor_id: str, store: str, sku: str, quantity: int, unit_cost: int) -> None:
        """Order, approve, send and receive one line in full (as the buyer, then the admin)."""
        order = self.ok("buyer", "POST", "/purchase-orders", {
            "store_code": store, "vendor_id": vendor_id,
            "lines": [{"product_id": str(self.products[sku].id), "quantity": quantity,
                       "unit_cost_minor": unit_cost}]})
        for action in ("approve", "send"):
            self.ok("buyer", "POST", f"/purchase-orders/{order['id']}/{action}")
        self.ok("admin", "POST", f"/purchase-orders/{order['id']}/receipts",
                {"lines": [{"line_no": 1, "quantity": quantity}]})

    def sell(self, till: ScriptedTill, sku: str, quantity: int) -> None:
        sell_at(till, datetime.now(UTC), "ann", (self.products[sku], quantity))
        assert till.push().status_code == 200

    def count(self, store: str, counted: dict[str, int]) -> None:
        sheet = self.ok("admin", "POST", "/inventory/counts", {"store": store, "category": CATEGORY})
        count_id = sheet["id"]
        self.ok("admin", "PUT", f"/inventory/counts/{count_id}/lines",
                {"lines": [{"product": sku, "quantity": q} for sku, q in counted.items()]})
        self.ok("admin", "POST", f"/inventory/counts/{count_id}/post")


def _catalogue(session) -> dict[str, Product]:  # noqa: ANN001
    for code in ("V01", "V02"):
        create_store(session, code=code, name=f"Valuation store {code}", currency="EUR")
    products = {sku: Product(id=uuid7(), sku=sku, name=f"Valued {sku}", category=CATEGORY,
                             price_minor=price, cost_minor=cost, currency="EUR")
                for sku, price, cost in (("VAL-1", 300, 0), ("VAL-2", 400, 150))}
    session.add_all(products.values())
    session.flush()
    for product in products.values():
        session.expunge(product)
    return products


@pytest.fixture(scope="package")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    def catalogue(running: ValuationHQ) -> None:
        running.products = running.in_transaction(_catalogue)

    people = {"owner": ("owner", ()), "manager_v01": ("store_manager", ("V01",)),
              "inventory_v01": ("inventory", ("V01",))}
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), people, ValuationHQ,
                      prepare=catalogue) as running:
        _story(running)
        yield running


def _story(hq: ValuationHQ) -> None:
    vendor = hq.ok("buyer", "POST", "/vendors", {"name": "Valuation supplies"})["id"]
    v01 = enrol_till(hq, "V01", "till-v01")
    hq.receive(vendor, "V01", "VAL-1", 10, 100)
    hq.sell(v01, "VAL-1", 4)
    hq.receive(vendor, "V01", "VAL-1", 10, 130)
    hq.receive(vendor, "V02", "VAL-1", 5, 160)
    hq.ok("admin", "POST", "/inventory/adjustments",
          {"store": "V01", "product": "VAL-2", "delta": 2, "reason": "found"})
    hq.count("V01", {"VAL-1": 13, "VAL-2": 2})
    hq.sell(v01, "VAL-1", 1)
    hq.receive(vendor, "V01", "VAL-2", 3, 200)


@pytest.fixture(scope="package")
def report(hq):
    """(who, **params) -> the stock-on-hand report's HTTP reply."""
    def get(who: str, suffix: str = "", **params: Any) -> httpx.Response:
        return httpx.get(f"{hq.url}/api/v1/reports/stock-on-hand{suffix}", params=params,
                         headers=hq.as_[who], timeout=30)

    return get
