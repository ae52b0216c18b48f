"""Catalogue administration API: CSV import/export, variants, bundles, store and scheduled prices.

Thin: each handler checks who is asking and hands over to a service. Writes need admin or buyer
(access.Editor); reads need a signed-in user, and cost prices only reach Actor.sees_costs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hq_server.auth.deps import CurrentUser
from hq_server.catalogue_admin import bundles, prices, products
from hq_server.catalogue_admin.access import Editor
from hq_server.catalogue_admin.exporter import stream_export
from hq_server.catalogue_admin.importer import errors_csv, import_products
from hq_server.catalogue_admin.models import PriceEntry
from hq_server.catalogue_admin.schemas import ComponentsIn, PriceIn
from hq_server.catalogue_admin.upload import UploadError, spool
from hq_server.db import cost_wall
from hq_server.db.models import Product, Store
from hq_server.deps import DbSession
from hq_server.json_response import json_response
from hq_server.one_hop import one_hop
from shared.money import Money, MoneyError

router = APIRouter(prefix="/catalogue", tags=["catalogue"])


def chain_currency(session: Session, asked: str | None) -> str:
    if asked:
        return asked.upper()
    currencies = sorted(set(session.scalars(select(Store.currency))))
    if len(currencies) != 1:
        raise HTTPException(422, "the stores sell in several currencies (or there are no stores): "
                                 "say which this file is in with ?currency=EUR")
    return currencies[0]


@router.post("/products/import")
async def import_csv(request: Request, session: DbSession, user: Editor,
                     currency: str | None = None, dry_run: bool = False,
                     report: str = "json") -> object:
    """Body: the CSV itself (Content-Type: text/csv), or a multipart form whose first part is
    the file (curl -F file=@products.csv). All rows apply, or none (422 + report)."""
    try:
        upload = await spool(request.stream(), request.headers.get("content-type", ""))
    except UploadError as error:
        raise HTTPException(422, str(error)) from None
    with upload:
        money = await run_in_threadpool(chain_currency, session, currency)
        try:
            result = await run_in_threadpool(import_products, session, user, upload,
                                             currency=money, dry_run=dry_run)
        except MoneyError as error:
            raise HTTPException(422, str(error)) from None
    if result.error_count and (report == "csv" or "text/csv" in request.headers.get("accept", "")):
        return PlainTextResponse(errors_csv(result.errors), 422, media_type="text/csv")
    return JSONResponse(result.as_dict(), 422 if result.error_count else 200)


@router.get("/products.csv")
def export_csv(request: Request, user: CurrentUser, currency: str | None = None) -> StreamingResponse:
    """Every product in the import's format; no cost column for roles that may not see costs."""
    chunks = _export_chunks(request.app.state.engine, user.sees_costs, currency)
    return StreamingResponse(chunks, media_type="text/csv", headers={
        "Content-Disposition": 'attachment; filename="products.csv"'})


def _export_chunks(engine: Engine, sees_costs: bool, currency: str | None) -> Iterator[bytes]:
    raw = engine.raw_connection()  # its own connection: the request's session ends before we stream
    try:
        if not sees_costs:  # the second wall too (hq_server.db.cost_wall); the rollback ends it
            raw.driver_connection.execute(cost_wall.RAISE_WALL)
        yield from stream_export(raw.driver_connection, sees_costs=sees_costs,  # type: ignore[arg-type]
                                 currency=currency.upper() if currency else None)
    finally:
        raw.rollback()
        raw.close()


def _product(session: DbSession, sku: str) -> Product:
    try:
        return products.product_by_sku(session, sku)
    except products.NotFound as error:
        raise HTTPException(404, str(error)) from None


@router.get("/products/{sku}/variants")
def list_variants(sku: str, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """A parent's variants (their own SKUs, barcodes and prices) with their size/colour."""
    parent = _product(session, sku)
    variants = products.variants_of(session, parent.id)
    codes = products.barcodes_by_product(session, [parent.id, *(v.id for v in variants)])
    return {"parent": products.product_out(parent, codes[parent.id], user.sees_costs),
            "variants": [products.product_out(v, codes[v.id], user.sees_costs) for v in variants]}


@router.get("/products/{sku}/components")
def get_components(sku: str, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    bundle = _product(session, sku)
    return {"sku": bundle.sku, "components": _components_out(bundles.components_of(session, bundle.id))}


@router.put("/products/{sku}/components")
def put_components(sku: str, body: ComponentsIn, session: DbSession, user: Editor) -> dict[str, Any]:
    """Make `sku` a bundle of these components (an empty list makes it a plain product again)."""
    bundle = _product(session, sku)
    try:
        made = bundles.set_components(session, user, bundle, [(c.sku, c.quantity) for c in body.components])
    except bundles.BundleError as error:
        raise HTTPException(422, str(error)) from None
    return {"sku": bundle.sku, "components": _components_out(made)}


def _components_out(components: list) -> list[dict[str, Any]]:
    return [{"sku": p.sku, "name": p.name, "quantity": q} for p, q in components]


def bundle_availability(sku: str, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """Per store you may see: how many bundles its stock of components makes (the dashboard's
    product page shows it too)."""
    rows = bundles.availability_by_sku(session, sku)
    if not rows:
        _product(session, sku)  # 404 if there is no such product
        raise HTTPException(422, f"{sku} is not a bundle: it has no components")
    return {"sku": sku, "stores": [{"store": code, "available": n}
                                   for sid, code, n in rows if user.scope.allows(sid)]}


# A hot read: JSON built here (hq_server.json_response); `name` keeps the operation's id.
@router.get("/products/{sku}/availability", name="bundle_availability", response_model=dict[str, Any])
@one_hop
def bundle_availability_json(sku: str, session: DbSession, user: CurrentUser) -> Response:
    """Per store you may see: how many bundles its stock of components makes."""
    return json_response(bundle_availability(sku, session, user))


@router.get("/products/{sku}/prices")
def product_prices(sku: str, session: DbSession, user: CurrentUser,
                   at: datetime | None = None) -> dict[str, Any]:
    """The price each store you may see charges at `at` (default now), and where it comes from."""
    product = _product(session, sku)
    when = at or datetime.now(UTC)
    allowed = {s.code for s in session.scalars(select(Store)) if user.scope.allows(s.id)}
    return {"sku": product.sku, "at": when.isoformat(), "currency": product.currency,
            "stores": [{"store": p.store_code, "price_minor": p.price_minor, "source": p.source,
                        "price": Money(p.price_minor, product.currency).to_decimal_str()}
                       for p in prices.effective_prices(session, product.id, when)
                       if p.store_code in allowed]}


@router.post("/prices", status_code=201)
def add_price(body: PriceIn, session: DbSession, user: Editor) -> dict[str, Any]:
    """A store's price (store set) or a chain-wide scheduled price (store omitted), from
    starts_at (default now) until ends_at (default: until replaced or ended)."""
    product = _product(session, body.sku)
    try:
        store = products.store_by_code(session, body.store) if body.store else None
        minor = Money.parse(body.price, product.currency).minor
        entry = prices.add_price(session, user, product=product, store=store, price_minor=minor,
                                 starts_at=body.starts_at, ends_at=body.ends_at)
    except products.NotFound as error:
        raise HTTPException(404, str(error)) from None
    except (MoneyError, prices.PriceError) as error:
        raise HTTPException(422, str(error)) from None
    return prices.entry_dict(entry, product.sku, body.store)


@router.delete("/prices/{entry_id}")
def end_price(entry_id: uuid.UUID, session: DbSession, user: Editor) -> dict[str, Any]:
    """End a running price now, or cancel one that has not started."""
    entry = session.get(PriceEntry, entry_id)
    if entry is None:
        raise HTTPException(404, f"no price entry {entry_id}")
    product = session.get(Product, entry.product_id)
    store = session.get(Store, entry.store_id) if entry.store_id else None
    try:
        prices.end_price(session, user, entry, product.sku if product else "?", store.code if store else None)
    except prices.PriceError as error:
        raise HTTPException(422, str(error)) from None
    return {"id": str(entry_id), "ended": True}


@router.get("/price-lists/{store}")
def price_list(store: str, session: DbSession, user: CurrentUser,
               at: datetime | None = None) -> dict[str, Any]:
    """A store's price entries running at `at` (default now) or starting later; `chain` for
    the chain-wide scheduled changes."""
    target = None
    if store != "chain":
        try:
            target = products.store_by_code(session, store)
        except products.NotFound as error:
            raise HTTPException(404, str(error)) from None
        if not user.scope.allows(target.id):
            raise HTTPException(403, f"store {store} is not one of yours")
    rows = prices.price_list(session, target.id if target else None, at or datetime.now(UTC))
    return {"store": store, "entries": [prices.entry_dict(e, sku, store if target else None)
                                        for e, sku in rows]}


@router.post("/prices/apply-scheduled")
def apply_scheduled(session: DbSession, user: Editor) -> dict[str, int]:
    """Publish prices whose start or end has come (the app also does this every minute)."""
    return {"applied": prices.apply_scheduled_prices(session)}
