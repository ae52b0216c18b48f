"""Inventory API: on-hand across stores, the ledger behind a number, adjustments, in transit.

Every role may read, within its stores (viewer, buyer and owner only read); admin, and
store_manager or inventory in their own stores, move stock. Transfers and counts have their own
routers, included here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from hq_server.auth.deps import CurrentUser
from hq_server.auth.identity import Actor
from hq_server.db.models import Store
from hq_server.deps import DbSession
from hq_server.inventory import adjustments, ledger, repository
from hq_server.inventory.errors import Forbidden
from hq_server.inventory.schemas import AdjustmentIn

router = APIRouter(prefix="/inventory", tags=["inventory"])


def readable_store(session: DbSession, user: Actor, ref: str) -> Store:
    store = repository.store(session, ref)
    if not user.scope.allows(store.id):
        raise Forbidden(f"store {store.code} is not one of your stores")
    return store


@router.get("/on-hand")
def on_hand(session: DbSession, user: CurrentUser,
            product: str = Query(description="SKU or product id")) -> dict[str, Any]:
    """One product's on-hand and inbound in-transit in each of the caller's stores."""
    found = repository.product(session, product)
    return {"product": {"id": str(found.id), "sku": found.sku, "name": found.name},
            "stores": ledger.on_hand_across_stores(session, found.id, user.scope)}


@router.get("/ledger")
def explain(session: DbSession, user: CurrentUser, product: str, store: str,
            limit: int = Query(1000, ge=1, le=10000)) -> dict[str, Any]:
    """Explain one on-hand number: the last count, then every movement since (rule 3)."""
    return ledger.explain(session, repository.product(session, product),
                          readable_store(session, user, store), limit=limit)


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
