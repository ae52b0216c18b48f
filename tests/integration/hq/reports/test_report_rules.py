"""The pure parts: ABC boundaries, margins, CSV cells, windows."""

from __future__ import annotations

from datetime import date

import httpx
import psycopg

from hq_server.db.session import psycopg_conninfo
from hq_server.reports.csv_out import cell
from hq_server.reports.shapes import Window, abc_classes, margin_bp


def test_abc_puts_items_in_a_until_80_percent_of_revenue_comes_before_them():
    assert abc_classes([50, 30, 10, 5, 3, 2]) == ["A", "A", "B", "B", "C", "C"]


def test_the_best_seller_is_a_even_when_it_alone_is_most_of_the_revenue():
    assert abc_classes([90, 6, 4]) == ["A", "B", "C"]


def test_abc_of_nothing_sold_is_c():
    assert abc_classes([0, 0]) == ["C", "C"]


def test_margin_is_in_basis_points_rounded_half_up_and_none_without_revenue():
    assert margin_bp(6695, 3350) == 5004
    assert margin_bp(200, -50) == -2500
    assert margin_bp(0, 0) is None


def test_csv_cells_defuse_spreadsheet_formulas_and_blank_nones():
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("-5 off") == "'-5 off"
    assert cell(-5) == -5
    assert cell(None) == ""


def test_year_before_lines_up_weekdays():
    window = Window(date(2026, 3, 2), date(2026, 3, 8))
    assert window.year_before().start.weekday() == window.start.weekday()
    assert window.before() == Window(date(2026, 2, 23), date(2026, 3, 1))


def test_exceptions_report_counts_open_oversells_by_store(hq_server, till):
    brush = hq_server.seed.product("BRU-PAD-L")
    till.sell((brush, hq_server.seed.opening_stock + 1))
    assert till.push().status_code == 200

    reply = httpx.get(f"{hq_server.url}/api/v1/reports/exceptions", headers=hq_server.admin_headers)

    assert reply.json()["rows"] == [
        {"store": "S001", "kind": "oversell", "open": 1, "resolved": 0, "total": 1}]


def test_today_counts_a_till_offline_once_hq_has_not_heard_from_it_for_two_minutes(hq_server, till):
    till.sell((hq_server.seed.products[0], 2))
    assert till.push().status_code == 200
    with httpx.Client(base_url=hq_server.url) as browser:
        browser.post("/login", data={"email": "manager.s001@example.com", "password": "tillhq-manager"})
        fresh = browser.get("/today/figures").text
        with psycopg.connect(psycopg_conninfo(hq_server.database_url), autocommit=True) as conn:
            conn.execute("UPDATE devices SET last_seen_at = now() - interval '3 minutes'")
        stale = browser.get("/today/figures").text

    assert "1 of 1 tills online" in fresh and "€17.98" in fresh and "S002" not in fresh
    assert "0 of 1 tills online" in stale
