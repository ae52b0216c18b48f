"""The product page's forms: details, barcodes, prices, bundle components (admin and buyer).

Details and barcodes go through the CSV importer as a one-row file (catalogue_admin.
product_edit); prices and components through the API's endpoint functions, so the checks,
audit and publishing to tills are the API's. Each runs in a savepoint: a refusal leaves
nothing half-done, and the page comes back with the reasons and status 422.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from hq_server.auth.web import WebSession
from hq_server.catalogue_admin import endpoints as api
from hq_server.catalogue_admin.access import EDITOR_ROLES
from hq_server.catalogue_admin.importer import ImportResult
from hq_server.catalogue_admin.product_edit import (
    EDITABLE,
    edit_product,
    with_barcode,
    without_barcode,
)
from hq_server.catalogue_admin.products import NotFound, barcodes_by_product, product_by_sku
from hq_server.catalogue_admin.schemas import ComponentsIn, PriceIn
from hq_server.dashboard.catalogue_product_page import render, sku_path
from hq_server.dashboard.web import Browser, Form, access_refusal, redirect
from hq_server.deps import DbSession

router = APIRouter(tags=["dashboard"], include_in_schema=False)
MAX_COMPONENT_LINES = 100


class Refused(Exception):
    """A change the domain said no to; `reasons` are shown to the buyer."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@router.post("/catalogue/{sku}/{form_name}")
def change(sku: str, form_name: str, request: Request, session: DbSession, web: Browser,
           form: Form) -> Response:
    if (refused := access_refusal(request, web, EDITOR_ROLES, "changing the catalogue")) is not None:
        return refused
    handler = HANDLERS.get(form_name)
    if handler is None:
        return render(request, session, web, sku, errors=[f"unknown form {form_name!r}"], status_code=404)
    try:
        with session.begin_nested():
            done = handler(session, web, sku, form)
    except NotFound as missing:
        return render(request, session, web, sku, errors=[str(missing)], status_code=404)
    except Refused as refusal:
        return render(request, session, web, sku, errors=refusal.reasons, status_code=422)
    return redirect(request, web, f"{sku_path(sku)}?done={done}")


@router.post("/catalogue/{sku}/prices/{entry_id}/end")
def end_price(sku: str, entry_id: uuid.UUID, request: Request, session: DbSession,
              web: Browser) -> Response:
    if (refused := access_refusal(request, web, EDITOR_ROLES, "changing prices")) is not None:
        return refused
    try:
        with session.begin_nested():
            api.end_price(entry_id, session, web.actor)
    except HTTPException as refusal:
        return render(request, session, web, sku, errors=[str(refusal.detail)],
                      status_code=refusal.status_code)
    return redirect(request, web, f"{sku_path(sku)}?done=price-ended")


def _details(session: Session, web: WebSession, sku: str, form: dict[str, str]) -> str:
    changes = {k: form[k] for k in EDITABLE if k in form and k != "active"}
    if not web.actor.sees_costs:  # type: ignore[union-attr]
        changes.pop("cost", None)
    changes["active"] = "true" if form.get("active") else "false"
    return _edited(session, web, sku, changes, "details")


def _add_barcode(session: Session, web: WebSession, sku: str, form: dict[str, str]) -> str:
    code = form.get("barcode", "").strip()
    if not code:
        raise Refused(["Type or scan the barcode to add."])
    return _edited(session, web, sku, {"barcodes": with_barcode(_barcodes(session, sku), code)},
                   "barcode-added")


def _remove_barcode(session: Session, web: WebSession, sku: str, form: dict[str, str]) -> str:
    current = _barcodes(session, sku)
    if form.get("barcode", "") not in current:
        raise Refused([f"{sku} has no barcode {form.get('barcode', '')!r}."])
    return _edited(session, web, sku, {"barcodes": without_barcode(current, form["barcode"])},
                   "barcode-removed")


def _add_price(session: Session, web: WebSession, sku: str, form: dict[str, str]) -> str:
    try:
        body = PriceIn(sku=sku, store=form.get("store") or None, price=form.get("price", "").strip(),
                       starts_at=_moment(form.get("starts_at", "")),
                       ends_at=_moment(form.get("ends_at", "")))
        api.add_price(body, session, web.actor)  # type: ignore[arg-type]
    except ValidationError:
        raise Refused(["Give the price as an amount, e.g. 4.99."]) from None
    except ValueError as error:
        raise Refused([str(error)]) from None
    except HTTPException as refusal:
        raise Refused([str(refusal.detail)]) from None
    return "price-added"


def _components(session: Session, web: WebSession, sku: str, form: dict[str, str]) -> str:
    lines = []
    for n in range(MAX_COMPONENT_LINES):
        component = form.get(f"component_{n}", "").strip()
        if component:
            quantity = form.get(f"quantity_{n}", "").strip() or "1"
            if not quantity.isdigit():
                raise Refused([f"The quantity of {component} must be a whole number."])
            lines.append({"sku": component, "quantity": int(quantity)})
    try:
        api.put_components(sku, ComponentsIn(components=lines), session, web.actor)  # type: ignore[arg-type]
    except ValidationError:
        raise Refused(["Quantities are whole numbers from 1 to 10,000."]) from None
    except HTTPException as refusal:
        raise Refused([str(refusal.detail)]) from None
    return "components"


HANDLERS = {"details": _details, "barcodes": _add_barcode, "barcodes-remove": _remove_barcode,
            "prices": _add_price, "components": _components}


def _edited(session: Session, web: WebSession, sku: str, changes: dict[str, str], done: str) -> str:
    result: ImportResult = edit_product(session, web.actor, product_by_sku(session, sku), changes)  # type: ignore[arg-type]
    if result.error_count:
        raise Refused([f"{e.column.replace('_', ' ').capitalize()}: {e.message}" for e in result.errors])
    return done if result.updated else "unchanged"


def _barcodes(session: Session, sku: str) -> list[str]:
    product = product_by_sku(session, sku)
    return barcodes_by_product(session, [product.id])[product.id]


def _moment(text: str) -> datetime | None:
    """A datetime-local field, read as UTC (the page says so); empty is None."""
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time") from None
