"""GET /stock: on-hand per product and store."""

from __future__ import annotations

from fastapi import APIRouter, Query

from hq_server.auth.deps import CurrentUser
from hq_server.deps import DbSession, Offset
from hq_server.stock import repository
from hq_server.stock.schemas import OnHandOut

router = APIRouter(tags=["stock"])


@router.get("/stock", response_model=list[OnHandOut])
def list_on_hand(session: DbSession, user: CurrentUser, store: str | None = None,
                 sku: str | None = None, limit: int = Query(500, ge=1, le=5000),
                 offset: Offset = 0) -> list[OnHandOut]:
    """On-hand per product and store, within the signed-in user's stores."""
    rows = repository.on_hand_list(session, store_code=store, sku=sku, limit=limit, offset=offset,
                                   scope=user.scope)
    return [OnHandOut(product_id=str(r.product_id), sku=r.sku, name=r.name, store_id=str(r.store_id),
                      store_code=r.store_code, on_hand=r.on_hand, reorder_point=r.reorder_point)
            for r in rows]
