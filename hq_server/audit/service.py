"""`record` is called by every write a person makes, inside that write's transaction.

So an audit row exists exactly when the change committed. The table refuses UPDATE, DELETE and
TRUNCATE (migration 0003), like the events table.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.db.models import AuditEntry


def record(session: Session, actor: Actor | None, action: str, entity: str,
           entity_id: uuid.UUID | str | None, before: dict[str, Any] | None,
           after: dict[str, Any] | None, *, user_id: uuid.UUID | None = None,
           ip: str | None = None) -> None:
    """Append one audit row. `actor` None is the CLI or HQ itself (or pass `user_id` and `ip`)."""
    session.add(AuditEntry(
        user_id=actor.user_id if actor else user_id, action=action, entity=entity,
        entity_id=None if entity_id is None else str(entity_id), before=before, after=after,
        ip=actor.ip if actor and actor.ip else ip))
    session.flush()
