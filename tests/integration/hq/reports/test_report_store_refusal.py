"""A report asked for a store the caller may not see refuses in words (404), as every other
store-bound call does, rather than answering 200 with no rows that reads as "nothing sold"."""

from __future__ import annotations

import httpx


def test_a_store_manager_asking_for_another_store_is_refused_in_words(get, shop):
    for report in ("sales-by-store", "stock-on-hand", "movements"):
        reply = get("store_manager", report, store="S002")
        assert reply.status_code == 404, reply.text
        assert reply.json() == {"detail": "no store 'S002' among your stores"}

    as_csv = httpx.get(f"{shop.url}/api/v1/reports/sales-by-store.csv", params={"store": "S002"},
                       headers=shop.as_["store_manager"])
    assert as_csv.status_code == 404 and as_csv.json() == {"detail": "no store 'S002' among your stores"}


def test_an_unknown_store_reads_the_same_as_another_stores_to_a_store_manager(get):
    reply = get("store_manager", "sales-by-store", store="S999")

    assert reply.status_code == 404 and reply.json() == {"detail": "no store 'S999' among your stores"}


def test_a_chain_wide_role_is_told_the_store_does_not_exist(get):
    for role in ("admin", "buyer", "viewer"):
        reply = get(role, "sales-by-store", store="S999")
        assert reply.status_code == 404 and reply.json() == {"detail": "no store 'S999'"}


def test_own_and_any_store_still_answer(get):
    own = get("store_manager", "sales-by-store", store="S001")
    assert own.status_code == 200 and {r["store"] for r in own.json()["rows"]} == {"S001"}
    other = get("admin", "sales-by-store", store="S002")
    assert other.status_code == 200 and {r["store"] for r in other.json()["rows"]} == {"S002"}
