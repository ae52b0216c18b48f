"""Who may do what in purchasing, and the store scope every store-bound request passes through.

admin and buyer manage vendors, levels and orders; store_manager views and receives their own
stores' orders; inventory only receives (and never sees costs); owner and viewer read. Costs,
payment terms and balances are left out of responses (not zeroed) for roles that may not see
costs (`Actor.sees_costs`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hq_server.auth.deps import CurrentUser, require_role
from hq_server.auth.identity import Actor
from hq_server.db.models import Store
from hq_server.purchasing.errors import NotFound

Reader = CurrentUser
Buyer = Annotated[Actor, require_role("admin", "buyer")]
Receiver = Annotated[Actor, require_role("admin", "buyer", "store_manager", "inventory")]
OrderReader = Annotated[Actor, require_role("admin", "owner", "buyer", "store_manager",
                                            "inventory", "viewer")]
LedgerReader = Annotated[Actor, require_role("admin", "owner", "buyer")]
# Who may receive more than was ordered: receiving.OVER_RECEIVERS.


def store_in_scope(session: Session, actor: Actor, code: str) -> Store:
    """The store with `code`, if the actor may see it; else NotFound (same words either way)."""
    store = session.scalar(select(Store).where(Store.code == code))
    if store is None or not actor.scope.allows(store.id):
        raise NotFound(f"no store {code!r} among your stores")
    return store


_STORE_ID = text("SELECT id FROM stores WHERE code = :code")


def store_id_in_scope(session: Session, actor: Actor, code: str) -> uuid.UUID:
    """As `store_in_scope`, the id alone (a list filter needs no more than that)."""
    store_id = session.execute(_STORE_ID, {"code": code}).scalar()
    if store_id is None or not actor.scope.allows(store_id):
        raise NotFound(f"no store {code!r} among your stores")
    return store_id


def costs(actor: Actor, **fields: Any) -> dict[str, Any]:
    """`fields` for cost readers, nothing for the rest: spread into a response model."""
    return fields if actor.sees_costs else {}


def read_costs(actor: Actor, read: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`read()` for cost readers, nothing for the rest, whose costs are not even loaded:
    PostgreSQL refuses them the cost columns (hq_server.db.cost_wall)."""
    return read() if actor.sees_costs else {}
