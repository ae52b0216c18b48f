"""POST /enrol: a till trades a one-time code for its own device token.

Back office (admin token): GET /devices, POST /devices/{id}/revoke, POST /devices/{id}/release.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, HTTPException

from hq_server.admin_auth import require_admin
from hq_server.db.models import Device, Store
from hq_server.deps import DbSession
from hq_server.devices import repository, service
from hq_server.devices.schemas import DeviceOut, ReleaseRequest
from shared.wire import EnrolRequest, EnrolResponse

router = APIRouter(tags=["devices"])
admin_router = APIRouter(prefix="/devices", tags=["devices"], dependencies=[Depends(require_admin)])


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
        quarantine_reason=device.quarantine_reason, clock_offset_ms=device.clock_offset_ms)


@admin_router.get("", response_model=list[DeviceOut])
def list_devices(session: DbSession) -> list[DeviceOut]:
    return [_out(r.Device, r.store_code) for r in repository.devices_with_store(session)]


@admin_router.post("/{device_id}/revoke", response_model=DeviceOut)
def revoke(device_id: uuid.UUID, session: DbSession) -> DeviceOut:
    try:
        device = service.revoke_device(session, device_id)
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
    return _out(device, _store_code(session, device))


@admin_router.post("/{device_id}/release", response_model=DeviceOut)
def release(device_id: uuid.UUID, body: ReleaseRequest, session: DbSession) -> DeviceOut:
    try:
        device = service.release_device(session, device_id, body.released_by, body.note)
    except LookupError as error:
        raise HTTPException(404, str(error)) from None
    except service.DeviceNotQuarantined as error:
        raise HTTPException(409, str(error)) from None
    return _out(device, _store_code(session, device))


def _store_code(session: DbSession, device: Device) -> str:
    return session.get_one(Store, device.store_id).code
