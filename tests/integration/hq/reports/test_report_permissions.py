"""Every report x every role: who may read it, which stores they see, and cost figures omitted
(not zeroed) for roles that may not see costs. Signed-out and cookie-signed-in reads too."""

from __future__ import annotations

import httpx
import pytest

from hq_server.reports.service import REPORTS

ROLES = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")
COST_COLUMNS = {"unit_cost_minor", "value_minor", "cogs_minor", "gross_profit_minor", "margin_bp",
                "outstanding_value_minor"}
MAY_READ = {
    "sales-by-store": set(ROLES), "sales-by-category": set(ROLES), "top-movers": set(ROLES),
    "dead-stock": set(ROLES), "abc": set(ROLES), "stock-on-hand": set(ROLES),
    "movements": set(ROLES), "expiring-batches": set(ROLES), "sell-through": set(ROLES),
    "open-pos": set(ROLES),
    "sales-by-cashier": {"admin", "owner", "buyer", "store_manager"},
    "gross-profit": {"admin", "owner", "buyer", "store_manager"},
    "overrides": {"admin", "owner", "store_manager"},
    "exceptions": {"admin", "owner", "store_manager"},
}
SEES_COSTS = {"admin", "owner", "buyer", "store_manager"}
HAS_COSTS = {"dead-stock", "stock-on-hand", "gross-profit", "open-pos"}


def test_the_matrix_names_every_report():
    assert set(MAY_READ) == set(REPORTS)


@pytest.mark.parametrize("report", sorted(MAY_READ))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_only_what_it_may_and_costs_only_if_it_sees_costs(get, role, report):
    reply = get(role, report)

    if role not in MAY_READ[report]:
        assert reply.status_code == 403, reply.text
        assert role in reply.json()["detail"]
        return
    assert reply.status_code == 200, reply.text
    body = reply.json()
    names = {c["name"] for c in body["columns"]}
    row_keys = set().union(*(r.keys() for r in body["rows"])) if body["rows"] else set()
    if role in SEES_COSTS:
        assert bool(names & COST_COLUMNS) == (report in HAS_COSTS)
    else:
        assert not names & COST_COLUMNS and not row_keys & COST_COLUMNS
    stores = {r.get("store") for r in body["rows"]} - {None}
    if role in ("store_manager", "inventory"):
        assert stores <= {"S001"}
    else:  # chain-wide roles (the viewer too) see every store's rows, as the admin does
        assert len(body["rows"]) == len(get("admin", report).json()["rows"])


def test_the_inventory_role_sees_on_hand_but_no_valuation(get):
    body = get("inventory", "stock-on-hand", by="store").json()

    assert body["rows"] == [{"store": "S001", "currency": "EUR", "on_hand": 195}]


def test_a_store_manager_sees_only_their_stores_sales(get):
    found = get("store_manager", "sales-by-store").json()["rows"]

    assert [r["store"] for r in found] == ["S001"]
    refused = get("store_manager", "sales-by-store", store="S002")
    assert refused.status_code == 404 and refused.json() == {"detail": "no store 'S002' among your stores"}


def test_the_list_of_reports_is_what_the_role_may_read(shop):
    for role in ROLES:
        reply = httpx.get(f"{shop.url}/api/v1/reports", headers=shop.as_[role])
        names = {r["name"] for r in reply.json()["reports"]}
        assert names == {n for n, roles in MAY_READ.items() if role in roles}


def test_reports_need_sign_in_by_token_or_dashboard_cookie(shop):
    assert httpx.get(f"{shop.url}/api/v1/reports/abc").status_code == 401
    assert httpx.get(f"{shop.url}/api/v1/reports/abc",
                     headers={"Authorization": "Bearer nope"}).status_code == 401
    with httpx.Client(base_url=shop.url) as browser:
        assert browser.post("/login", data={"email": "buyer@example.com",
                                            "password": "tillhq-buyer"}).status_code == 303
        reply = browser.get("/api/v1/reports/abc.csv")
    assert reply.status_code == 200 and reply.text.startswith("class,sku,")
