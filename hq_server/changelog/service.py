"""Appending to the change log so that a reader's cursor never skips a late commit.

Ids come from a sequence at insert time, but become visible at commit; two writers can commit
out of id order and a reader at `id > cursor` would then skip the slower one for ever. Every
writer therefore takes one transaction-scoped advisory lock right before it inserts (as late in
its transaction as it can, to keep the lock short). The lock is held until commit, so the next
writer draws its ids only after the previous writer's rows are visible: ids become visible in
id order. `append_changes` is the only door into change_log (the seed's COPY path takes the same
lock through `LOCK_SQL`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy.orm import Session

from hq_server.db.session import driver

CHANGE_LOG_LOCK_KEY = 7_310_000_001  # fixed, arbitrary; only change_log writers use it
CHANGES_CHANNEL = "tillhq_changes"
LOCK_SQL = f"SELECT pg_advisory_xact_lock({CHANGE_LOG_LOCK_KEY})"
NOTIFY_SQL = f"SELECT pg_notify('{CHANGES_CHANNEL}', '')"


# The lock, the rows and the wake-up in one round trip. Each row joins the lock's one-row
# function scan, so no row (and no id drawn from the sequence for it) exists before the lock is
# held; a data-modifying WITH runs in full whatever the outer SELECT reads.
_APPEND = f"""
    WITH appended AS (
        INSERT INTO change_log (kind, entity_id, data, store_id)
        SELECT r.kind, r.entity_id, r.data, r.store_id
        FROM pg_advisory_xact_lock({CHANGE_LOG_LOCK_KEY}) AS locked,
             unnest(%s::text[], %s::text[], %s::jsonb[], %s::uuid[]) AS r(kind, entity_id, data, store_id))
    SELECT pg_notify('{CHANGES_CHANNEL}', '')"""


def _json(data: dict[str, Any]) -> str:
    try:
        return orjson.dumps(data).decode()
    except TypeError:  # beyond 64-bit ints and the like: the standard encoder, as before
        return json.dumps(data)


@dataclass(frozen=True, slots=True)
class ChangeRow:
    kind: str  # product | stock | store | till_user  (shared.wire.ChangeKind)
    entity_id: str
    data: dict[str, Any] = field(default_factory=dict)
    store_id: uuid.UUID | None = None  # set for per-store changes (stock, a store's users), None for chain-wide


def append_changes(session: Session, rows: Sequence[ChangeRow]) -> None:
    """Insert `rows` into change_log under the writers' lock and wake long-polling pulls.

    Call it last in the transaction: the lock is held until commit.
    """
    if not rows:
        return
    # Straight to psycopg on the session's connection: the ORM's batched insert of a sale push's
    # ~400 stock rows cost ~3 ms of CPU, and the lock and the NOTIFY were two more round trips.
    # The NOTIFY is delivered at commit (never if we roll back), to every HQ worker's listener.
    driver(session).execute(_APPEND, (
        [r.kind for r in rows], [r.entity_id for r in rows], [_json(r.data) for r in rows],
        [None if r.store_id is None else str(r.store_id) for r in rows]))
