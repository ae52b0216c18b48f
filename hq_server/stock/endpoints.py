"""GET /stock: on-hand per product and store."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from hq_server.auth.deps import CurrentUser
from hq_server.deps import DbSession, Offset
from hq_server.json_response import json_response
from hq_server.one_hop import one_hop
from hq_server.stock import repository
from hq_server.stock.schemas import OnHandOut

router = APIRouter(tags=["stock"])
FIELDS = tuple(OnHandOut.model_fields)  # the columns on_hand_list returns, in this order


@router.get("/stock", response_model=list[OnHandOut])
@one_hop
def list_on_hand(session: DbSession, user: CurrentUser, store: str | None = None,
                 sku: str | None = None, limit: int = Query(500, ge=1, le=5000),
                 offset: Offset = 0) -> Response:
    """On-hand per product and store, within the signed-in user's stores."""
    rows = repository.on_hand_list(session, store_code=store, sku=sku, limit=limit, offset=offset,
                                   scope=user.scope)
    return json_response([dict(zip(FIELDS, row, strict=True)) for row in rows])
