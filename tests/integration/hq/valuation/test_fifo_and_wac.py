"""Stock valuation, weighted average and FIFO, read over HTTP from the story in conftest."""

from __future__ import annotations

import httpx

V01_VAL1 = {"on_hand": 12, "value_minor": 10 * 130 + 2 * 100, "wac_value_minor": 12 * 129}
V02_VAL1 = {"on_hand": 5, "value_minor": 5 * 160, "wac_value_minor": 5 * 129}
V01_VAL2 = {"on_hand": 5, "value_minor": 3 * 200 + 2 * 180, "wac_value_minor": 5 * 180}


def body(reply: httpx.Response) -> dict:
    assert reply.status_code == 200, reply.text
    return reply.json()


def mine(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["sku"], r["store"]): r for r in rows if r["sku"].startswith("VAL-")}


def test_fifo_takes_each_stores_newest_receipts_and_wac_todays_average(report):
    found = mine(body(report("admin", method="fifo"))["rows"])

    assert set(found) == {("VAL-1", "V01"), ("VAL-1", "V02"), ("VAL-2", "V01")}
    for key, expected in ((("VAL-1", "V01"), V01_VAL1), (("VAL-1", "V02"), V02_VAL1),
                          (("VAL-2", "V01"), V01_VAL2)):
        assert {k: found[key][k] for k in expected} == expected, key
    assert (found[("VAL-1", "V01")]["unit_cost_minor"], found[("VAL-2", "V01")]["unit_cost_minor"]) == (
        129, 180)


def test_units_beyond_every_receipt_are_valued_at_todays_cost_and_the_notes_say_so(report):
    answer = body(report("admin", method="fifo", store="V01"))
    found = mine(answer["rows"])

    assert found[("VAL-2", "V01")]["beyond_receipts"] == 2
    assert found[("VAL-1", "V01")]["beyond_receipts"] == 0
    assert any("2 units on hand are beyond every known receipt" in n for n in answer["notes"])
    assert answer["params"]["method"] == "fifo"


def test_weighted_average_stays_the_default_method(report):
    answer = body(report("admin"))
    found = mine(answer["rows"])

    assert answer["params"]["method"] == "wac"
    assert found[("VAL-1", "V01")]["value_minor"] == V01_VAL1["wac_value_minor"]
    assert "wac_value_minor" not in found[("VAL-1", "V01")]
    assert "beyond_receipts" not in {c["name"] for c in answer["columns"]}


def test_store_totals_add_up_to_the_chain_total(report):
    stores = {r["store"]: r for r in body(report("owner", method="fifo", by="store"))["rows"]}
    chain = body(report("owner", method="fifo", by="chain"))["rows"]

    v01 = V01_VAL1["value_minor"] + V01_VAL2["value_minor"]
    assert (stores["V01"]["on_hand"], stores["V01"]["value_minor"], stores["V01"]["beyond_receipts"]) == (
        17, v01, 2)
    assert (stores["V02"]["value_minor"], stores["V02"]["wac_value_minor"]) == (800, 645)
    # The seed's stores hold only opening stock (no receipts): FIFO falls back to WAC there.
    for code in ("S001", "S002"):
        assert stores[code]["value_minor"] == stores[code]["wac_value_minor"]
        assert stores[code]["beyond_receipts"] == stores[code]["on_hand"]
    assert [(r["currency"], r["on_hand"], r["value_minor"], r["wac_value_minor"]) for r in chain] == [
        ("EUR", sum(s["on_hand"] for s in stores.values()),
         sum(s["value_minor"] for s in stores.values()),
         sum(s["wac_value_minor"] for s in stores.values()))]
    assert chain[0]["value_minor"] - chain[0]["wac_value_minor"] == (1500 - 1548) + (800 - 645) + (960 - 900)


def test_wac_chain_total_equals_the_fifo_reports_wac_column(report):
    wac = body(report("buyer", by="chain"))["rows"]
    fifo = body(report("buyer", by="chain", method="fifo"))["rows"]

    assert [r["value_minor"] for r in wac] == [r["wac_value_minor"] for r in fifo]


def test_by_category_values_the_valuation_products_together(report):
    found = {r["category"]: r for r in body(report("admin", method="fifo", by="category"))["rows"]}

    assert found["Valuation"]["value_minor"] == 1500 + 800 + 960
    assert found["Valuation"]["wac_value_minor"] == 1548 + 645 + 900
