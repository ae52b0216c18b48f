"""GET /devices: every till in the user's stores; make an enrolment code, revoke, release.

Admin and store managers (of the till's store) only, as the API. The writes go through the
API's own endpoint functions (devices.endpoints), so the checks and the audit are the same; each
runs in a savepoint, so a refusal leaves nothing half-done in the page's transaction.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.catalog import repository as catalog
from hq_server.dashboard.describe import duration
from hq_server.dashboard.web import (
    DEVICE_KEEPERS,
    Browser,
    Form,
    access_refusal,
    page,
    redirect,
)
from hq_server.deps import DbSession
from hq_server.devices import endpoints as api
from hq_server.devices import repository

router = APIRouter(tags=["dashboard"], include_in_schema=False)

NOTICES = {"revoked": "Till revoked: its token no longer works.",
           "released": "Till released: its pushes are accepted again.",
           "rotated": "Credential rotation asked: the till gets a new token on its next sync, "
                      "then its old one stops working."}


@router.get("/devices")
def devices_page(request: Request, session: DbSession, web: Browser, done: str = "") -> Response:
    if (refused := access_refusal(request, web, DEVICE_KEEPERS, "the devices list")) is not None:
        return refused
    return _render(request, session, web, notice=NOTICES.get(done))


@router.post("/devices/enrolment-codes")
def make_code(request: Request, session: DbSession, web: Browser, form: Form) -> Response:
    if (refused := access_refusal(request, web, DEVICE_KEEPERS, "making enrolment codes")) is not None:
        return refused
    try:
        made = _api(session, api.make_enrolment_code, form.get("store", ""), session, web.actor)
    except HTTPException as refusal:
        return _render(request, session, web, error=refusal.detail, status_code=refusal.status_code)
    # Shown once, in this response only: never in a URL, where history and logs would keep it.
    return _render(request, session, web, code=made, status_code=201)


@router.post("/devices/{device_id}/{action}")
def act(device_id: uuid.UUID, action: str, request: Request, session: DbSession, web: Browser,
        form: Form) -> Response:
    if (refused := access_refusal(request, web, DEVICE_KEEPERS, "changing tills")) is not None:
        return refused
    try:
        if action == "revoke":
            _api(session, api.revoke, device_id, session, web.actor)
        elif action == "release":
            note = form.get("note", "").strip()[:4000] or None
            _api(session, api.release, device_id, api.ReleaseRequest(note=note), session, web.actor)
        elif action == "rotate":
            _api(session, api.rotate_credential, device_id, session, web.actor)
        else:
            return _render(request, session, web, error=f"unknown action {action!r}", status_code=404)
    except HTTPException as refusal:
        return _render(request, session, web, error=refusal.detail, status_code=refusal.status_code)
    return redirect(request, web, f"/devices?done={action}d")


def _api(session: Session, call, *args):  # noqa: ANN001, ANN202
    with session.begin_nested():
        return call(*args)


def _render(request: Request, session: Session, web, *, notice: str | None = None,  # noqa: ANN001
            error: str | None = None, code=None, status_code: int = 200) -> Response:  # noqa: ANN001
    actor: Actor = web.actor
    rows = [r for r in repository.devices_with_store(session) if actor.scope.allows(r.Device.store_id)]
    stores = [s for s in catalog.stores(session) if actor.scope.allows(s.id)]
    return page(request, web, "devices.html", {
        "title": "Devices", "rows": rows, "stores": stores, "notice": notice, "error": error,
        "code": code, "now": datetime.now(UTC), "ago": ago, "offset": offset, "lag": lag,
    }, status_code)


def ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def lag(device, now: datetime) -> str:  # noqa: ANN001
    """How far behind the till's last report was: now minus its oldest unsent event, or 0."""
    if device.backlog_events is None:
        return "—"  # the till has not reported (older till, or not synced since HQ asked)
    if not device.backlog_events or device.oldest_unsent_at is None:
        return "0 s"
    seconds = max(0, int((now - device.oldest_unsent_at).total_seconds()))
    return duration(seconds * 1000) if seconds >= 1 else "0 s"


def offset(ms: int | None) -> str:
    if ms is None:
        return "—"
    if abs(ms) < 1000:
        return f"{ms:+d} ms"
    return ("+" if ms > 0 else "−") + duration(abs(ms))
