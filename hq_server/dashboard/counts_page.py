"""GET /counts: stock counts; start, enter counted quantities, post, see variances.

The rules are the inventory domain's (inventory.counts, merge rule 3): admin anywhere,
store_manager and inventory in their stores start, enter, post and cancel; every role reads the
counts of its stores; variance values at cost only for the roles that see costs. A scanner
(keyboard wedge) on an open sheet adds 1 to the scanned product's counted quantity (count.js).
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.catalog import repository as catalog
from hq_server.dashboard import repository
from hq_server.dashboard.inventory_forms import attempt, parse_lines, writes_at
from hq_server.dashboard.web import Browser, Form, page, redirect, to_login
from hq_server.db.models import Store
from hq_server.deps import DbSession
from hq_server.inventory import counts
from hq_server.inventory.errors import Invalid, InventoryError
from hq_server.inventory.models import StockCount

router = APIRouter(tags=["dashboard"], include_in_schema=False)

LIMIT = 100
NOTICES = {"saved": "Counted quantities saved.", "posted": "Count posted: the counted quantities are now the stock.",
           "cancelled": "Count cancelled."}


@router.get("/counts")
def counts_page(request: Request, session: DbSession, web: Browser) -> Response:
    if web.actor is None:
        return to_login(request, web)
    return _listing(request, session, web)


@router.post("/counts")
def start_count(request: Request, session: DbSession, web: Browser, form: Form) -> Response:
    if web.actor is None:
        return to_login(request, web)
    actor = web.actor

    def work() -> StockCount:
        skus = [sku for sku, _ in parse_lines(session, form.get("skus", ""))]
        return counts.create(session, actor, store_ref=form.get("store", ""),
                             category=form.get("category", ""), skus=skus or None)

    made, error = attempt(session, work)
    if error is not None:
        return _listing(request, session, web, error=error, entered=form)
    return redirect(request, web, f"/counts/{made.id}")


@router.get("/counts/{count_id}")
def count_page(count_id: uuid.UUID, request: Request, session: DbSession, web: Browser,
               done: str = "") -> Response:
    if web.actor is None:
        return to_login(request, web)
    return _sheet(request, session, web, count_id, notice=NOTICES.get(done))


@router.post("/counts/{count_id}/{step}")
def count_step(count_id: uuid.UUID, step: str, request: Request, session: DbSession, web: Browser,
               form: Form) -> Response:
    """lines: save what was entered; post: save it, then post; cancel: drop the sheet."""
    if web.actor is None:
        return to_login(request, web)
    actor = web.actor

    def work() -> str:
        if step == "cancel":
            counts.cancel(session, actor, count_id)
            return "cancelled"
        if step not in ("lines", "post"):
            raise Invalid(f"no step {step!r}")
        entered = _entered(form)
        if entered:
            counts.enter(session, actor, count_id, entered)
        if step == "post":
            counts.post(session, actor, count_id)
            return "posted"
        return "saved"

    done, error = attempt(session, work)
    if error is not None:
        return _sheet(request, session, web, count_id, error=error, entered=form)
    return redirect(request, web, f"/counts/{count_id}?done={done}")


def _entered(form: dict[str, str]) -> dict[str, int]:
    """Fields `counted-<product id>` with a value -> {product id: quantity}; blank: not counted yet."""
    entered = {}
    for name, value in form.items():
        if name.startswith("counted-") and value.strip():
            try:
                entered[name.removeprefix("counted-")] = int(value.strip())
            except ValueError:
                raise Invalid(f"counted quantities are whole numbers; got {value.strip()!r}") from None
    return entered


def _listing(request: Request, session: Session, web: Any, *, error: InventoryError | None = None,
             entered: dict[str, str] | None = None) -> Response:
    actor: Actor = web.actor
    mine = [s for s in catalog.stores(session) if writes_at(actor, s.id)]
    return page(request, web, "counts.html", {
        "title": "Counts", "rows": repository.count_rows(session, actor.scope, limit=LIMIT),
        "mine": mine, "categories": repository.categories(session), "error": error,
        "entered": entered or {}, "limit": LIMIT,
    }, error.status if error else 200)


def _sheet(request: Request, session: Session, web: Any, count_id: uuid.UUID, *,
           notice: str | None = None, error: InventoryError | None = None,
           entered: dict[str, str] | None = None) -> Response:
    actor: Actor = web.actor
    count = session.get(StockCount, count_id)
    if count is None or not actor.scope.allows(count.store_id):
        return page(request, web, "count.html", {"title": "Count", "report": None,
                                                 "error": f"no count {count_id} in your stores"}, 404)
    session.refresh(count)  # a refused step rolled its savepoint back
    report = counts.without_costs(counts.variance_report(session, count), actor.sees_costs)
    store = session.get_one(Store, count.store_id)
    ids = [uuid.UUID(line["product_id"]) for line in report["lines"]]
    barcodes = {str(p): codes for p, codes in repository.barcodes_of(session, ids).items()}
    variance = repository.exception_for(session, f"count_variance:{count.id}")
    people = repository.emails(session, (count.created_by, count.posted_by))
    return page(request, web, "count.html", {
        "title": f"Count {count.reference}", "report": report, "count": count, "store": store,
        "barcodes": barcodes, "variance": variance, "sees_costs": actor.sees_costs,
        "editable": count.status == "open" and writes_at(actor, count.store_id),
        "counted_lines": sum(1 for line in report["lines"] if line["counted"] is not None),
        "created_by": people.get(count.created_by), "posted_by": people.get(count.posted_by),
        "entered": entered or {}, "notice": notice, "error": str(error) if error else None,
    }, error.status if error else 200)
