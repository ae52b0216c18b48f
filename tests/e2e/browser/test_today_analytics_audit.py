"""Today, Analytics and Audit in a real Chromium: figures per role and store, a sale pushed through
the sync API updating Today live, charts with working CSV downloads, no cost figures for the
inventory role. Writes the buyer guide's screenshots to docs/screenshots/."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hq_server.dashboard.formats import money
from hq_server.dashboard.web import NAV
from tests.fixtures.hq import PASSWORD, add_hq_user
from tests.integration.hq.helpers import enrol_till
from tests.integration.hq.reports.helpers import at, days_ago, record_override, sell_at, today

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
USERS = {"buyer": ("buyer@example.com", "tillhq-buyer"), "admin": ("admin@example.com", "tillhq-admin"),
         "manager": ("manager.s001@example.com", "tillhq-manager"),
         "inventory": ("inventory.s001@example.com", PASSWORD)}


@pytest.fixture
def tills(hq_server):
    return {"S001": enrol_till(hq_server, "S001", "front-1"), "S002": enrol_till(hq_server, "S002", "front-1")}


@pytest.fixture
def history(hq_server, tills):
    """Four weeks of sales in both stores (and some a year earlier), three cashiers, overrides."""
    rng = random.Random(7)
    products = hq_server.seed.products
    for till in tills.values():
        for back in range(1, 28):
            for n in range(rng.randint(1, 3)):
                picks = rng.sample(products[:7], rng.randint(1, 2))
                sell_at(till, at(days_ago(back), 9 + n), rng.choice(["Ana", "Ben", "Cleo"]),
                        *[(p, 1) for p in picks])
            if back % 7 == 0:
                sell_at(till, at(days_ago(back) - timedelta(weeks=52), 10), "Ana", (products[0], 1))
        record_override(till, at(days_ago(3), 12), "price_override", "Ben", "Sam")
        assert till.push().status_code == 200


def sign_in(open_page, who: str, path: str, width: int = 1366) -> Page:
    page = open_page(width)
    page.goto(path)
    page.get_by_label("Email").fill(USERS[who][0])
    page.get_by_label("Password").fill(USERS[who][1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("nav.nav")
    return page


def card(page: Page, label: str):
    return page.locator(f'.today-card[data-store="{label}"]')


def test_today_shows_the_days_figures_and_a_pushed_sale_updates_them_live(open_page, hq_server, tills):
    shampoo, cream = hq_server.seed.product("SHA-ARG-250"), hq_server.seed.product("SKN-HYA-50")
    sell_at(tills["S001"], at(today(), 0), "Ana", (shampoo, 2))
    sell_at(tills["S002"], at(today(), 0), "Ben", (cream, 1))
    for till in tills.values():
        assert till.push().status_code == 200
    page = sign_in(open_page, "buyer", "/today")

    expect(page.locator("nav.nav a").first).to_have_text("Today")
    expect(page.locator("#live")).to_have_class("live online")
    s001 = card(page, "S001")
    expect(s001.locator(".sales")).to_have_text(money(2 * 899, "EUR"))
    expect(s001.locator(".transactions")).to_have_text("1")
    expect(s001.locator(".tills")).to_have_text("1 of 1 tills online")
    expect(card(page, "All stores").locator(".sales")).to_have_text(money(2 * 899 + 2499, "EUR"))
    expect(card(page, "All stores").locator(".top-items li")).to_have_count(2)
    expect(card(page, "All stores").locator(".top-items li").first).to_contain_text(shampoo.name)

    tills["S001"].sell((cream, 1))
    assert tills["S001"].push().status_code == 200

    expect(s001.locator(".sales")).to_have_text(money(2 * 899 + 2499, "EUR"), timeout=5_000)
    expect(s001.locator(".transactions")).to_have_text("2")
    expect(s001.locator(".basket")).to_have_text(money((2 * 899 + 2499 + 1) // 2, "EUR"))
    expect(card(page, "All stores").locator(".transactions")).to_have_text("3")
    page.screenshot(path=str(SCREENSHOTS / "today.png"), full_page=True)


def test_a_store_manager_sees_only_their_store_on_today_and_analytics(open_page, hq_server, history):
    page = sign_in(open_page, "manager", "/today", width=820)  # tablet width

    expect(page.locator(".today-card")).to_have_count(1)
    expect(page.locator(".today-card .card-title")).to_have_text("S001")
    assert "S002" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Analytics").click()
    expect(page.locator("select[name=store] option")).to_have_text(["Any", "S001"])
    expect(page.get_by_role("heading", name="Cashier performance")).to_be_visible()
    assert "S002" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_analytics_draws_charts_and_a_csv_link_downloads_csv(open_page, hq_server, history):
    page = sign_in(open_page, "buyer", "/analytics")

    for heading in ("Sales trend", "Top movers", "Sales by category", "ABC classification",
                    "Gross profit by store and category", "Cashier performance"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("#trend svg.chart .bar")).to_have_count(28)
    expect(page.locator("#trend polyline.previous")).to_have_count(1)  # a year earlier
    expect(page.locator("#cashiers svg .bar")).to_have_count(3)
    page.locator("select[name=period]").select_option("week")
    page.get_by_role("button", name="Show").click()
    mondays = {days_ago(n) - timedelta(days=days_ago(n).weekday()) for n in range(28)}
    expect(page.locator("#trend svg.chart .bar")).to_have_count(len(mondays))
    page.screenshot(path=str(SCREENSHOTS / "analytics.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#movers a.csv").click()
    text = Path(download.value.path()).read_text()
    assert text.startswith("sku,name,category,currency,units,revenue_minor,")
    assert len(text.splitlines()) == 1 + 7  # the seven products the history sold


def test_the_inventory_role_sees_no_cost_or_gross_profit_figures(open_page, hq_server, history):
    add_hq_user(hq_server.database_url, USERS["inventory"][0], "inventory", ("S001",))
    page = sign_in(open_page, "inventory", "/analytics")

    expect(page.get_by_role("heading", name="Top movers")).to_be_visible()
    expect(page.get_by_text("cost figures are not shown for your role")).to_be_visible()
    html = page.content()
    assert "Gross profit" not in html and "Value at cost" not in html and "S002" not in html
    page.get_by_role("link", name="Today").click()
    expect(page.locator(".today-card .card-title")).to_have_text("S001")


def test_the_audit_log_filters_and_is_reached_by_keyboard(open_page, hq_server, history):
    page = sign_in(open_page, "admin", "/today")
    page.goto("/devices")
    page.get_by_label("Enrol a till in").select_option("S002")
    page.get_by_role("button", name="Make enrolment code").click()

    page.goto("/today")
    page.keyboard.press("Tab")  # the skip link, then the nav: every page is a link in order
    for _ in range(len(NAV)):  # Audit is the last of the admin's nav
        page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Audit")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Audit")).to_be_visible()
    page.locator("select[name=entity]").select_option("store")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("table.audit tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("admin@example.com")
    expect(rows.first).to_contain_text("enrolment_code.created")
    page.locator("select[name=entity]").select_option("")
    page.get_by_role("button", name="Show").click()
    page.screenshot(path=str(SCREENSHOTS / "audit.png"), full_page=True)
