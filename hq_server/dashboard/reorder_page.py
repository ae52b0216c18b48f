"""GET /reorder: replenishment suggestions per store and vendor; selected lines become draft POs.

Same rules as the JSON API (purchasing.replenishment_api): every role reads the suggestions of
its own stores (costs only for cost readers); admin and buyer turn picked lines into draft
orders, one per store and preferred vendor, in one all-or-nothing step.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from hq_server.catalog import repository as catalog
from hq_server.dashboard.web import Browser, Form, access_refusal, page, redirect, to_login
from hq_server.db.models import Store
from hq_server.deps import DbSession
from hq_server.purchasing import replenishment
from hq_server.purchasing.access import store_in_scope
from hq_server.purchasing.errors import PurchasingError
from hq_server.purchasing.replenishment import Suggestion
from hq_server.purchasing.vendors import all_vendors

router = APIRouter(tags=["dashboard"], include_in_schema=False)

BUYERS = ("admin", "buyer")  # as POST /api/v1/stores/{code}/replenishment/orders
MAX_QUANTITY = 1_000_000  # as the API's Quantity field
NO_VENDOR = "none"


@dataclass(slots=True)
class Group:
    """Suggestion lines of one store from one preferred vendor (vendor None: no preferred one)."""

    store: Store
    vendor_id: uuid.UUID | None
    vendor_name: str | None
    lines: list[Suggestion] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.store.code}-{self.vendor_id or NO_VENDOR}"

    @property
    def total_minor(self) -> int:
        return sum((s.unit_cost_minor or 0) * s.quantity for s in self.lines)


def line_key(store: Store, suggestion: Suggestion) -> str:
    return f"{store.code}:{suggestion.product_id}"


@router.get("/reorder")
def reorder_page(request: Request, session: DbSession, web: Browser,
                 store: str = Query("", max_length=50), vendor: str = Query("", max_length=40)) -> Response:
    if web.actor is None:
        return to_login(request, web)
    return _render(request, session, web, store, vendor)


@router.post("/reorder")
def create_orders(request: Request, session: DbSession, web: Browser, form: Form) -> Response:
    if (refused := access_refusal(request, web, BUYERS, "creating purchase orders")) is not None:
        return refused
    store, vendor = form.get("store", ""), form.get("vendor", "")
    try:
        picks = _picks(form)
    except ValueError as error:
        return _render(request, session, web, store, vendor, error=str(error), entered=form,
                       status_code=422)
    try:
        with session.begin_nested():  # all stores' orders or none
            made = [order for code, store_picks in sorted(picks.items())
                    for order in replenishment.orders_from_suggestions(
                        session, web.actor, store_in_scope(session, web.actor, code), store_picks)]
    except PurchasingError as error:
        return _render(request, session, web, store, vendor, error=str(error), entered=form,
                       status_code=error.status)
    numbers = ",".join(str(order.number) for order in made)
    return redirect(request, web, f"/purchase-orders?status=draft&created={numbers}")


def _picks(form: dict[str, str]) -> dict[str, list[tuple[uuid.UUID, int]]]:
    """{store code: [(product id, quantity)]} from the ticked lines; ValueError in words."""
    picks: dict[str, list[tuple[uuid.UUID, int]]] = {}
    for name in form:
        if not name.startswith("pick:"):
            continue
        key = name.removeprefix("pick:")
        code, _, product = key.rpartition(":")
        try:
            product_id = uuid.UUID(product)
        except ValueError:
            raise ValueError(f"the form names no product {product!r}; reload the page") from None
        text = form.get(f"qty:{key}", "").strip()
        sku = form.get(f"sku:{key}", product)
        if not text.isdigit() or not 0 < int(text) <= MAX_QUANTITY:
            raise ValueError(f"{sku} in {code}: the quantity must be a whole number from 1 to "
                             f"{MAX_QUANTITY:,}, not {text!r}; nothing was ordered")
        picks.setdefault(code, []).append((product_id, int(text)))
    if not picks:
        raise ValueError("tick at least one line to order; nothing was ordered")
    return picks


def _render(request: Request, session: Session, web, store: str, vendor: str, *,  # noqa: ANN001
            error: str | None = None, entered: dict[str, str] | None = None,
            status_code: int = 200) -> Response:
    actor = web.actor
    stores = [s for s in catalog.stores(session) if actor.scope.allows(s.id)]
    chosen = [s for s in stores if s.code == store]
    if store and not chosen and error is None:
        error = f"no store {store!r} among your stores; showing all of them"
    vendors = all_vendors(session)
    vendor = vendor if vendor in {str(v.id) for v in vendors} | {NO_VENDOR} else ""
    groups = _groups(session, chosen or stores, vendor)
    return page(request, web, "reorder.html", {
        "title": "Reorder", "groups": groups, "stores": stores, "vendors": vendors,
        "filters": {"store": store if chosen else "", "vendor": vendor}, "no_vendor": NO_VENDOR,
        "can_order": actor.role in BUYERS, "sees_costs": actor.sees_costs, "line_key": line_key,
        "entered": entered, "error": error,
        "lines": sum(len(g.lines) for g in groups),
    }, status_code)


def _groups(session: Session, stores: list[Store], vendor: str) -> list[Group]:
    """Per store, its suggestions cut into runs of one vendor (they come sorted by vendor)."""
    groups: list[Group] = []
    for store in stores:
        for s in replenishment.suggestions(session, store.id):
            if vendor and (str(s.vendor_id) if s.vendor_id else NO_VENDOR) != vendor:
                continue
            if not groups or groups[-1].store is not store or groups[-1].vendor_id != s.vendor_id:
                groups.append(Group(store, s.vendor_id, s.vendor_name))
            groups[-1].lines.append(s)
    return groups
