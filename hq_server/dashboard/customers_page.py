"""GET /customers: find a customer by name, phone or email, 50 to a page; /customers/{id}: their
details, points balance and postings, purchases and negative-loyalty exceptions; and one
purchase's receipt lines.

Same rules as GET /api/v1/customers (customers.endpoints): admin, owner and store managers read.
Customers are chain-wide (one found at any store), so every reader finds them all; purchases,
postings and exceptions show only the reader's stores.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hq_server.auth.web import WebSession
from hq_server.catalog import repository as catalog
from hq_server.customers import repository as customers
from hq_server.customers import service
from hq_server.dashboard import repository
from hq_server.dashboard.catalogue_product_page import sku_path
from hq_server.dashboard.web import CUSTOMER_READERS, Browser, access_refusal, page
from hq_server.deps import DbSession

router = APIRouter(tags=["dashboard"], include_in_schema=False)

PAGE_SIZE = 50
HISTORY = 50  # purchases and postings shown on a customer's page
WHAT = "customers"


@router.get("/customers")
def customers_page(request: Request, session: DbSession, web: Browser,
                   q: str = Query("", max_length=200),
                   page_no: int = Query(1, ge=1, le=100_000, alias="page")) -> Response:
    if (refused := access_refusal(request, web, CUSTOMER_READERS, WHAT)) is not None:
        return refused
    q = q.strip()
    # One more than a page: whether there is a next page, without counting every match.
    found = customers.search(session, q, PAGE_SIZE + 1, offset=(page_no - 1) * PAGE_SIZE)
    homes = {store.id: store.code for store in catalog.stores(session)}  # one query, not one a row
    rows = [{"id": c.id, "name": c.name, "phone": c.phone, "email": c.email,
             "home_store": homes.get(c.home_store_id), "points_balance": c.points_balance}
            for c in found[:PAGE_SIZE]]
    return page(request, web, "customers.html", {
        "title": "Customers", "rows": rows, "q": q, "page": page_no,
        "more": len(found) > PAGE_SIZE,
        "link": lambda n: "/customers?" + urlencode({**({"q": q} if q else {}), "page": n})})


@router.get("/customers/{customer_id}")
def customer_page(customer_id: uuid.UUID, request: Request, session: DbSession,
                  web: Browser) -> Response:
    if (refused := access_refusal(request, web, CUSTOMER_READERS, WHAT)) is not None:
        return refused
    row = customers.get(session, customer_id)
    if row is None:
        return _missing(request, web, "No such customer: it may have been typed wrong.")
    scope = web.actor.scope
    sales = customers.recent_sales(session, customer_id, scope, HISTORY)
    postings = customers.recent_postings(session, customer_id, scope, HISTORY)
    tills = repository.device_names(session, (p.device_id for p, _ in postings))
    return page(request, web, "customer.html", {
        "title": row.name or "Customer", "c": service.summary(session, row), "updated_at": row.updated_at,
        "sales": sales, "postings": postings, "tills": tills, "history": HISTORY,
        "exceptions": customers.negative_loyalty(session, customer_id, scope, HISTORY),
        "chain_wide": scope.all_stores})


@router.get("/customers/{customer_id}/purchases/{sale_id}")
def purchase_page(customer_id: uuid.UUID, sale_id: uuid.UUID, request: Request,
                  session: DbSession, web: Browser) -> Response:
    if (refused := access_refusal(request, web, CUSTOMER_READERS, WHAT)) is not None:
        return refused
    row = customers.get(session, customer_id)
    found = customers.purchase(session, customer_id, sale_id, web.actor.scope) if row else None
    if found is None:  # another store's sale reads as missing: its reader may not learn of it
        return _missing(request, web, "No such purchase among this customer's in your stores.")
    till = repository.device_names(session, [found.device_id]).get(found.device_id)
    return page(request, web, "customer_purchase.html", {
        "title": f"Receipt {found.CustomerSale.receipt_no}", "c": row, "sale": found.CustomerSale,
        "store": found.store, "till": till, "sku_path": sku_path,
        "lines": customers.purchase_lines(session, sale_id)})


def _missing(request: Request, web: WebSession, message: str) -> Response:
    return page(request, web, "customer.html", {"title": "Customer not found", "missing": message},
                404)
