"""Enrolment and device authentication.

Codes and tokens are stored only as SHA-256 hashes: a leaked database does not let anyone
enrol or impersonate a till.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hq_server.catalog import repository as catalog
from hq_server.db.models import Device, EnrolmentCode, Store
from hq_server.devices import repository
from hq_server.exceptions.service import resolve_open_for_device
from shared.ids import uuid7
from shared.wire import EnrolRequest, EnrolResponse

# No 0/O, 1/I/L: a code is read off a screen and typed at the till.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class EnrolmentRefused(Exception):
    pass


class DeviceNotQuarantined(Exception):
    pass


class DeviceRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    id: uuid.UUID
    store_id: uuid.UUID
    name: str
    rotation_requested: bool = False  # a person at HQ asked this till to rotate its credential


@dataclass(frozen=True, slots=True)
class TillReport:
    """What a till says about itself on every sync request (shared.wire headers)."""

    app_version: str | None = None
    backlog: int | None = None  # events waiting after this request
    oldest_unsent_at: datetime | None = None  # when the oldest of them happened (till clock)


@dataclass(frozen=True, slots=True)
class DevicePush:
    """The device row a push works under, locked by authentication until commit."""

    identity: DeviceIdentity
    last_seq: int
    last_hash: str
    quarantined_at: datetime | None
    quarantine_reason: str | None
    clock_offset_ms: int | None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def create_enrolment_code(session: Session, store_code: str, ttl_minutes: int = 60) -> str:
    """A one-time code (like ``ABCD-EFGH``) that enrols one till into `store_code`."""
    store = catalog.store_by_code(session, store_code)
    if store is None:
        raise LookupError(f"no store with code {store_code!r}")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    now = datetime.now(UTC)
    session.add(EnrolmentCode(code_hash=_sha256(raw), store_id=store.id, created_at=now,
                              expires_at=now + timedelta(minutes=ttl_minutes)))
    session.flush()
    return f"{raw[:4]}-{raw[4:]}"


def enrol(session: Session, request: EnrolRequest) -> EnrolResponse:
    code = repository.code_for_update(session, _sha256(normalise_code(request.code)))
    now = datetime.now(UTC)
    if code is None:
        raise EnrolmentRefused("unknown enrolment code; make a new one at HQ (hq-server enrol-code)")
    if code.used_at is not None:
        raise EnrolmentRefused("this enrolment code was already used; codes work once")
    if code.expires_at <= now:
        raise EnrolmentRefused("this enrolment code has expired; make a new one at HQ")
    token = secrets.token_urlsafe(32)
    device = Device(id=uuid7(), store_id=code.store_id, name=request.device_name,
                    token_hash=_sha256(token), app_version=request.app_version,
                    enrolled_at=now, last_seen_at=now)
    session.add(device)
    session.flush()
    code.used_at, code.device_id = now, device.id
    store = session.get_one(Store, code.store_id)
    return EnrolResponse(device_id=str(device.id), token=token, store_id=str(store.id),
                         store_code=store.code, store_name=store.name, currency=store.currency)


def authenticate(session: Session, token: str, report: TillReport | None = None) -> DeviceIdentity:
    """A sync request's device (a pull's, in a short transaction of its own): seen now."""
    row, identity = _device_row(session, token, lock=False)
    repository.record_seen(session, row.id, datetime.now(UTC), report)
    return identity


def authenticate_for_push(session: Session, token: str) -> DevicePush:
    """The device row, locked until commit: authentication is the push transaction's first
    statement (no transaction of its own). Its last_seen_at is written with the push's result."""
    row, identity = _device_row(session, token, lock=True)
    return DevicePush(identity, row.last_seq, row.last_hash, row.quarantined_at,
                      row.quarantine_reason, row.clock_offset_ms)


def _device_row(session: Session, token: str, *, lock: bool) -> tuple[Any, DeviceIdentity]:
    token_hash = _sha256(token) if token else ""
    row = repository.device_for_token(session, token_hash, lock=lock) if token else None
    if row is None:
        raise DeviceRefused("unknown_device", "this device token is not known to HQ; enrol the till again")
    if row.revoked_at is not None:
        raise DeviceRefused("revoked_device", "this device was revoked at HQ")
    rotated = row.next_token_hash == token_hash
    if rotated:  # a person's request to rotate is met by this very token
        repository.promote_next_token(session, row.id, token_hash)
    return row, DeviceIdentity(row.id, row.store_id, row.name,
                               row.rotation_requested_at is not None and not rotated)


def rotate_credential(session: Session, device: DeviceIdentity) -> str:
    """A new token for `device`. The old one keeps working until the till first uses the new one
    (then only the new one does): a till that never got this answer is not locked out."""
    token = secrets.token_urlsafe(32)
    repository.issue_next_token(session, device.id, _sha256(token), datetime.now(UTC))
    return token


def request_rotation(session: Session, device_id: uuid.UUID) -> Device:
    """A person asks the till to rotate: its sync answers say so until it has used a new token."""
    device = _device_for_update(session, device_id)
    if device.revoked_at is None and device.rotation_requested_at is None:
        device.rotation_requested_at = datetime.now(UTC)
    session.flush()
    return device


def revoke_device(session: Session, device_id: uuid.UUID) -> Device:
    """Stop the device's token working, for ever (a revoked till is enrolled again with a new code)."""
    device = _device_for_update(session, device_id)
    if device.revoked_at is None:
        device.revoked_at = datetime.now(UTC)
    session.flush()
    return device


def quarantine_device(session: Session, device_id: uuid.UUID, reason: str, *, at: datetime) -> bool:
    """Refuse the device's pushes until a person releases it; False if it already was quarantined."""
    device = _device_for_update(session, device_id)
    if device.quarantined_at is not None:
        return False
    device.quarantined_at, device.quarantine_reason = at, reason
    session.flush()
    return True


def release_device(session: Session, device_id: uuid.UUID, who: str, note: str | None = None) -> Device:
    """Lift a quarantine; the device's open integrity exceptions are resolved as released by `who`.

    Release only once the till's journal has been dealt with: a till that re-sends the same
    conflicting events is quarantined again (with a new exception).
    """
    device = _device_for_update(session, device_id)
    if device.quarantined_at is None:
        raise DeviceNotQuarantined(f"device {device_id} is not quarantined")
    device.quarantined_at, device.quarantine_reason = None, None
    resolve_open_for_device(session, device_id, "integrity", resolved_by=who,
                            resolution="device released", note=note)
    session.flush()
    return device


def _device_for_update(session: Session, device_id: uuid.UUID) -> Device:
    device = session.get(Device, device_id, with_for_update=True, populate_existing=True)
    if device is None:
        raise LookupError(f"no device {device_id}")
    return device
