"""Raising and resolving exceptions.

Raising is idempotent by `dedupe_key`: ingest may see the same events many times (re-sent
batches, retries), and each exception must reach the worklist exactly once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from hq_server.db.models import EXCEPTION_KINDS, ChainException
from hq_server.exceptions import repository
from shared.ids import uuid7

KINDS = EXCEPTION_KINDS
STATUSES = ("open", "resolved", "all")


class ExceptionNotFound(LookupError):
    pass


class AlreadyResolved(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Raised:
    kind: str
    dedupe_key: str
    details: dict[str, Any]
    store_id: uuid.UUID | None = None
    device_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    event_id: uuid.UUID | None = None


def raise_exception(session: Session, raised: Raised) -> bool:
    """Put `raised` on the worklist unless its dedupe key is already there; True if it was new."""
    if raised.kind not in KINDS:
        raise ValueError(f"unknown exception kind {raised.kind!r}")
    values = {"id": uuid7(), "kind": raised.kind, "dedupe_key": raised.dedupe_key,
              "details": raised.details, "store_id": raised.store_id, "device_id": raised.device_id,
              "product_id": raised.product_id, "event_id": raised.event_id}
    return repository.insert_once(session, values) is not None


def resolve_exception(session: Session, exception_id: uuid.UUID, *, resolved_by: str,
                      resolution: str, note: str | None = None) -> ChainException:
    """Close an exception with who and why. Resolving it a second time is refused."""
    row = repository.for_update(session, exception_id)
    if row is None:
        raise ExceptionNotFound(f"no exception {exception_id}")
    if row.resolved_at is not None:
        raise AlreadyResolved(f"exception {exception_id} was already resolved by {row.resolved_by} "
                              f"at {row.resolved_at.isoformat()}")
    _close(row, resolved_by, resolution, note)
    session.flush()
    return row


def resolve_open_for_device(session: Session, device_id: uuid.UUID, kind: str, *, resolved_by: str,
                            resolution: str, note: str | None) -> int:
    rows = repository.open_for_device(session, device_id, kind)
    for row in rows:
        _close(row, resolved_by, resolution, note)
    session.flush()
    return len(rows)


def _close(row: ChainException, resolved_by: str, resolution: str, note: str | None) -> None:
    row.resolved_at = datetime.now(UTC)
    row.resolved_by, row.resolution, row.note = resolved_by, resolution, note
