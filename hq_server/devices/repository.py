"""Device and enrolment-code queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from hq_server.db.models import Device, EnrolmentCode, Store


def code_for_update(session: Session, code_hash: str) -> EnrolmentCode | None:
    query = select(EnrolmentCode).where(EnrolmentCode.code_hash == code_hash).with_for_update()
    return session.scalar(query)


def device_by_token_hash(session: Session, token_hash: str) -> Device | None:
    return session.scalar(select(Device).where(Device.token_hash == token_hash))


def lock_device(session: Session, device_id: uuid.UUID) -> Device:
    """The device row, locked until commit: a device's pushes are applied one at a time."""
    query = select(Device).where(Device.id == device_id).with_for_update()
    return session.execute(query.execution_options(populate_existing=True)).scalar_one()


def advance_device(session: Session, device_id: uuid.UUID, last_seq: int, last_hash: str,
                   received_at: datetime) -> None:
    session.execute(update(Device).where(Device.id == device_id)
                    .values(last_seq=last_seq, last_hash=last_hash, last_received_at=received_at))


def set_clock_offset(session: Session, device_id: uuid.UUID, offset_ms: int) -> None:
    session.execute(update(Device).where(Device.id == device_id).values(clock_offset_ms=offset_ms))


def devices_with_store(session: Session) -> Sequence[Row]:
    query = select(Device, Store.code.label("store_code")).join(Store, Store.id == Device.store_id) \
        .order_by(Store.code, Device.enrolled_at)
    return session.execute(query).all()
