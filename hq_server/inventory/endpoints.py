"""Inventory API: on-hand across stores, the ledger behind a number, adjustments, in transit.

Every role may read, within its stores (viewer, buyer and owner only read); admin, and
store_manager or inventory in their own stores, move stock. Transfers and counts have their own
routers, included here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from hq_server.auth.deps import CurrentUser
from hq_server.auth.identity import Actor
from hq_server.deps import DbSession
from hq_server.inventory import adjustments, ledger, repository
from hq_server.inventory.errors import Forbidden
from hq_server.inventory.repository import StoreRef
from hq_server.inventory.schemas import AdjustmentIn
from hq_server.json_response import json_response
from hq_server.one_hop import one_hop

router = APIRouter(prefix="/inventory", tags=["inventory"])


def readable_store(session: DbSession, user: Actor, ref: str) -> StoreRef:
    store = repository.store_ref(session, ref)
    if not user.scope.allows(store.id):
        raise Forbidden(f"store {store.code} is not one of your stores")
    return store


# The two hot reads answer with JSON they build (hq_server.json_response): same content as
# FastAPI's encoding of the same dicts, a fraction of the CPU.
@router.get("/on-hand", response_model=dict[str, Any])
@one_hop
def on_hand(session: DbSession, user: CurrentUser,
            product: str = Query(description="SKU or product id")) -> Response:
    """One product's on-hand and inbound in-transit in each of the caller's stores."""
    return json_response(ledger.on_hand_across_stores(session, product, user.scope))


@router.get("/ledger", response_model=dict[str, Any])
@one_hop
def explain(session: DbSession, user: CurrentUser, product: str, store: str,
            limit: int = Query(1000, ge=1, le=10000)) -> Response:
    """Explain one on-hand number: the last count, then every movement since (rule 3)."""
    return json_response(ledger.explain(session, repository.product_ref(session, product),
                                        readable_store(session, user, store), limit=limit))


@router.get("/in-transit")
def in_transit(session: DbSession, user: CurrentUser, store: str) -> dict[str, Any]:
    """Units shipped to a store and not yet received, per product."""
    found = readable_store(session, user, store)
    quantities = repository.in_transit_by_product(session, found.id)
    return {"store": found.code,
            "products": [{"product_id": str(p), "quantity": q} for p, q in sorted(quantities.items())]}


@router.post("/adjustments", status_code=201)
def adjust(body: AdjustmentIn, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return adjustments.adjust(session, user, store_ref=body.store, product_ref=body.product,
                              delta=body.delta, reason=body.reason, note=body.note)


def _include_documents() -> None:
    # Imported here: those routers import `answer` from this module.
    from hq_server.inventory.count_endpoints import router as counts
    from hq_server.inventory.transfer_endpoints import router as transfers

    router.include_router(transfers)
    router.include_router(counts)


_include_documents()
