"""Read-only catalogue API for the back office."""

from __future__ import annotations

from fastapi import APIRouter

from hq_server.catalog import repository
from hq_server.catalog.schemas import StoreOut
from hq_server.deps import DbSession

router = APIRouter(tags=["catalog"])


@router.get("/stores", response_model=list[StoreOut])
def list_stores(session: DbSession) -> list[StoreOut]:
    return [StoreOut(id=str(s.id), code=s.code, name=s.name, currency=s.currency)
            for s in repository.stores(session)]
