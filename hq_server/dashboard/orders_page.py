"""GET /purchase-orders: purchase orders by status; edit, approve, send, cancel, close, receive.

Same rules as the JSON API (purchasing.orders_api): every role reads its own stores' orders
(costs only for cost readers); admin and buyer edit draft lines and move orders through their
life; admin, buyer, store_manager and inventory receive against sent orders of their stores
(more than ordered only admin and store_manager: receiving.OVER_RECEIVERS). The domain's refusal
is shown in its own words, with what was typed kept on the screen.
"""

from __future__ import annotations

import uuid
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from hq_server.batches.service import tracked_among
from hq_server.catalog import repository as catalog
from hq_server.dashboard.web import (
    Browser,
    Form,
    access_refusal,
    forbidden,
    page,
    redirect,
    to_login,
)
from hq_server.deps import DbSession
from hq_server.purchasing import order_summaries, orders, receiving
from hq_server.purchasing.errors import NotFound, PurchasingError
from hq_server.purchasing.models import PO_STATUSES
from hq_server.purchasing.orders import TRANSITIONS, LineRequest
from hq_server.purchasing.orders_api import order_out
from hq_server.purchasing.vendors import all_vendors
from shared.money import Money, MoneyError

router = APIRouter(tags=["dashboard"], include_in_schema=False)

READERS = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")
BUYERS = ("admin", "buyer")
RECEIVERS = ("admin", "buyer", "store_manager", "inventory")
PAGE_SIZE = 50
MAX_QUANTITY = 1_000_000
NOTICES = {"approved": "{n} approved: it can now be sent to the vendor.",
           "sent": "{n} marked as sent: receive the goods when they arrive.",
           "cancelled": "{n} cancelled.", "closed": "{n} closed: the rest will not come.",
           "saved": "Lines of {n} saved.", "received": "Receipt posted on {n}."}


@router.get("/purchase-orders")
def orders_page(request: Request, session: DbSession, web: Browser, status: str = Query("", max_length=30),
                store: str = Query("", max_length=50), vendor: str = Query("", max_length=40),
                created: str = Query("", max_length=2000),
                page_no: int = Query(1, ge=1, le=100_000, alias="page")) -> Response:
    if web.actor is None:
        return to_login(request, web)
    actor = web.actor
    if actor.role not in READERS:
        return forbidden(request, web, "purchase orders")
    stores = [s for s in catalog.stores(session) if actor.scope.allows(s.id)]
    store_row = next((s for s in stores if s.code == store), None)
    vendors = all_vendors(session)
    vendor_row = next((v for v in vendors if str(v.id) == vendor), None)
    status = status if status in PO_STATUSES else ""
    filters = {"store": store_row.code if store_row else "", "vendor": str(vendor_row.id) if vendor_row else ""}
    counts = order_summaries.counts_by_status(session, actor, store_id=store_row and store_row.id,
                                              vendor_id=vendor_row and vendor_row.id)
    total = counts.get(status, 0) if status else sum(counts.values())
    found = orders.listing(session, actor, store_id=store_row and store_row.id,
                           vendor_id=vendor_row and vendor_row.id, status=status or None,
                           limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)

    def link(**change: object) -> str:
        query = {**filters, "status": status, "page": page_no, **change}
        return "/purchase-orders?" + urlencode({k: v for k, v in query.items() if v and v != 1})

    return page(request, web, "orders.html", {
        "title": "Purchase orders", "orders": found, "statuses": PO_STATUSES, "counts": counts,
        "status": status, "filters": filters, "stores": stores, "vendors": vendors,
        "store_codes": {s.id: s.code for s in stores}, "vendor_names": {v.id: v.name for v in vendors},
        "summaries": order_summaries.summaries(session, (o.id for o in found)),
        "created": _created(session, actor, created), "sees_costs": actor.sees_costs,
        "page": page_no, "pages": max(1, -(-total // PAGE_SIZE)), "total": total, "link": link,
    })


@router.get("/purchase-orders/{order_id}")
def order_page(order_id: uuid.UUID, request: Request, session: DbSession, web: Browser,
               done: str = Query("", max_length=20), units: int = Query(0, ge=0, le=10**9)) -> Response:
    if (refused := access_refusal(request, web, READERS, "purchase orders")) is not None:
        return refused
    notice = NOTICES.get(done)
    if done == "received" and units:
        notice = f"Receipt posted on {{n}}: {units:,} unit{'s' if units != 1 else ''} added to stock."
    return _render(request, session, web, order_id, notice=notice)


@router.get("/purchase-orders/{order_id}/receive")
def receive_page(order_id: uuid.UUID, request: Request, session: DbSession, web: Browser) -> Response:
    if (refused := access_refusal(request, web, RECEIVERS, "receiving goods")) is not None:
        return refused
    return _render(request, session, web, order_id, receiving_now=True)


@router.post("/purchase-orders/{order_id}/receipts")
def post_receipt(order_id: uuid.UUID, request: Request, session: DbSession, web: Browser,
                 form: Form) -> Response:
    if (refused := access_refusal(request, web, RECEIVERS, "receiving goods")) is not None:
        return refused
    try:
        quantities = _received(form)
        with session.begin_nested():
            receipt = receiving.receive(session, web.actor, order_id, quantities,
                                        _batches(form, {n for n, _ in quantities}))
    except (PurchasingError, ValueError) as error:
        return _render(request, session, web, order_id, receiving_now=True, error=str(error),
                       entered=form, status_code=getattr(error, "status", 422))
    units = sum(r.quantity for r in receipt.lines)
    return redirect(request, web, f"/purchase-orders/{order_id}?done=received&units={units}")


@router.post("/purchase-orders/{order_id}/lines")
def save_lines(order_id: uuid.UUID, request: Request, session: DbSession, web: Browser,
               form: Form) -> Response:
    if (refused := access_refusal(request, web, BUYERS, "changing purchase orders")) is not None:
        return refused
    try:
        order = orders.get_order(session, web.actor, order_id)
        lines = _lines(form, order.currency)
        with session.begin_nested():
            orders.replace_lines(session, web.actor, order_id, lines)
    except (PurchasingError, ValueError) as error:
        return _render(request, session, web, order_id, error=str(error), entered=form,
                       status_code=getattr(error, "status", 422))
    return redirect(request, web, f"/purchase-orders/{order_id}?done=saved")


@router.post("/purchase-orders/{order_id}/{action}")
def step(order_id: uuid.UUID, action: str, request: Request, session: DbSession,
         web: Browser) -> Response:
    if (refused := access_refusal(request, web, BUYERS, "approving, sending, cancelling or closing purchase orders")) is not None:
        return refused
    if action not in TRANSITIONS:
        return _render(request, session, web, order_id, error=f"no such step {action!r}", status_code=404)
    try:
        with session.begin_nested():
            order = orders.transition(session, web.actor, order_id, action)
    except PurchasingError as error:
        return _render(request, session, web, order_id, error=str(error), status_code=error.status)
    return redirect(request, web, f"/purchase-orders/{order.id}?done={TRANSITIONS[action][1]}")


def _batches(form: dict[str, str], line_nos: set[int]) -> dict[int, tuple[str | None, date | None]]:
    """line_no -> (batch code, expiry date) where the form has them (tracked products' lines);
    the receiving service says in words what a tracked product still lacks."""
    found: dict[int, tuple[str | None, date | None]] = {}
    for n in sorted(line_nos):
        code = form.get(f"batch:{n}", "").strip() or None
        expires = form.get(f"expires:{n}", "").strip()
        if code is None and not expires:
            continue
        try:
            found[n] = (code, date.fromisoformat(expires) if expires else None)
        except ValueError:
            raise ValueError(f"line {n}: the expiry date {expires!r} is not a date (YYYY-MM-DD); "
                             "nothing was received") from None
    return found


def _received(form: dict[str, str]) -> list[tuple[int, int]]:
    """(line_no, quantity) for every line with something received now; ValueError in words."""
    quantities = []
    for name, text in form.items():
        if not name.startswith("recv:") or not text.strip():
            continue
        line_no = name.removeprefix("recv:")
        text = text.strip()
        if not line_no.isdigit() or not text.isdigit() or int(text) > MAX_QUANTITY:
            raise ValueError(f"line {line_no}: received must be a whole number from 0 to "
                             f"{MAX_QUANTITY:,}, not {text!r}; nothing was received")
        if int(text):
            quantities.append((int(line_no), int(text)))
    if not quantities:
        raise ValueError("enter or scan what arrived: every line says 0; nothing was received")
    return sorted(quantities)


def _lines(form: dict[str, str], currency: str) -> list[LineRequest]:
    """The draft's lines as edited (removed ones left out); ValueError in words."""
    numbers = sorted(int(n.removeprefix("product:")) for n in form
                     if n.startswith("product:") and n.removeprefix("product:").isdigit())
    lines = []
    for n in numbers:
        if form.get(f"remove:{n}"):
            continue
        sku, qty, cost = form.get(f"sku:{n}", str(n)), form.get(f"qty:{n}", "").strip(), form.get(f"cost:{n}", "")
        if not qty.isdigit() or not 0 < int(qty) <= MAX_QUANTITY:
            raise ValueError(f"line {n} ({sku}): the quantity must be a whole number from 1 to "
                             f"{MAX_QUANTITY:,}, not {qty!r}; nothing was saved")
        try:
            cost_minor = Money.parse(cost, currency).minor if cost.strip() else None
        except MoneyError as error:
            raise ValueError(f"line {n} ({sku}): unit cost {error}; nothing was saved") from None
        if cost_minor is not None and cost_minor < 0:
            raise ValueError(f"line {n} ({sku}): a unit cost cannot be below zero; nothing was saved")
        try:
            product_id = uuid.UUID(form[f"product:{n}"])
        except ValueError:
            raise ValueError(f"line {n}: the form names no product; reload the page") from None
        lines.append(LineRequest(product_id, int(qty), cost_minor))
    if not lines:
        raise ValueError("an order needs at least one line: cancel the order instead; nothing was saved")
    return lines


def _whole(text: str) -> int:
    """A typed quantity as shown back after a refusal (what is not a number counts as 0)."""
    return int(text) if text.strip().isdigit() else 0


def _created(session: Session, actor, numbers: str) -> list:  # noqa: ANN001
    """The orders just made from the suggestions (their numbers in ?created=), within scope."""
    wanted = [int(n) for n in numbers.split(",") if n.strip().isdigit()][:100]
    return order_summaries.by_numbers(session, actor, wanted) if wanted else []


def _render(request: Request, session: Session, web, order_id: uuid.UUID, *,  # noqa: ANN001
            receiving_now: bool = False, notice: str | None = None, error: str | None = None,
            entered: dict[str, str] | None = None, status_code: int = 200) -> Response:
    actor = web.actor
    try:
        order = orders.get_order(session, actor, order_id)
    except NotFound as missing:
        return page(request, web, "_order_missing.html", {"title": "Purchase order", "error": str(missing)}, 404)
    out = order_out(session, order, actor)
    can_receive = actor.role in RECEIVERS and order.status in receiving.RECEIVABLE
    if receiving_now and not can_receive and error is None:
        error = (f"{out.number} is {order.status.replace('_', ' ')}: goods are received once the order "
                 "is sent, until it is received in full")
        receiving_now = False
    barcodes = order_summaries.barcodes_by_product(session, (uuid.UUID(line.product_id) for line in out.lines))
    tracked = tracked_among(session, [uuid.UUID(line.product_id) for line in out.lines])
    entered = entered or {}
    return page(request, web, "order.html", {
        "title": out.number, "order": out, "receiving_now": receiving_now,
        "notice": notice.replace("{n}", out.number) if notice else None, "error": error,
        "entered": entered, "barcodes": {str(k): v for k, v in barcodes.items()},
        "tracked": {str(p) for p in tracked},
        "now_of": {line.line_no: _whole(entered.get(f"recv:{line.line_no}", "")) for line in out.lines},
        "decimal": lambda minor: Money(minor, order.currency).to_decimal_str(),
        "sees_costs": actor.sees_costs,
        "can_edit": actor.role in BUYERS and order.status == "draft",
        "steps": [a for a, (starts, _) in TRANSITIONS.items() if order.status in starts]
        if actor.role in BUYERS else [],
        "can_receive": can_receive, "over_receive": actor.role in receiving.OVER_RECEIVERS,
    }, status_code)

