"""GET /overrides (admin, owner, store_manager): the override log, newest first.

A store manager sees only their stores' overrides. Filters: store (code), action, since.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from hq_server.auth.deps import require_role
from hq_server.auth.identity import Actor
from hq_server.deps import DbSession, Offset
from hq_server.overrides import service
from hq_server.overrides.schemas import OverrideList, OverrideOut

router = APIRouter(prefix="/overrides", tags=["overrides"])

Reader = Annotated[Actor, require_role("admin", "owner", "store_manager")]


@router.get("", response_model=OverrideList)
def list_overrides(session: DbSession, user: Reader, store: str | None = None,
                   action: str | None = None, since: datetime | None = None,
                   limit: int = Query(200, ge=1, le=1000),
                   offset: Offset = 0) -> OverrideList:
    if action is not None and action not in service.ACTIONS:
        raise HTTPException(422, f"unknown action {action!r}; one of {', '.join(service.ACTIONS)}")
    rows = service.override_log(session, scope=user.scope, store_code=store, action=action,
                                since=since, limit=limit, offset=offset)
    return OverrideList(overrides=[_out(r.OverrideEntry, r.store_code, r.device_name) for r in rows])


def _out(row, store_code: str, device_name: str) -> OverrideOut:  # noqa: ANN001
    return OverrideOut(
        event_id=str(row.event_id), override_id=row.override_id, store_id=str(row.store_id),
        store_code=store_code, device_id=str(row.device_id), device_name=device_name,
        action=row.action, requested_by=row.requested_by, requested_by_id=row.requested_by_id,
        approved_by=row.approved_by, approved_by_id=row.approved_by_id, before=row.before,
        after=row.after, reason=row.reason, sale_id=row.sale_id, at=row.at)
