"""Batches API: which products track batches, a store's alert window, what a store holds per
batch, and which batches to pick first (FEFO). Refusals as the inventory API words them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Query

from hq_server.auth.deps import CurrentUser
from hq_server.batches import service
from hq_server.batches.schemas import AlertWindowIn, TrackingIn
from hq_server.deps import DbSession

router = APIRouter(prefix="/batches", tags=["batches"])
Product = Query(description="SKU or product id")
Store = Query(description="store code or id")
On = Query(None, description="the day to judge expiry by (default today, UTC)")


def today_utc() -> date:
    return datetime.now(UTC).date()


@router.put("/tracking/{product}")
def set_tracking(product: str, body: TrackingIn, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """Mark a product as batch-tracked (admin, buyer). Stock it already holds stays unbatched."""
    return service.set_tracking(session, user, product, body.tracked)


@router.put("/alert-window/{store}")
def set_alert_window(store: str, body: AlertWindowIn, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """How many days before expiry a store's batches raise an expiry exception."""
    return service.set_alert_window(session, user, store, body.days)


@router.get("")
def holding(session: DbSession, user: CurrentUser, product: str = Product, store: str = Store,
            on: date | None = On) -> dict[str, Any]:
    """A product's batches at a store (first to expire first) and its unbatched remainder."""
    found = service.holding(session, user, product, store)
    return service.describe(found, on or today_utc())


@router.get("/fefo")
def fefo(session: DbSession, user: CurrentUser, product: str = Product, store: str = Store,
         quantity: int = Query(ge=1, le=1_000_000), on: date | None = On) -> dict[str, Any]:
    """Which batches to pick `quantity` units from, for a transfer or the shelf."""
    found = service.holding(session, user, product, store)
    return service.suggest(found, quantity, on or today_utc())
