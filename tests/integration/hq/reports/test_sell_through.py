"""Sell-through (sold / (sold + on hand at the window's end)) per product, category and store,
within the reader's stores; a past window reads the on-hand it had then."""

from __future__ import annotations

from tests.integration.hq.reports.helpers import days_ago


def _on_hand(get, role: str, sku: str, store: str) -> int:  # noqa: ANN001
    rows = get(role, "stock-on-hand", by="product", store=store).json()["rows"]
    return next(r["on_hand"] for r in rows if r["sku"] == sku)


def test_sell_through_per_product_is_sold_over_sold_plus_what_is_left(get):
    body = get("admin", "sell-through", by="product", store="S001").json()
    rows = {r["sku"]: r for r in body["rows"]}
    left = _on_hand(get, "admin", "SHA-ARG-250", "S001")

    shampoo = rows["SHA-ARG-250"]
    assert (shampoo["sold"], shampoo["on_hand_at_end"]) == (3, left)  # 2 + 1 in the window
    assert shampoo["sell_through_bp"] == (2 * 3 * 10000 + 3 + left) // (2 * (3 + left))
    assert rows["SKN-HYA-50"]["sold"] == 1
    assert "BRU-PAD-L" not in {sku for sku, r in rows.items() if r["sold"]}  # sold in S002 only


def test_a_past_window_reads_the_on_hand_it_had_then(get):
    # Every movement of this HQ (the seed's opening stock too) was recorded today, so a window
    # that ended yesterday had none of it on hand: what sold in it sold through entirely.
    before = get("admin", "sell-through", by="product", store="S001",
                 **{"from": str(days_ago(10)), "to": str(days_ago(1))}).json()
    rows = {r["sku"]: r for r in before["rows"]}

    assert (rows["SHA-ARG-250"]["sold"], rows["SHA-ARG-250"]["on_hand_at_end"]) == (3, 0)
    assert rows["SHA-ARG-250"]["sell_through_bp"] == 10000
    assert set(rows) == {"SHA-ARG-250", "SKN-HYA-50"}  # nothing else was in play then


def test_sell_through_by_store_and_category_sums_the_products(get):
    by_store = {r["store"]: r for r in get("admin", "sell-through", by="store").json()["rows"]}
    products = get("admin", "sell-through", by="product", store="S002").json()["rows"]

    assert by_store["S002"]["sold"] == sum(r["sold"] for r in products) == 1
    assert by_store["S002"]["on_hand_at_end"] == sum(r["on_hand_at_end"] for r in products)
    categories = get("admin", "sell-through", store="S001").json()
    assert categories["params"]["by"] == "category"
    assert sum(r["sold"] for r in categories["rows"]) == 4


def test_a_store_manager_reads_only_their_stores_sell_through(get):
    mine = get("store_manager", "sell-through", by="store").json()["rows"]
    assert [r["store"] for r in mine] == ["S001"]
    refused = get("admin", "sell-through", by="vendor")
    assert refused.status_code in (400, 422) and "by must be one of" in refused.text
