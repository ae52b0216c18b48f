"""Read-only catalogue API for the back office."""

from __future__ import annotations

from fastapi import APIRouter

from hq_server.auth.deps import CurrentUser
from hq_server.catalog import repository
from hq_server.catalog.schemas import StoreOut
from hq_server.deps import DbSession

router = APIRouter(tags=["catalog"])


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness for load balancers and scripts: answers without signing in, tells nothing else."""
    return {"status": "ok"}


@router.get("/stores", response_model=list[StoreOut])
def list_stores(session: DbSession, user: CurrentUser) -> list[StoreOut]:
    return [StoreOut(id=str(s.id), code=s.code, name=s.name, currency=s.currency)
            for s in repository.stores(session) if user.scope.allows(s.id)]
