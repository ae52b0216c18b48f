"""The Today, Analytics and Audit pages as HTML (the browser test drives them in Chromium)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest


@contextlib.contextmanager
def browser(shop, role: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=shop.url, timeout=30) as client:
        email, password = shop.logins[role]
        assert client.post("/login", data={"email": email, "password": password}).status_code == 303
        yield client


def nav(html: str) -> list[str]:
    return re.findall(r'<nav class="nav".*?</nav>', html, re.S)[0].split('href="')[1:]


@pytest.mark.parametrize("path", ["/today", "/analytics", "/audit?entity=product", "/today/figures"])
def test_the_pages_send_a_visitor_who_is_not_signed_in_to_sign_in(shop, path):
    reply = httpx.get(shop.url + path)

    if path == "/today/figures":
        assert reply.status_code == 401
    else:
        assert (reply.status_code, reply.headers["location"]) == (303, "/login?next=" + quote(path, safe=""))


def test_the_nav_puts_today_first_and_audit_only_for_admin_and_owner(shop):
    back_office = ["/reorder", "/purchase-orders", "/transfers", "/counts", "/catalogue", "/analytics"]
    for role, expected in (("admin", ["/today", "/", *back_office, "/customers", "/exceptions", "/devices",
                                      "/audit"]),
                           ("buyer", ["/today", "/", *back_office]),
                           ("owner", ["/today", "/", *back_office, "/customers", "/exceptions", "/audit"])):
        with browser(shop, role) as client:
            assert [h.split('"')[0] for h in nav(client.get("/today").text)] == expected
    with browser(shop, "buyer") as client:
        assert client.get("/audit").status_code == 403


def test_today_shows_each_stores_and_the_chains_figures(shop):
    with browser(shop, "buyer") as client:
        html = client.get("/today").text

    assert 'data-store="All stores"' in html and 'data-store="S001"' in html and 'data-store="S002"' in html
    assert "No sales yet today." in html  # the fixture's sales are from earlier days
    assert "0 of 1 tills online" in html or "1 of 1 tills online" in html


def test_a_store_manager_sees_only_their_store_on_today_and_analytics(shop):
    with browser(shop, "store_manager") as client:
        today, analytics = client.get("/today").text, client.get("/analytics").text

    assert 'data-store="S001"' in today and "S002" not in today and "All stores" not in today
    assert "S002" not in analytics and "Cashier performance" in analytics


def test_analytics_draws_each_readable_report_with_a_csv_link(shop):
    with browser(shop, "buyer") as client:
        html = client.get("/analytics").text
        links = re.findall(r'class="csv" href="([^"]+)"', html)
        downloads = [client.get(link.replace("&amp;", "&")) for link in links]

    assert html.count('<svg class="chart') >= 6
    assert "Gross profit by store and category" in html and "Cashier performance" in html
    assert "Override log" not in html  # as the override log API: admin, owner, store managers
    assert all(d.status_code == 200 and d.headers["content-type"].startswith("text/csv")
               for d in downloads), [d.status_code for d in downloads]
    assert len(links) >= 7


def test_the_inventory_role_sees_no_cost_or_gross_profit_on_analytics(shop):
    with browser(shop, "inventory") as client:
        html = client.get("/analytics").text

    assert "Gross profit" not in html and "Value at cost" not in html and "Cashier" not in html
    assert "cost figures are not shown for your role" in html
    assert "Top movers" in html


def test_the_audit_page_filters_by_user_action_and_date_and_pages_by_50(shop):
    with browser(shop, "admin") as client:
        for _ in range(51):
            assert client.post("/devices/enrolment-codes", data={"store": "S002"}).status_code == 201
        made = {"user": "admin@", "action": "enrolment_code.created", "entity": "store"}
        first, second = client.get("/audit", params=made).text, client.get("/audit", params={**made, "page": 2}).text
        nobody = client.get("/audit", params={"user": "nobody@example.com"}).text
        future = client.get("/audit", params={"from": "2999-01-01"}).text
        users = client.get("/audit", params={"entity": "hq_user"}).text

    assert first.count('data-action="enrolment_code.created"') == 50 and "Older →" in first
    assert second.count('data-action="enrolment_code.created"') == 1 and "← Newer" in second
    assert "51 entries · page 2 of 2" in second
    assert "No audit entries match." in nobody and "No audit entries match." in future
    assert 'data-entity="hq_user"' in users and 'data-entity="store"' not in users
