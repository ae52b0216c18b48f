"""The stock page's parts loaded after it: a cell's explanation, and the per-store totals.

GET /stock/explain: why a cell shows its number (the last count, then every movement). The page
opens it in a dialog (`partial=1` answers just the panel); without script the cell's link opens
it as a page. Same rules as GET /api/v1/inventory/ledger, whose service
(inventory.ledger.explain) it renders: any signed-in role, only within its stores.

GET /stock/totals: the store cards (units, low, out) for the page's filters; they read every
stock row, so the page fetches them rather than waiting for them.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hq_server.dashboard.service import StockFilters, store_totals
from hq_server.dashboard.web import Browser, page, templates, to_login
from hq_server.deps import DbSession
from hq_server.inventory import ledger
from hq_server.inventory import repository as inventory
from hq_server.inventory.endpoints import readable_store
from hq_server.inventory.errors import InventoryError

router = APIRouter(tags=["dashboard"], include_in_schema=False)

REASONS = {"sale": "Sale", "return": "Return", "opening": "Opening stock", "count": "Count",
           "transfer_out": "Transfer out", "transfer_in": "Transfer in", "damage": "Damage",
           "theft": "Theft", "found": "Found", "correction": "Correction", "receipt": "Goods received",
           "adjustment": "Adjustment", "count_absorbed": "Absorbed by count"}


def reason_label(reason: str) -> str:
    return REASONS.get(reason, reason.replace("_", " ").capitalize())


@router.get("/stock/explain")
def explain_page(request: Request, session: DbSession, web: Browser,
                 product: str = Query(max_length=100), store: str = Query(max_length=100),
                 partial: bool = False) -> Response:
    if web.actor is None:
        return to_login(request, web)
    try:
        explained = ledger.explain(session, inventory.product(session, product),
                                   readable_store(session, web.actor, store), limit=200)
        context, status = {"x": explained, "error": None}, 200
    except InventoryError as error:
        context, status = {"x": None, "error": str(error)}, error.status
    context |= {"reason_label": reason_label, "title": "Why this number"}
    if partial:
        response = templates.TemplateResponse(request, "_stock_explain.html", context, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        return web.apply(request, response)
    return page(request, web, "_stock_explain_page.html", context, status)


@router.get("/stock/totals")
def totals_part(request: Request, session: DbSession, web: Browser, q: str = Query("", max_length=100),
                category: str = Query("", max_length=200), vendor: str = Query("", max_length=64),
                level: str = Query("", max_length=10)) -> Response:
    if web.actor is None:
        return to_login(request, web)
    totals = store_totals(session, web.actor.scope, StockFilters(q, category, vendor, level))
    response = templates.TemplateResponse(request, "_stock_totals.html", {"totals": totals})
    response.headers["Cache-Control"] = "no-store"
    return web.apply(request, response)
