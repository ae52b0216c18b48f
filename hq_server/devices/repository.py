"""Device and enrolment-code queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from psycopg.rows import namedtuple_row
from sqlalchemy import Row, select, text, update
from sqlalchemy.orm import Session

from hq_server.db.models import Device, EnrolmentCode, Store
from hq_server.db.session import driver

_DEVICES = Device.__table__


def code_for_update(session: Session, code_hash: str) -> EnrolmentCode | None:
    query = select(EnrolmentCode).where(EnrolmentCode.code_hash == code_hash).with_for_update()
    return session.scalar(query)


def device_for_token(session: Session, token_hash: str, *, lock: bool = False) -> Any:
    """The device whose current or newly issued (not yet used) token has this hash.

    A plain named tuple (or None), not an ORM object: every sync request starts here. `lock`: held until commit,
    so a device's pushes are applied one at a time.
    """
    # Straight to psycopg with SQL written once: building and running a Core select here cost
    # ~0.3 ms of CPU per request.
    with driver(session).cursor(row_factory=namedtuple_row) as cursor:
        return cursor.execute(_FOR_TOKEN_LOCKED if lock else _FOR_TOKEN, (token_hash, token_hash)).fetchone()


_FOR_TOKEN = "SELECT * FROM devices WHERE token_hash = %s OR next_token_hash = %s"
_FOR_TOKEN_LOCKED = _FOR_TOKEN + " FOR UPDATE"


_PROMOTE = text("""
    UPDATE devices SET token_hash = next_token_hash, next_token_hash = NULL,
                       next_token_issued_at = NULL, credential_rotated_at = now(),
                       rotation_requested_at = NULL
    WHERE id = :id AND next_token_hash = :token_hash
""")


def promote_next_token(session: Session, device_id: uuid.UUID, token_hash: str) -> None:
    """The till used its new token: from now on only that one works."""
    session.connection().execute(_PROMOTE, {"id": device_id, "token_hash": token_hash})


def issue_next_token(session: Session, device_id: uuid.UUID, token_hash: str, at: datetime) -> None:
    """Replaces an earlier issued, never used one (its answer was lost: it is never valid)."""
    session.execute(update(Device).where(Device.id == device_id)
                    .values(next_token_hash=token_hash, next_token_issued_at=at))


def record_seen(session: Session, device_id: uuid.UUID, at: datetime, report: Any = None,
                **values: Any) -> None:
    """One UPDATE of the device row: seen now, what the till reported (a devices.service
    TillReport), and any other `values` (a push's chain position, clock offset)."""
    values["last_seen_at"] = at
    if report is not None:
        if report.app_version:
            values["app_version"] = report.app_version
        if report.backlog is not None:
            values |= {"backlog_events": report.backlog, "oldest_unsent_at": report.oldest_unsent_at,
                       "backlog_reported_at": at}
    # Straight to psycopg (the column names are ours, never a caller's input): a Core update
    # built per push cost ~0.4 ms of CPU.
    names = tuple(values)
    sql = _UPDATES.get(names)
    if sql is None:
        if not set(names) <= _COLUMNS:
            raise ValueError(f"not device columns: {sorted(set(names) - _COLUMNS)}")
        sql = _UPDATES[names] = "UPDATE devices SET " + ", ".join(f"{n} = %s" for n in names) + " WHERE id = %s"
    driver(session).execute(sql, (*values.values(), device_id))


_COLUMNS = frozenset(_DEVICES.c.keys())
_UPDATES: dict[tuple[str, ...], str] = {}


def record_push(session: Session, device_id: uuid.UUID, received_at: datetime, report: Any,
                *, chain: tuple[int, str] | None, clock_offset_ms: int | None) -> None:
    """A push's effect on the device row: seen, reported backlog, and when it applied events,
    the new chain position and the clock offset they measured."""
    values: dict[str, Any] = {}
    if chain is not None:
        values |= {"last_seq": chain[0], "last_hash": chain[1], "last_received_at": received_at}
    if clock_offset_ms is not None:
        values["clock_offset_ms"] = clock_offset_ms
    record_seen(session, device_id, received_at, report, **values)


def devices_with_store(session: Session) -> Sequence[Row]:
    query = select(Device, Store.code.label("store_code")).join(Store, Store.id == Device.store_id) \
        .order_by(Store.code, Device.enrolled_at)
    return session.execute(query).all()
