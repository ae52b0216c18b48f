"""GET /catalogue: the products, searched by SKU, name or barcode, by category, 50 to a page;
GET /catalogue/export.csv: the whole catalogue in the import's format.

Every signed-in role reads the catalogue, as GET /api/v1/catalogue/...; the product page
(catalogue_product_page) and the CSV import (catalogue_import_page) offer changes only to the
roles catalogue_admin.access allows.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hq_server.catalogue_admin import endpoints as api
from hq_server.catalogue_admin import listing
from hq_server.catalogue_admin.access import EDITOR_ROLES
from hq_server.dashboard import (
    catalogue_import_page,
    catalogue_product_edits,
    catalogue_product_page,
)
from hq_server.dashboard.catalogue_product_page import sku_path
from hq_server.dashboard.web import Browser, page, to_login
from hq_server.deps import DbSession

router = APIRouter(tags=["dashboard"], include_in_schema=False)
PAGE_SIZE = 50


@router.get("/catalogue")
def catalogue_page(request: Request, session: DbSession, web: Browser,
                   q: str = Query("", max_length=100), category: str = Query("", max_length=500),
                   page_no: int = Query(1, ge=1, le=100_000, alias="page")) -> Response:
    if web.actor is None:
        return to_login(request, web)
    q = q.strip()
    rows, total = listing.search(session, q, category, limit=PAGE_SIZE,
                                 offset=(page_no - 1) * PAGE_SIZE)
    filters = {"q": q, "category": category}
    return page(request, web, "catalogue.html", {
        "title": "Catalogue", "rows": rows, "total": total, "page": page_no,
        "pages": max(1, -(-total // PAGE_SIZE)), "filters": filters,
        "categories": listing.categories(session), "can_edit": web.actor.role in EDITOR_ROLES,
        "sku_path": sku_path,
        "link": lambda n: "/catalogue?" + urlencode({**{k: v for k, v in filters.items() if v}, "page": n})})


@router.get("/catalogue/export.csv")
def export_csv(request: Request, web: Browser) -> Response:
    """The API's export under the browser's sign-in: no cost column for roles without costs."""
    if web.actor is None:
        return to_login(request, web)
    return web.apply(request, api.export_csv(request, web.actor, None))


# After the fixed paths above and the import's: /catalogue/{sku} takes whatever is left.
router.include_router(catalogue_import_page.router)
router.include_router(catalogue_product_page.router)
router.include_router(catalogue_product_edits.router)
