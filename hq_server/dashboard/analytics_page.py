"""GET /analytics: the reports as charts a buyer reads at a glance, each with its CSV export.

Every chart is a report of hq_server.reports run for the signed-in user: a section the role may
not read is left out, cost figures appear only for cost readers, and only the user's stores count.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.catalog import repository as catalog
from hq_server.dashboard.charts import Bar, hbars, trend
from hq_server.dashboard.formats import count, money, parse_day, percent_bp
from hq_server.dashboard.web import Browser, page, to_login
from hq_server.deps import DbSession
from hq_server.reports import service
from hq_server.reports.shapes import DEFAULT_DAYS, Report, Window
from shared.wire import API_PREFIX

router = APIRouter(tags=["dashboard"], include_in_schema=False)
DEAD_DAYS = 30
TOP = 10


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    how: str  # one line on how to read it
    chart: Any
    csv: str
    table: list[tuple[str, ...]] | None = None
    headers: tuple[str, ...] = ()


@router.get("/analytics")
def analytics_page(request: Request, session: DbSession, web: Browser,
                   from_: str = Query("", alias="from", max_length=10), to: str = Query("", max_length=10),
                   period: str = "day", store: str = "") -> Response:
    if web.actor is None:
        return to_login(request, web)
    end, start = parse_day(to) or service.today_utc(), parse_day(from_)
    start = start if start is not None and start <= end else end - timedelta(days=DEFAULT_DAYS - 1)
    start = max(start, end - timedelta(days=3 * 366 - 1))
    period = period if period in ("day", "week") else "day"
    stores = [s for s in catalog.stores(session) if web.actor.scope.allows(s.id)]
    store = store if store in {s.code for s in stores} else ""
    params = service.Params(Window(start, end), period, store or None, days=DEAD_DAYS, limit=TOP,
                            shared={})
    sections = Builder(session, web.actor, params).sections()
    return page(request, web, "analytics.html", {
        "title": "Analytics", "sections": sections, "stores": stores,
        "filters": {"from": start, "to": end, "period": period, "store": store}})


class Builder:
    def __init__(self, session: Session, actor: Actor, params: service.Params) -> None:
        self.session, self.actor, self.p = session, actor, params

    def run(self, name: str, **changes: Any) -> Report | None:
        try:
            return service.run(self.session, self.actor, name, replace(self.p, **changes))
        except service.NotAllowed:
            return None

    def csv(self, name: str, **extra: Any) -> str:
        p = self.p
        query = {"from": p.window.start, "to": p.window.end, "period": p.period, **extra}
        if p.store:
            query["store"] = p.store
        return f"{API_PREFIX}/reports/{name}.csv?{urlencode(query)}"

    def sections(self) -> list[Section]:
        makers = [self.trend, self.top_movers, self.by_category, self.abc, self.gross_profit,
                  self.cashiers, self.dead_stock, self.overrides]
        return [s for s in (make() for make in makers) if s is not None]

    def trend(self) -> Section | None:
        report = self.run("sales-by-store")
        if report is None:
            return None
        currency = _main_currency(report)
        periods = _periods(self.p.window, self.p.period)
        now = {d: 0 for d in periods}
        before: dict[date, int | None] = {d: None for d in periods}
        for r in report.rows:
            if r["currency"] == currency and r["period"] in now:
                now[r["period"]] += r["revenue_minor"]
                if r["last_year_revenue_minor"] is not None:
                    before[r["period"]] = (before[r["period"]] or 0) + r["last_year_revenue_minor"]
        label = "%d %b" if self.p.period == "day" else "wk %d %b"
        total = sum(now.values())
        chart = trend(f"Revenue per {self.p.period}", [d.strftime(label) for d in periods],
                      list(now.values()), list(before.values()), lambda v: money(v, currency))
        yoy = sum(v for v in before.values() if v is not None)
        refunded = sum(r["refunded_minor"] for r in report.rows if r["currency"] == currency)
        how = (f"Revenue per {self.p.period} before returns: {money(total, currency)} in all, "
               f"{money(refunded, currency)} refunded"
               + (f"; the line is the same {self.p.period}s 52 weeks earlier ({money(yoy, currency)})"
                  if yoy else "; no sales a year earlier to compare with") + ".")
        return Section("trend", "Sales trend", how, chart, self.csv("sales-by-store"))

    def top_movers(self) -> Section | None:
        report = self.run("top-movers")
        if report is None:
            return None
        bars = [Bar(r["name"] or r["sku"], r["units"], f"{count(r['units'])} ({r['units_change']:+d})")
                for r in report.rows]
        return Section("movers", "Top movers", "Units sold, best first; in brackets the change on "
                       "the period of the same length before.", hbars("Top movers by units", bars),
                       self.csv("top-movers", limit=TOP))

    def by_category(self) -> Section | None:
        # Revenue per category is also in the gross profit by category that cost readers get
        # below: read the sale lines once for both (the CSV is still sales-by-category's).
        report = (self.run("gross-profit", by="category") if self.actor.sees_costs else None) \
            or self.run("sales-by-category")
        if report is None:
            return None
        currency = _main_currency(report)
        totals: dict[str, int] = {}
        for r in report.rows:
            if r["currency"] == currency:
                totals[r["category"]] = totals.get(r["category"], 0) + r["revenue_minor"]
        bars = [Bar(k, v, money(v, currency)) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])]
        return Section("categories", "Sales by category", "Revenue per category in the period.",
                       hbars("Revenue by category", bars[:TOP]), self.csv("sales-by-category"))

    def abc(self) -> Section | None:
        report = self.run("abc")
        if report is None:
            return None
        currency = _main_currency(report)
        rows = [r for r in report.rows if r["currency"] == currency]
        bars = []
        for klass in "ABC":
            mine = [r for r in rows if r["class"] == klass]
            revenue = sum(r["revenue_minor"] for r in mine)
            bars.append(Bar(f"{klass}: {len(mine)} products", revenue, money(revenue, currency),
                            tone=klass.lower()))
        table = [(r["class"], r["sku"], r["name"] or "", money(r["revenue_minor"], currency),
                  percent_bp(r["cumulative_share_bp"])) for r in rows[:TOP]]
        return Section("abc", "ABC classification", "A: the products making the first 80 % of "
                       "revenue, B: the next 15 %, C: the last 5 %. Keep A in stock first.",
                       hbars("Revenue by ABC class", bars), self.csv("abc"), table,
                       ("Class", "SKU", "Product", "Revenue", "Cumulative share"))

    def gross_profit(self) -> Section | None:
        by_category, by_store = self.run("gross-profit", by="category"), self.run("gross-profit", by="store")
        if by_category is None or by_store is None or not self.actor.sees_costs:
            return None
        charts = []
        for report, key, heading in ((by_store, "store", "By store"), (by_category, "category", "By category")):
            currency = _main_currency(report)
            bars = [Bar(f"{r[key]}", r["gross_profit_minor"],
                        f"{money(r['gross_profit_minor'], currency)} · {percent_bp(r['margin_bp'])}")
                    for r in report.rows if r["currency"] == currency][:TOP]
            charts.append(Markup('<h3 class="chart-sub">%s</h3>') % heading
                          + hbars(f"Gross profit {heading.lower()}", bars))
        return Section("gross-profit", "Gross profit by store and category",
                       "Revenue minus cost of goods (units x today's cost price), and the margin.",
                       Markup("").join(charts), self.csv("gross-profit", by="category"))

    def cashiers(self) -> Section | None:
        report = self.run("sales-by-cashier")
        if report is None:
            return None
        currency = _main_currency(report)
        per: dict[str, list[int]] = {}
        for r in report.rows:
            if r["currency"] == currency:
                figures = per.setdefault(r["cashier"], [0, 0])
                figures[0] += r["revenue_minor"]
                figures[1] += r["transactions"]
        bars = [Bar(name, rev, f"{money(rev, currency)} · {tx} sales · avg {money(_per(rev, tx), currency)}")
                for name, (rev, tx) in sorted(per.items(), key=lambda kv: -kv[1][0])]
        return Section("cashiers", "Cashier performance", "Revenue per cashier, with the number of "
                       "sales and the average basket.", hbars("Revenue by cashier", bars[:TOP]),
                       self.csv("sales-by-cashier"))

    def dead_stock(self) -> Section | None:
        report, total = service.dead_stock_head(self.session, self.actor, self.p, TOP)
        costs = self.actor.sees_costs
        table = [(r["store"], r["sku"], r["name"] or "", count(r["on_hand"]), _day(r["last_sold_at"]),
                  *([money(r["value_minor"], r["currency"])] if costs else []))
                 for r in report.rows]
        headers = ("Store", "SKU", "Product", "On hand", "Last sold", *(("Value at cost",) if costs else ()))
        return Section("dead-stock", f"Dead stock ({count(total)} lines)",
                       f"On hand but not sold in the last {DEAD_DAYS} days"
                       + (", most valuable first." if costs else "."), None,
                       self.csv("dead-stock", days=DEAD_DAYS), table, headers)

    def overrides(self) -> Section | None:
        report = self.run("overrides")
        if report is None:
            return None
        totals: dict[str, int] = {}
        for r in report.rows:
            label = f"{r['action'].replace('_', ' ')} · {r['approved_by']}"
            totals[label] = totals.get(label, 0) + r["overrides"]
        bars = [Bar(k, v, count(v)) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])]
        return Section("overrides", "Override log", "Supervisor overrides at the tills by action and "
                       "approver. Many from one approver or one action is worth a look.",
                       hbars("Overrides by action and approver", bars[:TOP]), self.csv("overrides"))


def _main_currency(report: Report) -> str:
    """The currency with the most revenue (a chain usually has one; charts show one at a time)."""
    totals: dict[str, int] = {}
    for r in report.rows:
        totals[r["currency"]] = totals.get(r["currency"], 0) + abs(r.get("revenue_minor") or 0)
    return max(totals, key=lambda c: totals[c]) if totals else "EUR"


def _per(total: int, count: int) -> int:
    return (2 * total + count) // (2 * count) if count else 0  # average, half up, minor units


def _periods(window: Window, period: str) -> list[date]:
    if period == "week":
        first = window.start - timedelta(days=window.start.weekday())
        return [first + timedelta(weeks=i) for i in range((window.end - first).days // 7 + 1)]
    return [window.start + timedelta(days=i) for i in range(window.days)]


def _day(value: Any) -> str:
    return value.strftime("%d %b %Y") if value else "never"
