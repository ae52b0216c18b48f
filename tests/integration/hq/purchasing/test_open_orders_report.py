"""The open purchase orders report: what is still coming, per order, within the reader's stores,
with the outstanding value for cost readers only (JSON and CSV)."""

from __future__ import annotations

from tests.integration.hq.purchasing.conftest import PurchasingHQ


def _mine(hq: PurchasingHQ, who: str, numbers: set[str], **params: str) -> dict[str, dict]:
    body = hq.ok(who, "GET", "/reports/open-pos" + ("?" + "&".join(f"{k}={v}" for k, v in params.items())
                                                    if params else ""))
    return {row["po"]: row for row in body["rows"] if row["po"] in numbers}


def test_open_orders_show_what_is_still_coming_and_leave_drafts_and_finished_ones_out(hq):
    vendor = hq.vendor()
    sent = hq.order(vendor["id"], [(0, 10, 250), (1, 4, 1000)])
    part = hq.order(vendor["id"], [(2, 6, 300)])
    hq.ok("admin", "POST", f"/purchase-orders/{part['id']}/receipts", {"lines": [{"line_no": 1, "quantity": 2}]})
    draft = hq.order(vendor["id"], [(0, 1, 100)], status="draft")
    done = hq.order(vendor["id"], [(3, 1, 100)])
    hq.ok("admin", "POST", f"/purchase-orders/{done['id']}/receipts", {"lines": [{"line_no": 1, "quantity": 1}]})
    numbers = {_po(o) for o in (sent, part, draft, done)}

    rows = _mine(hq, "buyer", numbers)

    assert set(rows) == {_po(sent), _po(part)}
    whole, partial = rows[_po(sent)], rows[_po(part)]
    assert (whole["status"], whole["lines"], whole["ordered"], whole["received"], whole["outstanding"]) == (
        "sent", 2, 14, 0, 14)
    assert whole["outstanding_value_minor"] == 10 * 250 + 4 * 1000
    assert whole["vendor"] == vendor["name"] and whole["store"] == "S001" and whole["days_open"] == 0
    assert (partial["status"], partial["received"], partial["outstanding"]) == ("partially_received", 2, 4)
    assert partial["outstanding_value_minor"] == 4 * 300


def test_open_orders_stay_within_the_readers_stores_and_hide_value_from_inventory_staff(hq):
    vendor = hq.vendor()
    here, there = hq.order(vendor["id"], [(0, 3, 500)]), hq.order(vendor["id"], [(0, 5, 500)], store="S002")
    numbers = {_po(here), _po(there)}

    assert set(_mine(hq, "manager_s002", numbers)) == {_po(there)}
    inventory = hq.ok("inventory", "GET", "/reports/open-pos")
    assert "outstanding_value_minor" not in {c["name"] for c in inventory["columns"]}
    assert {r["po"] for r in inventory["rows"] if r["po"] in numbers} == {_po(here)}
    assert all("outstanding_value_minor" not in r and r["store"] == "S001" for r in inventory["rows"])
    assert set(_mine(hq, "admin", numbers, store="S002")) == {_po(there)}

    csv = hq.call("buyer", "GET", "/reports/open-pos.csv?store=S002")
    assert csv.status_code == 200, csv.text
    assert _po(there) in csv.text and _po(here) not in csv.text


def _po(order: dict) -> str:
    return order["number"]  # "PO-<n>", as the report names it
