"""Replenishment levels and reorder suggestions, per store.

GET levels and suggestions: every role within their stores (costs only for cost readers).
PUT levels and POST .../replenishment/orders (draft orders from suggestions): admin, buyer.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from hq_server.deps import DbSession, Offset
from hq_server.purchasing import replenishment
from hq_server.purchasing.access import Buyer, Reader, costs, store_in_scope
from hq_server.purchasing.orders_api import orders_out
from hq_server.purchasing.schemas import (
    LevelOut,
    LevelsIn,
    LevelsSet,
    OrderOut,
    OrdersFromSuggestionsIn,
    SuggestionLine,
    Suggestions,
    VendorSuggestions,
)

router = APIRouter(prefix="/stores/{store_code}", tags=["purchasing"])
_COSTLESS = {"response_model_exclude_unset": True}


@router.put("/replenishment-levels", response_model=LevelsSet)
def set_levels(store_code: str, body: LevelsIn, session: DbSession, user: Buyer) -> LevelsSet:
    store = store_in_scope(session, user, store_code)
    changed = replenishment.set_levels(
        session, user, store, [(lv.product_id, lv.reorder_point, lv.target_level) for lv in body.levels])
    return LevelsSet(store_code=store.code, changed=changed)


@router.get("/replenishment-levels", response_model=list[LevelOut])
def list_levels(store_code: str, session: DbSession, user: Reader,
                limit: int = Query(1000, ge=1, le=10_000), offset: Offset = 0) -> list[LevelOut]:
    store = store_in_scope(session, user, store_code)
    return [LevelOut(product_id=str(r.ReplenishmentLevel.product_id), sku=r.sku,
                     reorder_point=r.ReplenishmentLevel.reorder_point,
                     target_level=r.ReplenishmentLevel.target_level)
            for r in replenishment.levels_of(session, store, limit=limit, offset=offset)]


@router.get("/replenishment", response_model=Suggestions, **_COSTLESS)
def suggestions(store_code: str, session: DbSession, user: Reader) -> Response:
    """What to reorder for the store, grouped by preferred vendor."""
    store = store_in_scope(session, user, store_code)
    groups: dict[object, VendorSuggestions] = {}
    for s in replenishment.suggestions(session, store.id):
        group = groups.get(s.vendor_id)
        if group is None:
            group = groups[s.vendor_id] = VendorSuggestions(
                vendor_id=None if s.vendor_id is None else str(s.vendor_id), vendor_name=s.vendor_name,
                lines=[], **costs(user, total_minor=0))
        group.lines.append(SuggestionLine(
            product_id=str(s.product_id), sku=s.sku, name=s.name, on_hand=s.on_hand,
            in_transit=s.in_transit, on_order=s.on_order, reorder_point=s.reorder_point,
            target_level=s.target_level, suggested_quantity=s.quantity,
            **({} if s.unit_cost_minor is None else costs(user, unit_cost_minor=s.unit_cost_minor))))
        if user.sees_costs and s.unit_cost_minor is not None:
            group.total_minor += s.unit_cost_minor * s.quantity
    answer = Suggestions(store_code=store.code, vendors=list(groups.values()))
    # Serialised here, once: a big store has thousands of lines, and FastAPI would validate the
    # whole answer against response_model a second time (the model still documents it).
    return Response(answer.model_dump_json(exclude_unset=True), media_type="application/json")


@router.post("/replenishment/orders", response_model=list[OrderOut], status_code=201, **_COSTLESS)
def orders_from_suggestions(store_code: str, body: OrdersFromSuggestionsIn, session: DbSession,
                            user: Buyer) -> list[OrderOut]:
    """Draft purchase orders, one per preferred vendor, from the picked suggestion lines."""
    store = store_in_scope(session, user, store_code)
    made = replenishment.orders_from_suggestions(
        session, user, store, [(pick.product_id, pick.quantity) for pick in body.lines])
    return orders_out(session, made, user)
