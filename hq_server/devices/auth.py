"""The device-authentication dependency for sync endpoints.

It runs in its own short transaction (and commits `last_seen_at`), separate from the request's
unit of work, so that a long-polling pull holds no database connection while it waits.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from hq_server.db.session import transaction
from hq_server.devices.service import DeviceIdentity, DeviceRefused, authenticate
from hq_server.sync.errors import SyncRefused


def current_device(request: Request, authorization: str | None = Header(default=None)) -> DeviceIdentity:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SyncRefused(401, "unknown_device", "send Authorization: Bearer <device token>")
    try:
        with transaction(request.app.state.session_factory) as session:
            return authenticate(session, token.strip())
    except DeviceRefused as refusal:
        raise SyncRefused(401 if refusal.code == "unknown_device" else 403,
                          refusal.code, str(refusal)) from None


CurrentDevice = Annotated[DeviceIdentity, Depends(current_device)]
