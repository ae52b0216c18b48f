"""Who is asking, and which stores they may see. Plain data: no FastAPI, no database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

# Roles that see every store; the others see only the stores in user_stores. (A viewer has no
# stores of its own: users.service refuses to give it any, so it reads chain-wide.)
CHAIN_WIDE_ROLES = frozenset({"admin", "owner", "buyer", "viewer"})
STORE_SCOPED_ROLES = frozenset({"store_manager", "inventory"})
# Roles that may see cost prices, supplier terms and what is owed to vendors (API and RLS).
COST_READERS = frozenset({"admin", "owner", "buyer", "store_manager"})


@dataclass(frozen=True, slots=True)
class StoreScope:
    """The stores a request may touch. Every store-bound query passes through `apply`."""

    all_stores: bool
    store_ids: frozenset[uuid.UUID] = frozenset()

    @classmethod
    def for_role(cls, role: str, store_ids: frozenset[uuid.UUID]) -> StoreScope:
        return cls(True) if role in CHAIN_WIDE_ROLES else cls(False, store_ids)

    def allows(self, store_id: uuid.UUID | None) -> bool:
        return self.all_stores or (store_id is not None and store_id in self.store_ids)

    def apply(self, query: Any, store_column: Any) -> Any:
        """`query` narrowed to rows whose `store_column` is one of the scope's stores."""
        return query if self.all_stores else query.where(store_column.in_(self.store_ids))


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user making a request (or None for the CLI / system)."""

    user_id: uuid.UUID
    email: str
    role: str
    scope: StoreScope
    session_id: uuid.UUID | None = None
    ip: str | None = None

    @property
    def sees_costs(self) -> bool:
        return self.role in COST_READERS
