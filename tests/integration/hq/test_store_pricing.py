"""Store pricing at HQ: tax rates per class (chain or store), tax-inclusive prices, cash rounding.

Set through the admin API, sent to tills in the `store` change, applied to a real till ledger;
sales of schema 1 (older tills) and schema 2 (with tax and rounding) are both accepted.
"""

from __future__ import annotations

import time

import httpx
import pytest

from shared.events import SaleCompleted, SaleLine, SaleTax, Tender
from shared.ids import new_id
from shared.wire import PullResponse
from tests.integration.hq.helpers import query, scalar
from till.ledger import Ledger
from till.ledger.master_data import apply_pull_page, pricing_rules

STANDARD = {"rate_bp": 2000, "name": "VAT"}


def put(hq_server, path: str, body: dict, headers=None) -> httpx.Response:
    return httpx.put(f"{hq_server.url}/api/v1{path}", json=body,
                     headers=headers or hq_server.admin_headers)


def pricing_of(hq_server, store: str) -> dict:
    reply = httpx.get(f"{hq_server.url}/api/v1/stores/{store}/pricing",
                      headers=hq_server.admin_headers)
    assert reply.status_code == 200, reply.text
    return reply.json()


def latest_store_change(till) -> dict:
    changes = till.pull(limit=1000).json()["changes"]
    return [c for c in changes if c["kind"] == "store" and c["data"]["store_id"] == till.store_id][-1]


def test_a_new_store_starts_tax_inclusive_without_rates_or_rounding(hq_server):
    assert pricing_of(hq_server, "S001") == {"store": "S001", "currency": "EUR",
                                             "prices_include_tax": True, "cash_rounding_minor": 1,
                                             "tax_rates": []}


def test_chain_rates_with_a_store_override_reach_that_stores_till(hq_server, till, tmp_path):
    assert put(hq_server, "/tax-rates/standard", STANDARD).status_code == 200
    assert put(hq_server, "/tax-rates/reduced", {"rate_bp": 550, "name": "VAT"}).status_code == 200
    reply = put(hq_server, "/tax-rates/reduced", {"rate_bp": 700, "name": "VAT", "store": "S001"})
    assert reply.json() == {"tax_class": "reduced", "name": "VAT", "rate_bp": 700, "scope": "store"}
    assert put(hq_server, "/stores/S001/pricing",
               {"prices_include_tax": False, "cash_rounding_minor": 5}).status_code == 200

    s001 = pricing_of(hq_server, "S001")
    assert (s001["prices_include_tax"], s001["cash_rounding_minor"]) == (False, 5)
    assert [(r["tax_class"], r["rate_bp"], r["scope"]) for r in s001["tax_rates"]] == \
        [("reduced", 700, "store"), ("standard", 2000, "chain")]
    assert [r["rate_bp"] for r in pricing_of(hq_server, "S002")["tax_rates"]] == [550, 2000]

    data = latest_store_change(till)["data"]
    assert (data["prices_include_tax"], data["cash_rounding_minor"]) == (False, 5)
    page = PullResponse(**till.pull(limit=1000).json())
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        with ledger.transaction() as uow:
            apply_pull_page(uow, page, till.store_id)
        rules = pricing_rules(ledger.connection())
    assert (rules.prices_include_tax, rules.cash_rounding_minor) == (False, 5)
    assert {c: r.rate_bp for c, r in rules.rates.items()} == {"standard": 2000, "reduced": 700}


def test_removing_a_store_rate_falls_back_to_the_chain_rate(hq_server, till):
    put(hq_server, "/tax-rates/standard", STANDARD)
    put(hq_server, "/tax-rates/standard", {"rate_bp": 2500, "store": "S001"})
    reply = httpx.delete(f"{hq_server.url}/api/v1/tax-rates/standard", params={"store": "S001"},
                         headers=hq_server.admin_headers)
    assert reply.status_code == 204
    assert latest_store_change(till)["data"]["tax_rates"] == [
        {"tax_class": "standard", "name": "VAT", "rate_bp": 2000}]
    again = httpx.delete(f"{hq_server.url}/api/v1/tax-rates/standard", params={"store": "S001"},
                         headers=hq_server.admin_headers)
    assert again.status_code == 404 and "no rate of its own" in again.json()["detail"]


@pytest.mark.parametrize(("path", "body", "words"), [
    ("/tax-rates/standard", {"rate_bp": 20_001}, "0 to 10000 basis points"),
    ("/tax-rates/Standard%20Rate", {"rate_bp": 2000}, "lower-case letters"),
    ("/stores/S001/pricing", {"cash_rounding_minor": 0}, "step of 1 to 10000"),
])
def test_bad_settings_are_refused_in_words_and_change_nothing(hq_server, path, body, words):
    before = scalar(hq_server.database_url, "SELECT count(*) FROM change_log")
    reply = put(hq_server, path, body)
    assert reply.status_code == 422 and words in reply.json()["detail"]
    assert scalar(hq_server.database_url, "SELECT count(*) FROM change_log") == before


def test_only_admins_change_pricing_and_it_is_audited(hq_server, hq_login):
    for role in ("store_manager", "owner"):
        headers = hq_login(role)
        assert put(hq_server, "/stores/S001/pricing", {"cash_rounding_minor": 5}, headers).status_code == 403
        assert put(hq_server, "/tax-rates/standard", STANDARD, headers).status_code == 403
    assert pricing_of(hq_server, "S001")["cash_rounding_minor"] == 1
    assert put(hq_server, "/stores/S001/pricing", {"cash_rounding_minor": 5}).status_code == 200
    (before, after), = query(hq_server.database_url, "SELECT before, after FROM audit_log "
                             "WHERE action = 'store.pricing_changed'")
    assert (before["cash_rounding_minor"], after["cash_rounding_minor"]) == (1, 5)


def sale(till, product, *, schema_2: bool) -> SaleCompleted:
    price = product.price_minor
    if not schema_2:
        lines = [SaleLine(1, str(product.id), product.sku, product.name, 1, price, price)]
        return SaleCompleted(new_id(), till.store_id, "R-OLD", "ann", "EUR", lines, price,
                             [Tender("card", price)], 0, int(time.time() * 1000))
    tax = price * 2000 // 10_000  # an exclusive store: tax on top, then cash rounded
    lines = [SaleLine(1, str(product.id), product.sku, product.name, 1, price, price,
                      "standard", 2000, tax)]
    total = price + tax
    rounding = -(total % 5) if total % 5 < 3 else 5 - total % 5
    return SaleCompleted(new_id(), till.store_id, "R-NEW", "ann", "EUR", lines, total,
                         [Tender("cash", total + rounding + 100)], 100, int(time.time() * 1000),
                         prices_include_tax=False, rounding_minor=rounding,
                         taxes=[SaleTax("standard", 2000, price, tax, total, "VAT")])


def test_hq_accepts_schema_1_and_schema_2_sales_and_keeps_their_totals(hq_server, till):
    product = hq_server.seed.products[0]
    old = sale(till, product, schema_2=False).to_payload()
    for key in ("taxes", "rounding_minor", "prices_include_tax"):
        del old[key]  # exactly what a till from before tax support sends
    old["lines"] = [{k: v for k, v in ln.items() if not k.startswith("tax")} for ln in old["lines"]]
    till.record("SaleCompleted", 1, old)
    new = sale(till, product, schema_2=True)
    till.record("SaleCompleted", SaleCompleted.SCHEMA_VERSION, new.to_payload())

    reply = till.push()

    assert reply.status_code == 200 and reply.json()["applied"] == 2, reply.text
    totals = dict(query(hq_server.database_url, "SELECT receipt_no, total_minor FROM sales"))
    assert totals == {"R-OLD": product.price_minor, "R-NEW": new.total_minor}
    versions = [v for (v,) in query(hq_server.database_url,
                                    "SELECT schema_version FROM events ORDER BY seq")]
    assert versions == [1, 2]
