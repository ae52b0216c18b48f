"""GET /transfers: stock transfers between stores; request, approve, ship, receive.

The lifecycle and every rule are the inventory domain's (inventory.transfers): either store may
request or cancel (until shipped), the sending store approves and ships, the receiving store
receives; admin anywhere, store_manager and inventory in their stores. Everyone else reads, and
only transfers from or to their stores. A refusal comes back on the page in the domain's words.
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
from hq_server.deps import DbSession
from hq_server.inventory import transfers
from hq_server.inventory.errors import Invalid, InventoryError
from hq_server.inventory.models import TRANSFER_STATUSES, Transfer
from hq_server.inventory.repository import STOCK_MOVERS

router = APIRouter(tags=["dashboard"], include_in_schema=False)

LIMIT = 200
NOTICES = {"requested": "Transfer requested.", "approved": "Transfer approved.",
           "shipped": "Transfer shipped: the units are in transit.",
           "received": "Transfer received.", "cancelled": "Transfer cancelled."}


@router.get("/transfers")
def transfers_page(request: Request, session: DbSession, web: Browser, status: str = "",
                   from_store: str = "", to_store: str = "") -> Response:
    if web.actor is None:
        return to_login(request, web)
    return _listing(request, session, web, {"status": status, "from_store": from_store,
                                            "to_store": to_store})


@router.post("/transfers")
def request_transfer(request: Request, session: DbSession, web: Browser, form: Form) -> Response:
    if web.actor is None:
        return to_login(request, web)
    actor = web.actor

    def work() -> Transfer:
        lines = parse_lines(session, form.get("lines", ""))
        return transfers.request(session, actor, from_ref=form.get("from_store", ""),
                                 to_ref=form.get("to_store", ""), lines=lines,
                                 note=form.get("note", "").strip()[:500])

    made, error = attempt(session, work)
    if error is not None:
        return _listing(request, session, web, {}, error=error, entered=form)
    return redirect(request, web, f"/transfers/{made.id}?done=requested")


@router.get("/transfers/{transfer_id}")
def transfer_page(transfer_id: uuid.UUID, request: Request, session: DbSession, web: Browser,
                  done: str = "") -> Response:
    if web.actor is None:
        return to_login(request, web)
    return _detail(request, session, web, transfer_id, notice=NOTICES.get(done))


@router.post("/transfers/{transfer_id}/{step}")
def transfer_step(transfer_id: uuid.UUID, step: str, request: Request, session: DbSession,
                  web: Browser, form: Form) -> Response:
    if web.actor is None:
        return to_login(request, web)
    actor = web.actor
    steps = {"approve": lambda: transfers.approve(session, actor, transfer_id),
             "ship": lambda: transfers.ship(session, actor, transfer_id),
             "cancel": lambda: transfers.cancel(session, actor, transfer_id),
             "receive": lambda: transfers.receive(session, actor, transfer_id, _received(form))}
    if step not in steps:
        return _detail(request, session, web, transfer_id, error=Invalid(f"no step {step!r}"))
    done, error = attempt(session, steps[step])
    if error is not None:
        return _detail(request, session, web, transfer_id, error=error)
    return redirect(request, web, f"/transfers/{transfer_id}?done={done.status}")


def _received(form: dict[str, str]) -> dict[str, int]:
    """Fields `received-<product id>` -> {product id: quantity}; each must be a whole number >= 0."""
    received = {}
    for name, value in form.items():
        if name.startswith("received-"):
            try:
                received[name.removeprefix("received-")] = int(value.strip())
            except ValueError:
                raise Invalid(f"received quantities are whole numbers; got {value.strip()!r}") from None
    return received


def _listing(request: Request, session: Session, web: Any, filters: dict[str, str], *,
             error: InventoryError | None = None, entered: dict[str, str] | None = None) -> Response:
    actor: Actor = web.actor
    stores = list(catalog.stores(session))
    by_code = {s.code: s for s in stores}
    filters = {"status": filters.get("status") if filters.get("status") in TRANSFER_STATUSES else "",
               "from_store": filters.get("from_store") if filters.get("from_store") in by_code else "",
               "to_store": filters.get("to_store") if filters.get("to_store") in by_code else ""}
    rows = repository.transfer_rows(
        session, actor.scope, status=filters["status"], limit=LIMIT,
        from_store=by_code[filters["from_store"]].id if filters["from_store"] else None,
        to_store=by_code[filters["to_store"]].id if filters["to_store"] else None)
    mine = [s for s in stores if writes_at(actor, s.id)]
    return page(request, web, "transfers.html", {
        "title": "Transfers", "rows": rows, "filters": filters, "statuses": TRANSFER_STATUSES,
        "stores": stores, "can_request": actor.role in STOCK_MOVERS and bool(mine), "mine": mine,
        "error": error, "entered": entered or {}, "limit": LIMIT,
    }, error.status if error else 200)


def _detail(request: Request, session: Session, web: Any, transfer_id: uuid.UUID, *,
            notice: str | None = None, error: InventoryError | None = None) -> Response:
    actor: Actor = web.actor
    transfer = session.get(Transfer, transfer_id)
    if transfer is None or not (actor.scope.allows(transfer.from_store_id)
                                or actor.scope.allows(transfer.to_store_id)):
        return page(request, web, "transfer.html", {
            "title": "Transfer", "transfer": None, "error": f"no transfer {transfer_id} in your stores"}, 404)
    session.refresh(transfer)  # a refused step rolled its savepoint back
    state = transfers.state(session, transfer)
    names = {str(p): name for p, name in repository.product_names(
        session, (uuid.UUID(line["product_id"]) for line in state["lines"])).items()}
    people = repository.emails(session, (getattr(transfer, f"{s}_by") for s in _STEPS))
    variance = repository.exception_for(session, f"transfer_variance:{transfer.id}")
    source, destination = actor.scope.allows(transfer.from_store_id), actor.scope.allows(transfer.to_store_id)
    at_source = writes_at(actor, transfer.from_store_id)
    at_destination = writes_at(actor, transfer.to_store_id)
    return page(request, web, "transfer.html", {
        "title": f"Transfer {transfer.reference}", "transfer": state, "names": names,
        "timeline": [(step, state[f"{step}_at"], people.get(getattr(transfer, f"{step}_by")))
                     for step in _STEPS if state[f"{step}_at"]],
        "variance": variance,
        "can": {"approve": transfer.status == "requested" and at_source,
                "ship": transfer.status == "approved" and at_source,
                "receive": transfer.status == "shipped" and at_destination,
                "cancel": transfer.status in ("requested", "approved") and (at_source or at_destination)},
        "sees": {"source": source, "destination": destination},
        "notice": notice, "error": str(error) if error else None,
    }, error.status if error else 200)


_STEPS = ("requested", "approved", "shipped", "received", "cancelled")
