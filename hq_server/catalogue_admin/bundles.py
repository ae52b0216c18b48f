"""Bundles and kits: a sellable product made of components, with no stock of its own.

Selling a bundle moves its components (`bundle_component_movements`); how many a store can sell
is the minimum over components of floor(on hand / quantity per bundle), never below zero.
Components are plain products: a bundle inside a bundle is refused, so one level is enough.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.catalogue_admin.models import BundleComponent
from hq_server.db.models import Product


class BundleError(ValueError):
    """A bundle that cannot be made; the message says why."""


def components_of(session: Session, bundle_id: uuid.UUID) -> list[tuple[Product, int]]:
    query = (select(Product, BundleComponent.quantity)
             .join(BundleComponent, BundleComponent.component_id == Product.id)
             .where(BundleComponent.bundle_id == bundle_id).order_by(Product.sku))
    return [(product, quantity) for product, quantity in session.execute(query)]


def set_components(session: Session, actor: Actor | None, bundle: Product,
                   components: Sequence[tuple[str, int]]) -> list[tuple[Product, int]]:
    """Replace the bundle's components with (sku, quantity per bundle); [] makes it a plain product."""
    skus = [sku for sku, _ in components]
    if len(set(skus)) != len(skus):
        raise BundleError("a component is listed twice; give each SKU once with its quantity")
    found = {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(skus)))}
    for sku, quantity in components:
        if sku not in found:
            raise BundleError(f"unknown component {sku!r}")
        if quantity < 1:
            raise BundleError(f"quantity of {sku} must be at least 1")
        if sku == bundle.sku:
            raise BundleError("a bundle cannot contain itself")
    if components and _is_component(session, bundle.id):
        raise BundleError(f"{bundle.sku} is a component of another bundle; bundles have one level")
    nested = [sku for sku in skus if components_of(session, found[sku].id)]
    if nested:
        raise BundleError(f"{', '.join(nested)} is a bundle itself; bundles have one level")
    before = _snapshot(components_of(session, bundle.id))
    session.execute(delete(BundleComponent).where(BundleComponent.bundle_id == bundle.id))
    session.add_all([BundleComponent(bundle_id=bundle.id, component_id=found[sku].id, quantity=q)
                     for sku, q in components])
    session.flush()
    after = components_of(session, bundle.id)
    if _snapshot(after) != before:
        record(session, actor, "bundle.components_set", "product", bundle.id,
               {"sku": bundle.sku, "components": before}, {"sku": bundle.sku, "components": _snapshot(after)})
    return after


def _is_component(session: Session, product_id: uuid.UUID) -> bool:
    return session.scalar(select(BundleComponent.bundle_id)
                          .where(BundleComponent.component_id == product_id).limit(1)) is not None


def _snapshot(components: Iterable[tuple[Product, int]]) -> list[list]:
    return [[product.sku, quantity] for product, quantity in components]


_AVAILABLE = text("""
    SELECT st.id, st.code, greatest(0, min(floor(coalesce(s.on_hand, 0)::numeric / c.quantity)))::bigint
    FROM stores st CROSS JOIN bundle_components c
    LEFT JOIN stock_on_hand s ON s.product_id = c.component_id AND s.store_id = st.id
    WHERE c.bundle_id = :bundle GROUP BY st.id, st.code ORDER BY st.code""")


def availability(session: Session, bundle_id: uuid.UUID) -> list[tuple[uuid.UUID, str, int]]:
    """(store id, store code, bundles that store can make) per store; empty if not a bundle."""
    return [(sid, code, int(n)) for sid, code, n in session.execute(_AVAILABLE, {"bundle": bundle_id})]


# The same by the bundle's SKU, for the API: one statement, no product row loaded first.
_AVAILABLE_BY_SKU = text("""
    SELECT st.id, st.code, greatest(0, min(floor(coalesce(s.on_hand, 0)::numeric / c.quantity)))::bigint
    FROM products b JOIN bundle_components c ON c.bundle_id = b.id CROSS JOIN stores st
    LEFT JOIN stock_on_hand s ON s.product_id = c.component_id AND s.store_id = st.id
    WHERE b.sku = :sku GROUP BY st.id, st.code ORDER BY st.code""")


def availability_by_sku(session: Session, sku: str) -> Sequence[tuple[uuid.UUID, str, int]]:
    """As `availability`; empty if there is no such product or it is not a bundle."""
    return session.execute(_AVAILABLE_BY_SKU, {"sku": sku}).all()


def bundle_component_movements(session: Session, product_id: uuid.UUID,
                               quantity: int) -> list[tuple[uuid.UUID, int]]:
    """The component stock deltas for a `quantity` stock delta of `product_id`.

    `quantity` is signed like a stock movement (a sale of 2 bundles is -2, a return of one is
    +1); each component moves `quantity` x its quantity per bundle. [] when the product is not a
    bundle: the caller then moves the product itself.
    """
    rows = session.execute(select(BundleComponent.component_id, BundleComponent.quantity)
                           .where(BundleComponent.bundle_id == product_id)
                           .order_by(BundleComponent.component_id))
    return [(component_id, quantity * per_bundle) for component_id, per_bundle in rows]


def bundles_among(session: Session, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[tuple[uuid.UUID, int]]]:
    """Batch form for ingest: {bundle id: [(component id, quantity per bundle)]} in one query."""
    found: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = {}
    rows = session.execute(select(BundleComponent.bundle_id, BundleComponent.component_id,
                                  BundleComponent.quantity)
                           .where(BundleComponent.bundle_id.in_(set(product_ids)))
                           .order_by(BundleComponent.bundle_id, BundleComponent.component_id))
    for bundle_id, component_id, per_bundle in rows:
        found.setdefault(bundle_id, []).append((component_id, per_bundle))
    return found
