"""GET /exceptions (admin, owner, store_manager) and POST /exceptions/{id}/resolve (admin,
store_manager). A store manager sees and resolves only their stores' exceptions."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from hq_server.auth.deps import require_role
from hq_server.auth.identity import Actor
from hq_server.db.models import ChainException, Store
from hq_server.deps import DbSession, Offset
from hq_server.exceptions import repository, service
from hq_server.exceptions.schemas import ExceptionList, ExceptionOut, ResolveRequest

router = APIRouter(prefix="/exceptions", tags=["exceptions"])

Reader = Annotated[Actor, require_role("admin", "owner", "store_manager")]
Resolver = Annotated[Actor, require_role("admin", "store_manager")]


def _out(row: ChainException, store_code: str | None) -> ExceptionOut:
    def text(value: uuid.UUID | None) -> str | None:
        return None if value is None else str(value)

    return ExceptionOut(
        id=str(row.id), kind=row.kind, status="open" if row.resolved_at is None else "resolved",
        store_id=text(row.store_id), store_code=store_code, device_id=text(row.device_id),
        product_id=text(row.product_id), event_id=text(row.event_id), details=row.details,
        raised_at=row.raised_at, resolved_at=row.resolved_at, resolved_by=row.resolved_by,
        resolved_by_user_id=text(row.resolved_by_user_id), resolution=row.resolution, note=row.note)


@router.get("", response_model=ExceptionList)
def list_exceptions(session: DbSession, user: Reader, kind: str | None = None,
                    store: str | None = None, status: Literal["open", "resolved", "all"] = "open",
                    limit: int = Query(200, ge=1, le=1000), offset: Offset = 0) -> ExceptionList:
    if kind is not None and kind not in service.KINDS:
        raise HTTPException(422, f"unknown kind {kind!r}; one of {', '.join(service.KINDS)}")
    rows = repository.listing(session, scope=user.scope, kind=kind, store_code=store,
                              status=status, limit=limit, offset=offset)
    return ExceptionList(exceptions=[_out(r.ChainException, r.store_code) for r in rows],
                         counts=repository.counts_by_kind(session, scope=user.scope,
                                                          store_code=store, status=status))


@router.post("/{exception_id}/resolve", response_model=ExceptionOut)
def resolve(exception_id: uuid.UUID, body: ResolveRequest, session: DbSession,
            user: Resolver) -> ExceptionOut:
    try:
        row = service.resolve_exception(session, user, exception_id, resolution=body.resolution,
                                        note=body.note)
    except service.ExceptionNotFound as error:
        raise HTTPException(404, str(error)) from None
    except service.AlreadyResolved as error:
        raise HTTPException(409, str(error)) from None
    store = None if row.store_id is None else session.get(Store, row.store_id)
    return _out(row, store.code if store else None)
