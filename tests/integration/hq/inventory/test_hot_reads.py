"""The back office's hot reads answer JSON they build themselves (hq_server.json_response): the
same answers, store scoping and errors as before. Stock list, on-hand, ledger, bundle
availability, the store list."""

from __future__ import annotations

import httpx
import pytest

from tests.fixtures.hq import RunningHQ, signed_in_hq


@pytest.fixture(scope="module")
def hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()),
                      {"manager": ("store_manager", ("S002",))}) as running:
        yield running


def get(hq: RunningHQ, who: str, path: str) -> httpx.Response:
    return httpx.get(f"{hq.url}/api/v1{path}", headers=hq.as_[who], timeout=30)


def ok(hq: RunningHQ, who: str, path: str):  # noqa: ANN201
    reply = get(hq, who, path)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/json"
    return reply.json()


def test_a_store_managers_stock_list_holds_only_their_store(hq):
    theirs = ok(hq, "manager", "/stock?limit=5000")
    chain = ok(hq, "admin", "/stock?limit=5000")

    assert theirs == [row for row in chain if row["store_code"] == "S002"] != []
    assert ok(hq, "manager", "/stock?store=S002&limit=5000") == theirs
    assert ok(hq, "manager", "/stock?store=S001") == []


def test_a_stock_row_found_by_sku_in_a_store_is_that_rows_whole_answer(hq):
    sku = hq.seed.products[1].sku
    row = next(r for r in ok(hq, "admin", "/stock?limit=5000") if r["sku"] == sku and r["store_code"] == "S001")

    assert ok(hq, "admin", f"/stock?store=S001&sku={sku}") == [row]
    assert set(row) == {"product_id", "sku", "name", "store_id", "store_code", "on_hand", "reorder_point"}
    assert isinstance(row["on_hand"], int) and isinstance(row["reorder_point"], int)


def test_on_hand_is_the_same_by_sku_or_id_and_only_in_the_callers_stores(hq):
    product = hq.seed.products[0]
    by_sku = ok(hq, "admin", f"/inventory/on-hand?product={product.sku}")
    by_id = ok(hq, "admin", f"/inventory/on-hand?product={product.id}")
    levels = {row["store_code"]: row["on_hand"] for row in ok(hq, "admin", f"/stock?sku={product.sku}")}

    assert by_sku == by_id
    assert by_sku["product"] == {"id": str(product.id), "sku": product.sku, "name": product.name}
    assert {row["store_code"]: row["on_hand"] for row in by_sku["stores"]} == levels
    assert [row["store_code"] for row in ok(hq, "manager", f"/inventory/on-hand?product={product.sku}")
            ["stores"]] == ["S002"]


def test_an_unknown_product_or_store_is_named_and_a_store_outside_yours_refused(hq):
    sku = hq.seed.products[0].sku
    no_product = get(hq, "admin", "/inventory/on-hand?product=NOPE")
    no_ledger_product = get(hq, "admin", "/inventory/ledger?product=NOPE&store=S001")
    no_store = get(hq, "admin", f"/inventory/ledger?product={sku}&store=NOPE")
    not_yours = get(hq, "manager", f"/inventory/ledger?product={sku}&store=S001")

    assert no_product.status_code == 404 and "NOPE" in no_product.json()["detail"]
    assert no_ledger_product.status_code == 404 and "no product" in no_ledger_product.json()["detail"]
    assert no_store.status_code == 404 and "no store" in no_store.json()["detail"]
    assert not_yours.status_code == 403 and "S001" in not_yours.json()["detail"]


def test_the_ledger_of_a_product_explains_its_on_hand(hq):
    product = hq.seed.products[0]
    ledger = ok(hq, "manager", f"/inventory/ledger?product={product.sku}&store=S002")

    assert ledger["product"]["sku"] == product.sku and ledger["store"]["code"] == "S002"
    assert ledger["balanced"] is True
    assert ledger["explained_on_hand"] == ledger["on_hand"] == hq.seed.opening_stock
    assert [m["reason"] for m in ledger["movements"]] == ["opening"]


def test_availability_of_what_is_not_a_bundle_or_not_a_product_says_so(hq):
    plain = get(hq, "admin", f"/catalogue/products/{hq.seed.products[0].sku}/availability")
    missing = get(hq, "admin", "/catalogue/products/NOPE/availability")

    assert plain.status_code == 422 and "not a bundle" in plain.json()["detail"]
    assert missing.status_code == 404 and "NOPE" in missing.json()["detail"]


def test_the_store_list_holds_the_callers_stores(hq):
    chain = ok(hq, "admin", "/stores")

    assert [s["code"] for s in chain] == sorted(s["code"] for s in chain)
    assert {"S001", "S002"} <= {s["code"] for s in chain}
    assert ok(hq, "manager", "/stores") == [s for s in chain if s["code"] == "S002"]
    assert set(chain[0]) == {"id", "code", "name", "currency"}
