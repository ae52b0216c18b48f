"""GET /exceptions: the worklist in words, with counts and filters; POST .../resolve.

Same rules as the API (exceptions.endpoints): admin, owner and store managers read, owners
read only; a store manager sees and resolves only their stores' exceptions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hq_server.catalog import repository as catalog
from hq_server.dashboard import repository
from hq_server.dashboard.describe import describe, kind_label
from hq_server.dashboard.web import (
    EXCEPTION_READERS,
    EXCEPTION_RESOLVERS,
    Browser,
    Form,
    access_refusal,
    page,
    redirect,
)
from hq_server.deps import DbSession
from hq_server.exceptions import repository as exceptions
from hq_server.exceptions import service

router = APIRouter(tags=["dashboard"], include_in_schema=False)

LIMIT = 200
RESOLUTIONS = ["stock corrected", "count scheduled", "expected, no action", "till re-synced",
               "clock fixed"]
NOTICES = {"resolved": "Exception resolved.", "gone": "That exception is not in your worklist.",
           "already": "That exception was already resolved.",
           "invalid": "Say how it was resolved (1–200 characters; note up to 4000)."}


@dataclass(frozen=True, slots=True)
class Line:
    id: uuid.UUID
    kind: str
    label: str
    text: str
    store: str | None
    raised_at: datetime
    open: bool
    resolved_by: str | None
    resolution: str | None
    note: str | None


@router.get("/exceptions")
def exceptions_page(request: Request, session: DbSession, web: Browser, kind: str = "",
                    store: str = "", status: str = "open", done: str = "") -> Response:
    if (refused := access_refusal(request, web, EXCEPTION_READERS, "the exceptions worklist")) is not None:
        return refused
    scope = web.actor.scope
    kind = kind if kind in service.KINDS else ""
    status = status if status in service.STATUSES else "open"
    stores = [s for s in catalog.stores(session) if scope.allows(s.id)]
    store = store if store in {s.code for s in stores} else ""
    rows = exceptions.listing(session, scope=scope, kind=kind or None, store_code=store or None,
                              status=status, limit=LIMIT, offset=0)
    products = repository.product_names(session, (r.ChainException.product_id for r in rows))
    devices = repository.device_names(session, (r.ChainException.device_id for r in rows))
    lines = [_line(r.ChainException, r.store_code, products, devices) for r in rows]
    return page(request, web, "exceptions.html", {
        "title": "Exceptions", "lines": lines, "stores": stores, "kinds": service.KINDS,
        "kind_label": kind_label, "filters": {"kind": kind, "store": store, "status": status},
        "by_kind": exceptions.counts_by_kind(session, scope=scope, store_code=store or None,
                                             status=status),
        "by_store": repository.open_counts_by_store(session, scope),
        "can_resolve": web.actor.role in EXCEPTION_RESOLVERS, "resolutions": RESOLUTIONS,
        "notice": NOTICES.get(done), "limit": LIMIT, "back": _back(request),
    })


@router.post("/exceptions/{exception_id}/resolve")
def resolve(exception_id: uuid.UUID, request: Request, session: DbSession, web: Browser,
            form: Form) -> Response:
    if (refused := access_refusal(request, web, EXCEPTION_RESOLVERS, "resolving exceptions")) is not None:
        return refused
    back = form.get("back", "")
    back = back if back.startswith("/exceptions") and not back.startswith("//") else "/exceptions"
    resolution, note = form.get("resolution", "").strip(), form.get("note", "").strip() or None
    if not 1 <= len(resolution) <= 200 or len(note or "") > 4000:
        return redirect(request, web, _with(back, "invalid"))
    try:
        service.resolve_exception(session, web.actor, exception_id, resolution=resolution, note=note)
    except service.ExceptionNotFound:
        return redirect(request, web, _with(back, "gone"))
    except service.AlreadyResolved:
        return redirect(request, web, _with(back, "already"))
    return redirect(request, web, _with(back, "resolved"))


def _line(row, store_code, products, devices) -> Line:  # noqa: ANN001
    product, device = products.get(row.product_id), devices.get(row.device_id)
    return Line(row.id, row.kind, kind_label(row.kind),
                describe(row.kind, row.details or {}, store=store_code, product=product, device=device),
                store_code, row.raised_at, row.resolved_at is None, row.resolved_by, row.resolution,
                row.note)


def _back(request: Request) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "done"]
    query = urlencode(params)
    return "/exceptions" + (f"?{query}" if query else "")


def _with(back: str, done: str) -> str:
    return back + ("&" if "?" in back else "?") + f"done={done}"
