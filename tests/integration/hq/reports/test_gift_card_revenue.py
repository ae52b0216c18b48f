"""Gift card loads are money owed to the card holder, not revenue: the reports count goods only
and show the loads in their own column, so goods + gift cards sold = what the tills took.

One HQ of its own (real PostgreSQL, real sync API). At S001 today: ann sells 2 shampoo and loads
€50.00 on card A; bob sells a day cream paid with card A; ann sells a €20.00 card B alone; then ann
takes back one shampoo (damaged) and card B's load (refunded in cash).
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from hq_server.auth.identity import Actor, StoreScope
from hq_server.dashboard.analytics_page import Builder
from hq_server.reports import service
from hq_server.reports.shapes import Window
from hq_server.reports.today import today
from shared.events import SaleCompleted, SaleLine, Tender
from shared.gift_card_events import GiftCardPosted
from shared.gift_cards import GIFT_CARD_PRODUCT_ID, luhn_check_digit, mask
from shared.ids import new_id
from shared.override_events import Refund, ReturnCompleted, ReturnLine
from tests.fixtures.hq import signed_in_hq
from tests.integration.hq.helpers import ScriptedTill, enrol_till, scalar

CARD_A = "603600000000002" + luhn_check_digit("603600000000002")
CARD_B = "603600000000003" + luhn_check_digit("603600000000003")
LOAD_A, LOAD_B = 5000, 2000


def _load_line(line_no: int, card: str, amount: int) -> SaleLine:
    """The line a till sells a load on (till.gift_cards.service.add_load): untaxed, not stock."""
    return SaleLine(line_no, GIFT_CARD_PRODUCT_ID, card, f"Gift card {mask(card)} load", 1, amount,
                    amount, tax_class="not_taxed")


def _goods_line(line_no: int, product: Any, quantity: int) -> SaleLine:
    return SaleLine(line_no, str(product.id), product.sku, product.name, quantity,
                    product.price_minor, product.price_minor * quantity)


def _sell(till: ScriptedTill, cashier: str, lines: list[SaleLine], tender: str, card: str = "") -> None:
    total = sum(line.line_total_minor for line in lines)
    sale = SaleCompleted(sale_id=new_id(), store_id=till.store_id, receipt_no=f"R{new_id()[-6:]}",
                         cashier=cashier, currency=till.currency, lines=lines, total_minor=total,
                         tenders=[Tender(tender, total, card)], change_minor=0,
                         completed_at_ms=int(datetime.now(UTC).timestamp() * 1000))
    till.record(SaleCompleted.TYPE, SaleCompleted.SCHEMA_VERSION, sale.to_payload())


def _post(till: ScriptedTill, card: str, delta: int, reason: str) -> None:
    posted = GiftCardPosted(card, till.store_id, delta, till.currency, reason)
    till.record(GiftCardPosted.TYPE, 1, posted.to_payload())


def _take_back(till: ScriptedTill, product: Any) -> None:
    """One shampoo (damaged) and card B's load come back; both refunded in cash."""
    lines = [ReturnLine(str(product.id), product.sku, product.name, 1, product.price_minor,
                        product.price_minor, "damaged", False),
             ReturnLine(GIFT_CARD_PRODUCT_ID, CARD_B, "Gift card load", 1, LOAD_B, LOAD_B,
                        "damaged", False)]
    total = product.price_minor + LOAD_B
    ret = ReturnCompleted(return_id=new_id(), store_id=till.store_id, original_sale_id="",
                          original_receipt_no="", lines=lines, total_minor=total,
                          refunds=[Refund("cash", total)], shift_id="", cashier="ann",
                          currency=till.currency,
                          completed_at_ms=int(datetime.now(UTC).timestamp() * 1000))
    till.record(ReturnCompleted.TYPE, ReturnCompleted.SCHEMA_VERSION, ret.to_payload())
    _post(till, CARD_B, -LOAD_B, "unload")


@pytest.fixture(scope="module")
def gift_shop(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    with signed_in_hq(pg_cluster.url_for(_database_pool.take()), {}) as running:
        till = enrol_till(running, "S001", "till-gift")
        shampoo, cream = running.seed.product("SHA-ARG-250"), running.seed.product("SKN-HYA-50")
        _sell(till, "ann", [_goods_line(1, shampoo, 2), _load_line(2, CARD_A, LOAD_A)], "card")
        _post(till, CARD_A, LOAD_A, "load")
        _sell(till, "bob", [_goods_line(1, cream, 1)], "gift_card", CARD_A)
        _post(till, CARD_A, -cream.price_minor, "redeem")
        _sell(till, "ann", [_load_line(1, CARD_B, LOAD_B)], "cash")
        _post(till, CARD_B, LOAD_B, "load")
        _take_back(till, shampoo)
        reply = till.push()
        assert reply.status_code == 200 and reply.json()["applied"] == 8, reply.text
        running.goods_minor = 2 * shampoo.price_minor + cream.price_minor
        running.cogs_minor = 2 * (shampoo.price_minor // 2) + cream.price_minor // 2  # the seed's costs
        running.shampoo = shampoo
        yield running


def _rows(shop: Any, report: str, role: str = "admin", **params: Any) -> list[dict]:
    reply = httpx.get(f"{shop.url}/api/v1/reports/{report}", params=params, headers=shop.as_[role],
                      timeout=30)
    assert reply.status_code == 200, reply.text
    return reply.json()["rows"]


def test_sales_by_store_count_goods_and_show_the_loads_as_gift_cards_sold(gift_shop):
    (row,) = _rows(gift_shop, "sales-by-store", store="S001")

    assert (row["transactions"], row["units"], row["revenue_minor"]) == (2, 3, gift_shop.goods_minor)
    assert row["gift_cards_sold_minor"] == LOAD_A + LOAD_B
    assert row["average_basket_minor"] == (gift_shop.goods_minor + 1) // 2  # half up


def test_goods_revenue_plus_gift_cards_sold_is_what_the_tills_took(gift_shop):
    (row,) = _rows(gift_shop, "sales-by-store", store="S001")
    took = scalar(gift_shop.database_url, "SELECT sum(total_minor) FROM sales")

    assert row["revenue_minor"] + row["gift_cards_sold_minor"] == took == gift_shop.goods_minor + 7000


def test_a_returned_load_is_no_refund_of_revenue_and_paying_by_card_is_no_refund(gift_shop):
    (row,) = _rows(gift_shop, "sales-by-store", store="S001")
    price = gift_shop.shampoo.price_minor

    assert (row["returns"], row["refunded_minor"], row["gift_cards_refunded_minor"]) == (1, price, LOAD_B)
    assert row["net_revenue_minor"] == gift_shop.goods_minor - price


def test_the_csv_export_carries_the_gift_cards_sold_column(gift_shop):
    reply = httpx.get(f"{gift_shop.url}/api/v1/reports/sales-by-store.csv",
                      params={"store": "S001"}, headers=gift_shop.as_["admin"], timeout=30)
    assert reply.status_code == 200, reply.text
    (row,) = list(csv.DictReader(io.StringIO(reply.text)))

    assert (row["revenue_minor"], row["gift_cards_sold_minor"]) == (str(gift_shop.goods_minor), "7000")
    assert row["gift_cards_refunded_minor"] == str(LOAD_B)


def test_gross_profit_is_goods_revenue_less_their_cost(gift_shop):
    for by in ("store", "category"):
        (row,) = _rows(gift_shop, "gross-profit", by=by)
        assert (row["revenue_minor"], row["cogs_minor"], row["gross_profit_minor"]) == (
            gift_shop.goods_minor, gift_shop.cogs_minor, gift_shop.goods_minor - gift_shop.cogs_minor)


def test_category_and_cashier_sales_hold_no_gift_card(gift_shop):
    categories = _rows(gift_shop, "sales-by-category")
    cashiers = _rows(gift_shop, "sales-by-cashier")

    assert [(r["category"], r["units"], r["revenue_minor"]) for r in categories] == [
        ("Test", 3, gift_shop.goods_minor)]
    assert [(r["cashier"], r["transactions"], r["revenue_minor"]) for r in cashiers] == [
        ("ann", 1, 2 * gift_shop.shampoo.price_minor),
        ("bob", 1, gift_shop.goods_minor - 2 * gift_shop.shampoo.price_minor)]  # paid by card: full


def test_top_movers_and_abc_rank_products_only(gift_shop):
    movers = _rows(gift_shop, "top-movers")
    abc = _rows(gift_shop, "abc")

    assert {r["sku"] for r in movers} == {r["sku"] for r in abc} == {"SHA-ARG-250", "SKN-HYA-50"}
    assert sum(r["revenue_minor"] for r in abc) == gift_shop.goods_minor
    assert abc[-1]["cumulative_share_bp"] == 10000


def test_todays_figures_count_goods_and_show_the_gift_cards_apart(gift_shop):
    def read(session) -> Any:  # noqa: ANN001
        return today(session, StoreScope(True))

    s001 = next(f for f in gift_shop.in_transaction(read).stores if f.store.code == "S001")

    assert (s001.sales_minor, s001.transactions, s001.units) == (gift_shop.goods_minor, 2, 3)
    assert s001.gift_cards_sold_minor == LOAD_A + LOAD_B
    assert {item.sku for item in s001.top} == {"SHA-ARG-250", "SKN-HYA-50"}


def test_the_analytics_trend_reads_goods_revenue(gift_shop):
    actor = Actor(uuid.uuid4(), "admin@example.com", "admin", StoreScope(True))
    params = service.Params(Window.ending(service.today_utc()), shared={})

    def trend(session) -> Any:  # noqa: ANN001
        return Builder(session, actor, params).trend()

    how = gift_shop.in_transaction(trend).how
    assert f"€{gift_shop.goods_minor / 100:.2f} in all" in how
    assert f"€{gift_shop.shampoo.price_minor / 100:.2f} refunded" in how
