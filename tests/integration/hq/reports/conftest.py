"""One HQ for the package with a known week of sales in both stores, read by every role.

S001 (cashiers ann, bob), two days ago: ann sells 2 shampoo + 1 day cream (42.97), bob 1
shampoo (8.99); 52 weeks before that day ann sold 1 shampoo (8.99, the year-on-year figure).
S002, three days ago: cat sells 1 paddle brush (14.99); yesterday it came back damaged (refunded,
not restocked). Costs are the seed's: half the price,
rounded down. A supervisor in S001 approved two price overrides and one no-sale.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.fixtures.hq import signed_in_hq
from tests.integration.hq.helpers import enrol_till
from tests.integration.hq.reports.helpers import (
    at,
    days_ago,
    record_override,
    record_return,
    sell_at,
)


@pytest.fixture(scope="package")
def shop(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    people = {"owner": ("owner", ()), "inventory": ("inventory", ("S001",)), "viewer": ("viewer", ())}
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), people) as running:
        seed = running.seed
        s001, s002 = enrol_till(running, "S001", "till-a"), enrol_till(running, "S002", "till-b")
        shampoo, cream, brush = seed.product("SHA-ARG-250"), seed.product("SKN-HYA-50"), seed.product("BRU-PAD-L")
        day = days_ago(2)
        sell_at(s001, at(day - timedelta(weeks=52), 12), "ann", (shampoo, 1))
        sell_at(s001, at(day, 10), "ann", (shampoo, 2), (cream, 1))
        sell_at(s001, at(day, 11), "bob", (shampoo, 1))
        for action in ("price_override", "price_override", "no_sale"):
            record_override(s001, at(day, 12), action, "ann", "Sam")
        sell_at(s002, at(days_ago(3), 9), "cat", (brush, 1))
        record_return(s002, at(days_ago(1), 15), "cat", brush, 1)
        for till in (s001, s002):
            assert till.push().status_code == 200
        running.day = day
        yield running


@pytest.fixture(scope="package")
def get(shop):
    """(role, report, **params) -> the HTTP reply."""
    def get_(role: str, report: str, **params) -> httpx.Response:
        return httpx.get(f"{shop.url}/api/v1/reports/{report}", params=params,
                         headers=shop.as_[role], timeout=30)

    return get_
