"""GET /stock?store=: one store's rows, in SKU order, paged; store scoping still applies."""

from __future__ import annotations

import httpx
import pytest

from tests.fixtures.hq import RunningHQ, signed_in_hq


@pytest.fixture(scope="module")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()),
                      {"inventory": ("inventory", ("S001",))}) as running:
        yield running


def stock(hq: RunningHQ, who: str, query: str) -> list[dict]:
    reply = httpx.get(f"{hq.url}/api/v1/stock?{query}", headers=hq.as_[who], timeout=30)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_a_stores_page_holds_only_that_store_in_sku_order_and_pages_follow_on(hq):
    whole = stock(hq, "admin", "store=S002&limit=5000")
    first, second = stock(hq, "admin", "store=S002&limit=3"), stock(hq, "admin", "store=S002&limit=3&offset=3")

    assert len(whole) == len(hq.seed.products) > 6
    assert {row["store_code"] for row in whole} == {"S002"}
    chain = stock(hq, "admin", "limit=5000")  # every store, in the same (SKU, store) order
    assert whole == [row for row in chain if row["store_code"] == "S002"]
    assert first + second == whole[:6]


def test_an_unknown_store_or_one_outside_the_callers_stores_lists_nothing(hq):
    assert stock(hq, "admin", "store=NOPE") == []
    assert stock(hq, "inventory", "store=S002") == []
    assert {row["store_code"] for row in stock(hq, "inventory", "store=S001")} == {"S001"}
