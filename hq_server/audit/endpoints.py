"""GET /audit?entity=&user=&since= (admin, owner): newest first."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Query

from hq_server.audit import repository
from hq_server.audit.schemas import AuditEntryOut
from hq_server.auth.deps import require_role
from hq_server.deps import DbSession, Offset

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=list[AuditEntryOut], dependencies=[require_role("admin", "owner")])
def list_audit(session: DbSession, entity: str | None = None,
               user: str | None = Query(None, description="user id or email"),
               since: datetime | None = None, limit: int = Query(200, ge=1, le=1000),
               offset: Offset = 0) -> list[AuditEntryOut]:
    user_id, email = _user_filter(user)
    rows = repository.listing(session, entity=entity, user_id=user_id, user_email=email,
                              since=since, limit=limit, offset=offset)
    return [AuditEntryOut(id=r.AuditEntry.id, at=r.AuditEntry.at, user_email=r.user_email,
                          user_id=None if r.AuditEntry.user_id is None else str(r.AuditEntry.user_id),
                          action=r.AuditEntry.action, entity=r.AuditEntry.entity,
                          entity_id=r.AuditEntry.entity_id, before=r.AuditEntry.before,
                          after=r.AuditEntry.after,
                          ip=None if r.AuditEntry.ip is None else str(r.AuditEntry.ip))
            for r in rows]


def _user_filter(user: str | None) -> tuple[uuid.UUID | None, str | None]:
    if not user:
        return None, None
    try:
        return uuid.UUID(user), None
    except ValueError:
        return None, user
