"""The dashboard's pages: GET / (live stock), /today, /reorder, /purchase-orders, /transfers,
/counts, /catalogue, /analytics, /customers, /exceptions, /devices, /audit, and signing in.

Every page needs a signed-in user (dashboard.web); each shows only the stores the user's scope
allows, and offers only what their role may do (the same rules as the JSON API).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hq_server.dashboard import (
    analytics_page,
    audit_page,
    catalogue_page,
    counts_page,
    customers_page,
    devices_page,
    exceptions_page,
    login,
    orders_page,
    reorder_page,
    stock_panels,
    today_page,
    transfers_page,
)
from hq_server.dashboard.service import COUNT_CAP, LEVELS, StockFilters, stock_grid
from hq_server.dashboard.web import STATIC_DIR, Browser, page, to_login
from hq_server.deps import DbSession
from shared.wire import API_PREFIX

__all__ = ["STATIC_DIR", "router"]

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@router.get("/")
def stock_page(request: Request, session: DbSession, web: Browser,
               q: str = Query("", max_length=100), page_no: int = Query(1, ge=1, alias="page"),
               category: str = Query("", max_length=200), vendor: str = Query("", max_length=64),
               level: str = Query("", max_length=10)) -> Response:
    if web.actor is None:
        return to_login(request, web)
    grid = stock_grid(session, q, page_no, web.actor.scope, StockFilters(q, category, vendor, level))
    return page(request, web, "stock.html", {"grid": grid, "live_path": f"{API_PREFIX}/live",
                                             "levels": LEVELS, "count_cap": COUNT_CAP,
                                             "title": "Stock"})


for _pages in (login.router, today_page.router, reorder_page.router, orders_page.router,
               transfers_page.router, counts_page.router, catalogue_page.router,
               analytics_page.router, customers_page.router, exceptions_page.router,
               devices_page.router, audit_page.router, stock_panels.router):
    router.include_router(_pages)
