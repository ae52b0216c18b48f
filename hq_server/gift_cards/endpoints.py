"""Gift cards and store credit under /gift-cards.

Reading a card (balance and history) is for the people who serve customers and the owner; a
store manager or admin adjusts one (booked to one of their stores).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from hq_server.auth.deps import require_role
from hq_server.auth.identity import Actor
from hq_server.deps import DbSession
from hq_server.gift_cards import service
from hq_server.gift_cards.schemas import AdjustmentIn

router = APIRouter(prefix="/gift-cards", tags=["gift cards"])
Reader = Annotated[Actor, require_role("admin", "owner", "store_manager")]
Keeper = Annotated[Actor, require_role("admin", "store_manager")]


@router.get("/{card_number}")
def one(card_number: str, session: DbSession, user: Reader) -> dict[str, Any]:
    """The card's balance (chain-wide) and its postings at the reader's stores, newest first."""
    return service.one(session, user, card_number)


@router.post("/{card_number}/adjustments", status_code=201)
def adjust(card_number: str, body: AdjustmentIn, session: DbSession, user: Keeper) -> dict[str, Any]:
    row = service.adjust(session, user, card_number,
                         service.Adjustment(body.delta_minor, body.store, body.note))
    return service.summary(session, row)
