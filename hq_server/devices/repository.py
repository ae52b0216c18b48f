"""Device and enrolment-code queries."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hq_server.db.models import Device, EnrolmentCode


def code_for_update(session: Session, code_hash: str) -> EnrolmentCode | None:
    query = select(EnrolmentCode).where(EnrolmentCode.code_hash == code_hash).with_for_update()
    return session.scalar(query)


def device_by_token_hash(session: Session, token_hash: str) -> Device | None:
    return session.scalar(select(Device).where(Device.token_hash == token_hash))


def lock_device(session: Session, device_id: uuid.UUID) -> Device:
    """The device row, locked until commit: a device's pushes are applied one at a time."""
    query = select(Device).where(Device.id == device_id).with_for_update()
    return session.execute(query.execution_options(populate_existing=True)).scalar_one()


def advance_device(session: Session, device_id: uuid.UUID, last_seq: int, last_hash: str) -> None:
    session.execute(update(Device).where(Device.id == device_id)
                    .values(last_seq=last_seq, last_hash=last_hash))
