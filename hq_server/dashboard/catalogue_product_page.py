"""GET /catalogue/{sku}: one product with its barcodes, prices, variants and bundle.

Reads go through the catalogue API's own endpoint functions (catalogue_admin.endpoints), so
each role sees what the API shows it: cost only with Actor.sees_costs, store prices and bundle
availability only for the user's stores. The changes are in catalogue_product_edits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from hq_server.auth.web import WebSession
from hq_server.batches import service as batches
from hq_server.catalog import repository as catalog
from hq_server.catalogue_admin import endpoints as api
from hq_server.catalogue_admin.access import EDITOR_ROLES
from hq_server.catalogue_admin.product_edit import entries_of
from hq_server.catalogue_admin.products import NotFound, product_by_sku
from hq_server.dashboard.web import Browser, page, to_login
from hq_server.db.models import Product
from hq_server.deps import DbSession

router = APIRouter(tags=["dashboard"], include_in_schema=False)

NOTICES = {"details": "Product saved; tills get the change on their next sync.",
           "unchanged": "Nothing to save: the product already had those values.",
           "barcode-added": "Barcode added.", "barcode-removed": "Barcode removed.",
           "price-added": "Price added.", "price-ended": "Price ended.",
           "components": "Bundle components saved."}
SOURCES = {"store": "store price", "chain_schedule": "chain-wide scheduled", "base": "base price"}


def sku_path(sku: str) -> str:
    return "/catalogue/" + quote(sku, safe="")


@router.get("/catalogue/{sku}")
def product_page(sku: str, request: Request, session: DbSession, web: Browser,
                 done: str = "") -> Response:
    if web.actor is None:
        return to_login(request, web)
    return render(request, session, web, sku, notice=NOTICES.get(done))


def render(request: Request, session: Session, web: WebSession, sku: str, *,
           notice: str | None = None, errors: list[str] | None = None,
           status_code: int = 200) -> Response:
    actor = web.actor
    assert actor is not None
    try:
        product = product_by_sku(session, sku)
    except NotFound as missing:
        return page(request, web, "catalogue_product.html",
                    {"title": "Not in the catalogue", "missing": str(missing)}, 404)
    parent = session.get(Product, product.parent_id) if product.parent_id else None
    family = api.list_variants(parent.sku if parent else sku, session, actor)
    shown = next(p for p in [family["parent"], *family["variants"]] if p["sku"] == sku)
    components = api.get_components(sku, session, actor)["components"]
    stores = [s for s in catalog.stores(session) if actor.scope.allows(s.id)]
    codes = {s.code for s in stores}
    return page(request, web, "catalogue_product.html", {
        "title": f"{sku} — {product.name}", "p": shown, "updated_at": product.updated_at,
        "family": family if family["variants"] else None, "parent": parent,
        "components": components, "availability": _availability(session, actor, sku, components),
        "store_prices": api.product_prices(sku, session, actor, None)["stores"],
        "entries": [(e, code) for e, code in entries_of(session, product.id, datetime.now(UTC))
                    if code is None or code in codes],
        "stores": stores, "sources": SOURCES, "can_edit": actor.role in EDITOR_ROLES,
        "sees_costs": actor.sees_costs, "notice": notice, "errors": errors or [],
        "here_path": sku_path(sku), "sku_path": sku_path, "now": datetime.now(UTC),
        "batches": _batches(session, actor, product, stores)}, status_code)


def _batches(session: Session, actor: Any, product: Product, stores: list) -> list[dict[str, Any]] | None:
    """A batch-tracked product's batches per store, in FEFO order, each marked expired or
    expiring (within the store's alert window); None for a product that tracks no batches."""
    if not batches.is_tracked(session, product.id):
        return None
    today = datetime.now(UTC).date()
    shown = []
    for store in stores:
        held = batches.describe(batches.holding(session, actor, product.sku, store.code), today)
        if not held["batches"] and not held["on_hand"] and not held["unbatched"]:
            continue
        window = batches.alert_days(session, store.id)
        for lot in held["batches"]:
            lot["state"] = ("expired" if lot["days_left"] < 0
                            else "expiring" if lot["days_left"] <= window else "ok")
        next_out = next((lot for lot in held["batches"] if lot["state"] != "expired"), None)
        shown.append({**held, "store_name": store.name, "alert_days": window, "next_out": next_out})
    return shown


def _availability(session: Session, actor: Any, sku: str, components: list) -> list[dict[str, Any]]:
    if not components:
        return []
    try:
        return api.bundle_availability(sku, session, actor)["stores"]
    except HTTPException:
        return []
