"""Who reads the valuation: a store manager only their stores, the inventory role no costs;
the CSV carries the JSON's rows; bad methods are refused in words."""

from __future__ import annotations

import csv
import io

import httpx

COSTS = {"unit_cost_minor", "value_minor", "wac_value_minor"}


def test_a_store_manager_values_only_their_store(report):
    stores = report("manager_v01", method="fifo", by="store").json()["rows"]
    chain = report("manager_v01", method="fifo", by="chain").json()["rows"]

    assert [(r["store"], r["value_minor"]) for r in stores] == [("V01", 1500 + 960)]
    assert [(r["on_hand"], r["value_minor"], r["wac_value_minor"]) for r in chain] == [
        (17, 1500 + 960, 1548 + 900)]
    other = report("manager_v01", method="fifo", store="V02")
    assert other.status_code == 404 and "no store 'V02' among your stores" in other.text


def test_the_inventory_role_reads_units_but_no_cost_figures(report):
    answer = report("inventory_v01", method="fifo").json()

    assert not {c["name"] for c in answer["columns"]} & COSTS
    assert [(r["sku"], r["store"], r["on_hand"], r["beyond_receipts"]) for r in answer["rows"]] == [
        ("VAL-1", "V01", 12, 0), ("VAL-2", "V01", 5, 2)]
    assert all(not set(r) & COSTS for r in answer["rows"])
    csv_head = report("inventory_v01", ".csv", method="fifo", by="chain").text.splitlines()[0]
    assert csv_head == "currency,on_hand,beyond_receipts"


def test_the_csv_holds_exactly_the_json_rows(report):
    for by in ("product", "store", "chain"):
        json_rows = report("admin", method="fifo", by=by).json()["rows"]
        reply = report("admin", ".csv", method="fifo", by=by)

        assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(reply.text)))
        assert table == [{k: str(v) for k, v in row.items()} for row in json_rows]


def test_an_unknown_method_or_a_method_on_another_report_is_refused(hq):
    def get(path: str, **params: str) -> httpx.Response:
        return httpx.get(f"{hq.url}/api/v1/reports/{path}", params=params, headers=hq.as_["admin"])

    assert get("stock-on-hand", method="lifo").status_code == 422
    refused = get("sales-by-store", method="fifo")
    assert refused.status_code == 422 and "method" in refused.json()["detail"]
