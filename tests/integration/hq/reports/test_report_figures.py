"""The reports' figures, read over HTTP from a known set of sales (see conftest)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import httpx

DAY_CREAM_SHAMPOO = 2 * 899 + 2499  # ann's sale
S001_REVENUE = DAY_CREAM_SHAMPOO + 899  # plus bob's


def rows(reply: httpx.Response) -> list[dict]:
    assert reply.status_code == 200, reply.text
    return reply.json()["rows"]


def test_daily_sales_by_store_count_transactions_units_revenue_and_last_year(shop, get):
    found = rows(get("admin", "sales-by-store"))

    assert [(r["period"], r["store"], r["transactions"], r["units"], r["revenue_minor"],
             r["average_basket_minor"], r["last_year_revenue_minor"]) for r in found[:2]] == [
        (str(shop.day - timedelta(days=1)), "S002", 1, 1, 1499, 1499, None),
        (str(shop.day), "S001", 2, 4, S001_REVENUE, S001_REVENUE // 2, 899),
    ]


def test_sales_by_store_net_off_returns_on_the_day_they_happened(shop, get):
    found = rows(get("admin", "sales-by-store"))

    assert [(r["period"], r["store"], r["revenue_minor"], r["returns"], r["refunded_minor"],
             r["net_revenue_minor"]) for r in found] == [
        (str(shop.day - timedelta(days=1)), "S002", 1499, 0, 0, 1499),
        (str(shop.day), "S001", S001_REVENUE, 0, 0, S001_REVENUE),
        (str(shop.day + timedelta(days=1)), "S002", 0, 1, 1499, -1499),
    ]


def test_weekly_sales_by_category_add_up_to_the_same_revenue(get):
    found = rows(get("buyer", "sales-by-category", period="week"))

    assert {r["category"] for r in found} == {"Test"}
    assert sum(r["revenue_minor"] for r in found) == S001_REVENUE + 1499
    assert sum(r["transactions"] for r in found) == 3


def test_sales_by_cashier_come_from_each_sale_events_cashier(shop, get):
    found = rows(get("owner", "sales-by-cashier", store="S001"))

    assert [(r["cashier"], r["transactions"], r["revenue_minor"]) for r in found] == [
        ("ann", 1, DAY_CREAM_SHAMPOO), ("bob", 1, 899)]


def test_top_movers_rank_by_units_and_compare_with_the_period_before(get):
    found = rows(get("buyer", "top-movers", limit=2))

    assert [(r["sku"], r["units"], r["units_previous"], r["units_change"]) for r in found] == [
        ("SHA-ARG-250", 3, 0, 3), ("SKN-HYA-50", 1, 0, 1)]


def test_dead_stock_lists_what_has_not_sold_in_n_days_but_is_on_hand(get):
    found = rows(get("admin", "dead-stock", days=30))

    sold = {("S001", "SHA-ARG-250"), ("S001", "SKN-HYA-50"), ("S002", "BRU-PAD-L")}
    assert len(found) == 20 - len(sold)
    assert not {(r["store"], r["sku"]) for r in found} & sold
    assert {r["value_minor"] for r in found if r["sku"] == "VIT-BIO-60"} == {20 * (1999 // 2)}
    # Over the last day only, nothing has sold: every line on hand is dead.
    assert len(rows(get("admin", "dead-stock", days=1))) == 20


def test_abc_classes_and_shares_follow_revenue(get):
    found = rows(get("buyer", "abc"))

    assert [(r["sku"], r["class"], r["share_bp"], r["cumulative_share_bp"]) for r in found] == [
        ("SHA-ARG-250", "A", 4028, 4028), ("SKN-HYA-50", "A", 3733, 7761),
        ("BRU-PAD-L", "A", 2239, 10000)]


def test_gross_profit_by_category_and_store_uses_todays_cost(get):
    by_store = {r["store"]: r for r in rows(get("owner", "gross-profit", by="store"))}
    by_category = rows(get("owner", "gross-profit"))

    s001_cost = 3 * (899 // 2) + 2499 // 2
    assert (by_store["S001"]["revenue_minor"], by_store["S001"]["cogs_minor"],
            by_store["S001"]["gross_profit_minor"]) == (S001_REVENUE, s001_cost, S001_REVENUE - s001_cost)
    assert by_store["S002"]["gross_profit_minor"] == 1499 - 1499 // 2
    assert [(r["category"], r["gross_profit_minor"], r["margin_bp"]) for r in by_category] == [
        ("Test", S001_REVENUE + 1499 - s001_cost - 1499 // 2, 5004)]


def test_stock_on_hand_is_valued_at_cost_per_store(get):
    found = {r["store"]: r for r in rows(get("admin", "stock-on-hand", by="store"))}

    assert found["S001"]["on_hand"] == 200 - 5 and found["S002"]["on_hand"] == 200 - 1
    full = sum(20 * (p // 2) for p in (899, 949, 1299, 1499, 599, 2499, 1149, 449, 549, 1999))
    assert found["S002"]["value_minor"] == full - 1499 // 2
    assert found["S001"]["value_minor"] == full - 4 * (899 // 2) - 2499 // 2


def test_movements_split_units_in_and_out_by_reason(get):
    found = rows(get("admin", "movements", store="S001"))

    by_reason = {r["reason"]: r for r in found}
    assert (by_reason["opening"]["units_in"], by_reason["sale"]["units_out"]) == (200, 5)
    assert by_reason["sale"]["net"] == -5


def test_override_summary_counts_per_action_and_approver(get):
    found = rows(get("store_manager", "overrides"))

    assert [(r["store"], r["action"], r["approved_by"], r["overrides"]) for r in found] == [
        ("S001", "price_override", "Sam", 2), ("S001", "no_sale", "Sam", 1)]


def test_csv_streams_the_same_rows_by_suffix_or_format(shop, get):
    for reply in (get("buyer", "sales-by-store.csv"), get("buyer", "sales-by-store", format="csv")):
        assert reply.status_code == 200
        assert reply.headers["content-type"].startswith("text/csv")
        assert "attachment" in reply.headers["content-disposition"]
        table = list(csv.DictReader(io.StringIO(reply.text)))
        assert [(r["store"], r["revenue_minor"], r["net_revenue_minor"]) for r in table] == [
            ("S002", "1499", "1499"), ("S001", str(S001_REVENUE), str(S001_REVENUE)),
            ("S002", "0", "-1499")]


def test_bad_parameters_and_unknown_reports_are_refused_in_words(get):
    assert get("admin", "no-such-report").status_code == 404
    assert get("admin", "sales-by-store", **{"from": "2026-02-01", "to": "2026-01-01"}).status_code == 422
    assert get("admin", "gross-profit", by="cashier").status_code == 422
    assert get("admin", "sales-by-store", period="month").status_code == 422
