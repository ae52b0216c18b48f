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

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
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


def resolve_exception(session: Session, actor: Actor, exception_id: uuid.UUID, *,
                      resolution: str, note: str | None = None) -> ChainException:
    """Close an exception as `actor`, with why. Resolving it a second time is refused.

    An exception outside the actor's stores is reported as not found: they may not see it.
    """
    row = repository.for_update(session, exception_id)
    if row is None or not actor.scope.allows(row.store_id):
        raise ExceptionNotFound(f"no exception {exception_id}")
    if row.resolved_at is not None:
        raise AlreadyResolved(f"exception {exception_id} was already resolved by {row.resolved_by} "
                              f"at {row.resolved_at.isoformat()}")
    before = _state(row)
    _close(row, actor, resolution, note)
    session.flush()
    record(session, actor, "exception.resolved", "exception", row.id, before, _state(row))
    return row


def resolve_open_for_device(session: Session, device_id: uuid.UUID, kind: str, *,
                            resolved_by: Actor | str, resolution: str, note: str | None) -> int:
    """Close the device's open exceptions of `kind` as `resolved_by` (audited one by one).

    `resolved_by` is the signed-in user; a plain name is accepted for HQ-internal callers.
    """
    actor = resolved_by if isinstance(resolved_by, Actor) else None
    rows = repository.open_for_device(session, device_id, kind)
    for row in rows:
        before = _state(row)
        _close(row, resolved_by, resolution, note)
        session.flush()
        record(session, actor, "exception.resolved", "exception", row.id, before, _state(row))
    return len(rows)


def _close(row: ChainException, actor: Actor | str, resolution: str, note: str | None) -> None:
    row.resolved_at = datetime.now(UTC)
    if isinstance(actor, Actor):
        row.resolved_by, row.resolved_by_user_id = actor.email, actor.user_id
    else:
        row.resolved_by, row.resolved_by_user_id = actor, None
    row.resolution, row.note = resolution, note


def _state(row: ChainException) -> dict[str, Any]:
    return {"kind": row.kind, "status": "open" if row.resolved_at is None else "resolved",
            "resolved_by": row.resolved_by, "resolution": row.resolution, "note": row.note}
