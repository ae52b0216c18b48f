"""The Analytics page reads each set of sale lines once: dead stock's first lines and count from
the recent sales alone, gross profit by store and by category in one pass, the top movers' and
ABC's per-product sales shared; and the figures are the reports' own (real PostgreSQL)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, time, timedelta

import httpx
from sqlalchemy import event

from hq_server.auth.identity import Actor, StoreScope
from hq_server.dashboard.analytics_page import DEAD_DAYS, TOP, Builder
from hq_server.db.models import Store
from hq_server.reports import repository as q
from hq_server.reports import service
from hq_server.reports.shapes import Window
from tests.integration.hq.dashboard_catalogue.conftest import LOGINS


def figures(rows) -> list[tuple]:  # noqa: ANN001
    return [(r.sku, r.store, int(r.on_hand), r.last_sold_at, int(r.cost_minor)) for r in rows]


def test_dead_stock_head_is_the_full_reports_first_lines_with_its_count(shop):
    end = service.today_utc()

    def check(session) -> None:  # noqa: ANN001
        s001 = session.query(Store.id).filter(Store.code == "S001").scalar()
        for days in (1, 30):
            since = datetime.combine(end, time(), UTC) + timedelta(days=1 - days)
            for scope, store in ((StoreScope(True), None), (StoreScope(True), "S002"),
                                 (StoreScope(False, frozenset({s001})), None)):
                for by_value in (True, False):
                    full = q.dead_stock(session, scope, since, store, by_value)
                    head = q.dead_stock_head(session, scope, since, store, by_value, 3)
                    assert figures(head) == figures(full[:3])
                    assert {r.total for r in head} == {len(full)}

    shop.in_transaction(check)


def test_gross_profit_by_category_and_store_in_one_pass_equals_each_report(shop):
    end = service.today_utc()

    def check(session) -> None:  # noqa: ANN001
        for window, store in ((Window.ending(end), None), (Window.ending(end, 7), "S001"),
                              (Window.ending(end - timedelta(days=200)), None)):
            both = q.gross_profit_by_category_and_store(session, StoreScope(True), window, store)
            for key in ("category", "store"):
                one = q.gross_profit(session, StoreScope(True), window, store, key)
                assert [tuple(r[1:]) for r in both[key]] == [tuple(r) for r in one]

    shop.in_transaction(check)


def test_the_page_builds_every_chart_in_eight_queries(shop):
    """Fourteen before: the per-product sales twice, gross profit twice, sales by category beside
    gross profit by category, and dead stock over every sale ever made. The sales trend reads this
    window, last year's, the gift cards sold and the returns in one statement (eleven before)."""
    actor = Actor(uuid.uuid4(), "admin@example.com", "admin", StoreScope(True))
    end = service.today_utc()
    statements: list[str] = []

    def build(session) -> list:  # noqa: ANN001
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        params = service.Params(Window.ending(end), days=DEAD_DAYS, limit=TOP, shared={})
        return Builder(session, actor, params).sections()

    sections = shop.in_transaction(build)
    assert [s.id for s in sections] == ["trend", "movers", "categories", "abc", "gross-profit",
                                        "cashiers", "dead-stock", "overrides"]
    assert len(statements) == 8, "\n\n".join(statements)
    assert sum("GROUPING SETS" in s for s in statements) == 1


def test_the_page_counts_dead_stock_and_shows_category_revenue_per_role(shop):
    pages = {}
    for role in ("admin", "inventory"):
        with httpx.Client(base_url=shop.url, timeout=60) as client:
            email, password = LOGINS[role]
            assert client.post("/login", data={"email": email, "password": password}).status_code == 303
            pages[role] = client.get("/analytics").text

    # 20 (product, store) lines on hand; 3 sold in the last 30 days (2 at S001, 1 at S002).
    assert "Dead stock (17 lines)" in pages["admin"]
    assert "Dead stock (8 lines)" in pages["inventory"]  # S001 only
    categories = {role: re.search(r'id="categories".*?</section>', page, re.S).group(0)
                  for role, page in pages.items()}
    assert "Test" in categories["admin"] and "€66.95" in categories["admin"]  # 51.96 + 14.99
    assert "Test" in categories["inventory"] and "€51.96" in categories["inventory"]
