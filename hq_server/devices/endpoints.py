"""POST /enrol: a till trades a one-time code for its own device token (no user: the code is
the credential).

Back office, signed-in users: GET /devices, POST /devices/{id}/revoke, POST /devices/{id}/release,
POST /devices/{id}/rotate-credential (admin, store_manager of the device's store), POST /stores/{code}/enrolment-codes (admin,
store_manager of that store). A device outside the user's stores is "not found". Each write is
audited.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from hq_server.audit.service import record
from hq_server.auth.deps import require_role
from hq_server.auth.identity import Actor
from hq_server.catalog import repository as catalog
from hq_server.db.models import Device, Store
from hq_server.deps import DbSession
from hq_server.devices import repository, service
from hq_server.devices.schemas import DeviceOut
from hq_server.exceptions.service import resolve_open_for_device
from shared.wire import EnrolRequest, EnrolResponse

router = APIRouter(tags=["devices"])
admin_router = APIRouter(tags=["devices"])

DeviceKeeper = Annotated[Actor, require_role("admin", "store_manager")]
CODE_TTL_MINUTES = 60


class ReleaseRequest(BaseModel):
    """Who released it is the signed-in user, never a field of the request."""

    note: str | None = Field(default=None, max_length=4000)


class EnrolmentCodeOut(BaseModel):
    code: str
    store_code: str
    expires_at: datetime


@router.post("/enrol", response_model=EnrolResponse)
def enrol(body: EnrolRequest, session: DbSession) -> EnrolResponse:
    try:
        return service.enrol(session, body)
    except service.EnrolmentRefused as refusal:
        raise HTTPException(status_code=403, detail=str(refusal)) from None


def _out(device: Device, store_code: str) -> DeviceOut:
    return DeviceOut(
        id=str(device.id), store_id=str(device.store_id), store_code=store_code, name=device.name,
        app_version=device.app_version, enrolled_at=device.enrolled_at,
        last_seen_at=device.last_seen_at, last_received_at=device.last_received_at,
        last_seq=device.last_seq, revoked=device.revoked_at is not None,
        quarantined=device.quarantined_at is not None, quarantined_at=device.quarantined_at,
        quarantine_reason=device.quarantine_reason, clock_offset_ms=device.clock_offset_ms,
        backlog_events=device.backlog_events, oldest_unsent_at=device.oldest_unsent_at,
        backlog_reported_at=device.backlog_reported_at,
        rotation_requested_at=device.rotation_requested_at,
        credential_rotated_at=device.credential_rotated_at)


def _state(device: Device) -> dict[str, Any]:
    return {"name": device.name, "revoked": device.revoked_at is not None,
            "quarantined": device.quarantined_at is not None,
            "quarantine_reason": device.quarantine_reason,
            "rotation_requested": device.rotation_requested_at is not None}


@admin_router.get("/devices", response_model=list[DeviceOut])
def list_devices(session: DbSession, user: DeviceKeeper) -> list[DeviceOut]:
    # Filtered here: devices/repository.devices_with_store takes no scope (yet).
    return [_out(r.Device, r.store_code) for r in repository.devices_with_store(session)
            if user.scope.allows(r.Device.store_id)]


@admin_router.post("/devices/{device_id}/revoke", response_model=DeviceOut)
def revoke(device_id: uuid.UUID, session: DbSession, user: DeviceKeeper) -> DeviceOut:
    before = _state(_visible_device(session, user, device_id))
    device = service.revoke_device(session, device_id)
    record(session, user, "device.revoked", "device", device.id, before, _state(device))
    return _out(device, _store_code(session, device))


@admin_router.post("/devices/{device_id}/rotate-credential", response_model=DeviceOut)
def rotate_credential(device_id: uuid.UUID, session: DbSession, user: DeviceKeeper) -> DeviceOut:
    """Ask the till to rotate its credential: its next sync answer tells it to (it keeps working
    throughout). For a token that may have leaked, revoke the device instead."""
    before = _state(_visible_device(session, user, device_id))
    device = service.request_rotation(session, device_id)
    record(session, user, "device.rotation_requested", "device", device.id, before, _state(device))
    return _out(device, _store_code(session, device))


@admin_router.post("/devices/{device_id}/release", response_model=DeviceOut)
def release(device_id: uuid.UUID, body: ReleaseRequest, session: DbSession,
            user: DeviceKeeper) -> DeviceOut:
    before = _state(_visible_device(session, user, device_id))
    # Resolve the integrity exceptions as the signed-in user first; release_device then finds
    # none left open. A refusal below rolls both back (one transaction).
    resolve_open_for_device(session, device_id, "integrity", resolved_by=user,
                            resolution="device released", note=body.note)
    try:
        device = service.release_device(session, device_id, user.email, body.note)
    except service.DeviceNotQuarantined as error:
        raise HTTPException(409, str(error)) from None
    record(session, user, "device.released", "device", device.id, before, _state(device))
    return _out(device, _store_code(session, device))


@admin_router.post("/stores/{store_code}/enrolment-codes", response_model=EnrolmentCodeOut,
                   status_code=201)
def make_enrolment_code(store_code: str, session: DbSession, user: DeviceKeeper) -> EnrolmentCodeOut:
    store = catalog.store_by_code(session, store_code)
    if store is None:
        raise HTTPException(404, f"no store with code {store_code!r}")
    if not user.scope.allows(store.id):
        raise HTTPException(403, "you may make enrolment codes only for your own stores")
    code = service.create_enrolment_code(session, store_code, ttl_minutes=CODE_TTL_MINUTES)
    expires_at = datetime.now(UTC) + timedelta(minutes=CODE_TTL_MINUTES)
    # The code itself is a secret (it enrols a till): the audit keeps only that one was made.
    record(session, user, "enrolment_code.created", "store", store.id, None,
           {"store_code": store.code, "ttl_minutes": CODE_TTL_MINUTES})
    return EnrolmentCodeOut(code=code, store_code=store.code, expires_at=expires_at)


def _visible_device(session: DbSession, user: Actor, device_id: uuid.UUID) -> Device:
    device = session.get(Device, device_id)
    if device is None or not user.scope.allows(device.store_id):
        raise HTTPException(404, f"no device {device_id}")
    return device


def _store_code(session: DbSession, device: Device) -> str:
    return session.get_one(Store, device.store_id).code
