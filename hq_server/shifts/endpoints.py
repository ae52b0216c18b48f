"""GET /shifts (admin, owner, store_manager): closed shifts (Z reports), newest first.

A store manager sees only their stores' shifts. Filters: store (code), since (closed at or after).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from hq_server.auth.deps import require_role
from hq_server.auth.identity import Actor
from hq_server.deps import DbSession, Offset
from hq_server.shifts import service
from hq_server.shifts.schemas import ShiftCloseOut, ShiftList

router = APIRouter(prefix="/shifts", tags=["shifts"])

Reader = Annotated[Actor, require_role("admin", "owner", "store_manager")]
_FIELDS = tuple(name for name in ShiftCloseOut.model_fields
                if name not in ("event_id", "store_id", "device_id", "store_code", "device_name"))


@router.get("", response_model=ShiftList)
def list_shifts(session: DbSession, user: Reader, store: str | None = None,
                since: datetime | None = None, limit: int = Query(200, ge=1, le=1000),
                offset: Offset = 0) -> ShiftList:
    rows = service.shift_reports(session, scope=user.scope, store_code=store, since=since,
                                 limit=limit, offset=offset)
    return ShiftList(shifts=[ShiftCloseOut(
        event_id=str(r.ShiftClose.event_id), store_id=str(r.ShiftClose.store_id),
        device_id=str(r.ShiftClose.device_id), store_code=r.store_code, device_name=r.device_name,
        **{name: getattr(r.ShiftClose, name) for name in _FIELDS}) for r in rows])
