"""Who is calling the sync endpoints, and what the till says about itself.

`CurrentDevice` (pull, credential) authenticates in its own short transaction (and commits
`last_seen_at` with the till's report), separate from the request's unit of work, so that a
long-polling pull holds no database connection while it waits. A push authenticates inside its
own transaction instead (`bearer_token`, `report_of` + devices.service.authenticate_for_push):
one transaction and one round trip fewer on the busiest endpoint.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from hq_server.db.session import transaction
from hq_server.devices.service import DeviceIdentity, DeviceRefused, TillReport, authenticate
from hq_server.sync.errors import SyncRefused
from shared.wire import BACKLOG_HEADER, OLDEST_UNSENT_HEADER, TILL_VERSION_HEADER


def refused(refusal: DeviceRefused) -> SyncRefused:
    return SyncRefused(401 if refusal.code == "unknown_device" else 403, refusal.code, str(refusal))


def bearer_token(request: Request) -> str:
    """The bearer token, or a 401 in words."""
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SyncRefused(401, "unknown_device", "send Authorization: Bearer <device token>")
    return token.strip()


def report_of(request: Request) -> TillReport:
    """The till's version and backlog headers; missing or unreadable ones are left unknown."""
    headers = request.headers
    return TillReport(app_version=(headers.get(TILL_VERSION_HEADER) or "")[:40] or None,
                      backlog=_count(headers.get(BACKLOG_HEADER)),
                      oldest_unsent_at=_time_ms(headers.get(OLDEST_UNSENT_HEADER)))


async def device_token(request: Request) -> str:
    return bearer_token(request)  # async: no thread hop for reading a header


async def till_report(request: Request) -> TillReport:
    return report_of(request)


DeviceToken = Annotated[str, Depends(device_token)]
Report = Annotated[TillReport, Depends(till_report)]


async def current_device(request: Request, token: DeviceToken, report: Report) -> DeviceIdentity:
    return await run_in_threadpool(_authenticate, request, token, report)


def _authenticate(request: Request, token: str, report: TillReport) -> DeviceIdentity:
    try:
        with transaction(request.app.state.session_factory) as session:
            return authenticate(session, token, report)
    except DeviceRefused as refusal:
        raise refused(refusal) from None


def _count(value: str | None) -> int | None:
    try:
        return max(0, int(value)) if value else None
    except ValueError:
        return None


def _time_ms(value: str | None) -> datetime | None:
    try:
        ms = int(value) if value else 0
        return datetime.fromtimestamp(ms / 1000, UTC) if ms > 0 else None
    except (ValueError, OverflowError, OSError):
        return None


CurrentDevice = Annotated[DeviceIdentity, Depends(current_device)]
