"""The catalogue as a buyer browses it: a page of products matching a search and a category,
each with what it is (plain, a parent of variants, a variant, a bundle).

Searched per request and paged in SQL: the page's 50 rows are the only ones that leave
PostgreSQL, and the markers are counted for those rows only.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from hq_server.catalogue_admin.models import BundleComponent
from hq_server.db.models import Product
from hq_server.db.text_search import product_matches


@dataclass(frozen=True, slots=True)
class ListedProduct:
    product: Product
    parent_sku: str | None
    variant_count: int
    component_count: int


def search(session: Session, q: str = "", category: str = "", *, limit: int,
           offset: int) -> tuple[list[ListedProduct], int]:
    """Products whose SKU, name or a barcode contains `q` (any case), in `category` if given,
    by SKU; and how many match in all."""
    if not (q or category):  # the whole catalogue: walk the SKU index, count apart
        found = session.scalars(select(Product).order_by(Product.sku).limit(limit).offset(offset)).all()
        return _with_markers(session, found), _count(session, select(Product))
    query = select(Product)
    if q:
        query = query.where(product_matches(q))
    if category:
        query = query.where(Product.category == category)
    # One scan finds the page and counts the matches (a window count over the filtered rows).
    rows = session.execute(query.add_columns(func.count().over()).order_by(Product.sku)
                           .limit(limit).offset(offset)).all()
    total = rows[0][1] if rows else _count(session, query) if offset else 0
    return _with_markers(session, [row[0] for row in rows]), int(total)


def categories(session: Session) -> list[str]:
    return list(session.scalars(select(Product.category).where(Product.category != "")
                                .distinct().order_by(Product.category)))


def _with_markers(session: Session, found: Sequence[Product]) -> list[ListedProduct]:
    ids = [p.id for p in found]
    parent = aliased(Product)
    parents: dict[uuid.UUID, str] = dict(session.execute(
        select(Product.id, parent.sku).join(parent, parent.id == Product.parent_id)
        .where(Product.id.in_(ids))).all())
    variants = dict(session.execute(select(Product.parent_id, func.count())
                                    .where(Product.parent_id.in_(ids)).group_by(Product.parent_id)).all())
    components = dict(session.execute(select(BundleComponent.bundle_id, func.count())
                                      .where(BundleComponent.bundle_id.in_(ids))
                                      .group_by(BundleComponent.bundle_id)).all())
    return [ListedProduct(p, parents.get(p.id), variants.get(p.id, 0), components.get(p.id, 0))
            for p in found]


def _count(session: Session, query: Select) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
