"""Inventory queries: looking things up by what people type, locking stock rows, stock in transit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.db.models import Product, Store
from hq_server.inventory.errors import Forbidden, NotFound
from hq_server.inventory.models import Transfer, TransferLine
from hq_server.stock.service import Key

# Who may write stock at HQ; store_manager and inventory only in their own stores. Adjustments
# (damage, theft, found, correction) stay with the people at the shelf; balancing stock between
# stores and counts entered at HQ are also a buyer's job, at any store.
STOCK_ADJUSTERS = frozenset({"admin", "store_manager", "inventory"})
STOCK_MOVERS = STOCK_ADJUSTERS | {"buyer"}

# Locks each (product, store) row in key order in one pass, making missing ones at 0: the same
# upsert shape and order as the ledger's bump, so the two cannot deadlock on each other.
_LOCK_ROWS = text("""
    INSERT INTO stock_on_hand AS o (product_id, store_id, on_hand)
    SELECT p, s, 0 FROM unnest(CAST(:products AS uuid[]), CAST(:stores AS uuid[])) AS t(p, s)
    ORDER BY p, s
    ON CONFLICT (product_id, store_id) DO UPDATE SET on_hand = o.on_hand
    RETURNING product_id, store_id, on_hand
""")


def as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def store(session: Session, ref: str) -> Store:
    """A store by code or id."""
    ref_id = as_uuid(ref)
    found = session.scalar(select(Store).where(Store.id == ref_id if ref_id else Store.code == ref))
    if found is None:
        raise NotFound(f"no store {ref!r}")
    return found


def product(session: Session, ref: str) -> Product:
    """A product by SKU or id."""
    ref_id = as_uuid(ref)
    found = session.scalar(select(Product).where(Product.id == ref_id if ref_id else Product.sku == ref))
    if found is None:
        raise NotFound(f"no product {ref!r}")
    return found


class ProductRef(Protocol):
    id: uuid.UUID
    sku: str
    name: str


class StoreRef(Protocol):
    id: uuid.UUID
    code: str


# For the hot reads (on-hand, ledger): the columns their answers name, not whole ORM rows.
_PRODUCT_REF = {by_id: text(f"SELECT id, sku, name FROM products WHERE {'id' if by_id else 'sku'} = :ref")
                for by_id in (False, True)}
_STORE_REF = {by_id: text(f"SELECT id, code FROM stores WHERE {'id' if by_id else 'code'} = :ref")
              for by_id in (False, True)}


def product_ref(session: Session, ref: str) -> ProductRef:
    """A product's id, SKU and name, by SKU or id."""
    return _ref(session, _PRODUCT_REF, ref, "product")


def store_ref(session: Session, ref: str) -> StoreRef:
    """A store's id and code, by code or id."""
    return _ref(session, _STORE_REF, ref, "store")


def _ref(session: Session, queries: dict[bool, Any], ref: str, what: str) -> Any:
    ref_id = as_uuid(ref)
    found = session.execute(queries[ref_id is not None], {"ref": ref_id or ref}).first()
    if found is None:
        raise NotFound(f"no {what} {ref!r}")
    return found


def find_products(session: Session, refs: Iterable[str]) -> dict[str, Product]:
    """Products by SKU or id, keyed by the reference given, in one query; misses are left out
    for the caller to refuse in its own words."""
    refs = list(dict.fromkeys(refs))
    ids = {r: as_uuid(r) for r in refs}
    rows = session.scalars(select(Product).where(or_(
        Product.sku.in_(refs), Product.id.in_([i for i in ids.values() if i is not None])))).all()
    by_sku, by_id = {p.sku: p for p in rows}, {p.id: p for p in rows}
    found = {}
    for ref in refs:
        match = by_sku.get(ref) or by_id.get(ids[ref])  # type: ignore[arg-type]
        if match is not None:
            found[ref] = match
    return found


def products(session: Session, refs: Iterable[str]) -> dict[str, Product]:
    """Products by SKU or id, keyed by the reference given; one query, every miss named."""
    refs = list(dict.fromkeys(refs))
    found = find_products(session, refs)
    missing = [r for r in refs if r not in found]
    if missing:
        raise NotFound(f"no product {', '.join(repr(m) for m in missing)}")
    return found


def require_writer(actor: Actor, store_row: Store, doing: str,
                   roles: frozenset[str] = STOCK_MOVERS) -> None:
    """403 in words unless `actor` has one of `roles` and may work at `store_row`."""
    if actor.role not in roles:
        raise Forbidden(f"your role ({actor.role}) may not {doing}; needs {role_list(roles)}")
    if not actor.scope.allows(store_row.id):
        raise Forbidden(f"you may not {doing} at store {store_row.code}: it is not one of your stores")


_ROLE_ORDER = ("admin", "store_manager", "inventory", "buyer")


def role_list(roles: frozenset[str]) -> str:
    """'admin, store_manager, inventory or buyer' for refusals, in a fixed order."""
    names = [r for r in _ROLE_ORDER if r in roles] + sorted(roles - set(_ROLE_ORDER))
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]


def lock_levels(session: Session, keys: Iterable[Key]) -> dict[Key, int]:
    """On-hand of `keys`, each row locked until commit (a missing row is made at 0, so that a
    till's first sale of the product cannot slip in between the read and the write)."""
    keys = sorted(set(keys))
    params = {"products": [k[0] for k in keys], "stores": [k[1] for k in keys]}
    return {(r.product_id, r.store_id): r.on_hand for r in session.execute(_LOCK_ROWS, params)}


def in_transit_by_product(session: Session, store_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Units shipped to `store_id` and not yet received, per product (merge rule 7)."""
    query = (select(TransferLine.product_id, func.sum(TransferLine.quantity))
             .join(Transfer, Transfer.id == TransferLine.transfer_id)
             .where(Transfer.to_store_id == store_id, Transfer.status == "shipped")
             .group_by(TransferLine.product_id))
    return {p: int(q) for p, q in session.execute(query)}
