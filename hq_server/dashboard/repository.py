"""The few queries only the dashboard makes (the rest it borrows from each domain's repository)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from hq_server.auth.identity import StoreScope
from hq_server.db.models import (
    AuditEntry,
    ChainException,
    Device,
    HqUser,
    Product,
    ProductBarcode,
    StockOnHand,
    Store,
)
from hq_server.db.text_search import like_escaped, product_matches
from hq_server.inventory.models import StockCount, StockCountLine, Transfer, TransferLine
from hq_server.purchasing.models import ReplenishmentLevel, Vendor, VendorProduct


def open_counts_by_store(session: Session, scope: StoreScope) -> dict[str, int]:
    """Open exceptions per store code (any kind); chain-wide ones under ''."""
    query = select(func.coalesce(Store.code, ""), func.count()) \
        .select_from(ChainException).outerjoin(Store, Store.id == ChainException.store_id) \
        .where(ChainException.resolved_at.is_(None)).group_by(Store.code)
    return dict(session.execute(scope.apply(query, ChainException.store_id)).all())


def product_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Product.id, Product.name).where(Product.id.in_(wanted))).all())


def device_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Device.id, Device.name).where(Device.id.in_(wanted))).all())


def audit_page(session: Session, *, user: str, entity: str, action: str, since: datetime | None,
               until: datetime | None, limit: int, offset: int) -> tuple[list, int]:
    """Audit rows newest first, with the user's email, and how many match in all."""
    query = select(AuditEntry, HqUser.email.label("user_email")) \
        .outerjoin(HqUser, HqUser.id == AuditEntry.user_id)
    if user:
        query = query.where(HqUser.email.ilike(f"%{like_escaped(user.strip().lower())}%", escape="\\"))
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if action:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)).all()
    return list(rows), int(total)


def audit_choices(session: Session) -> tuple[list[str], list[str]]:
    """The entities and actions the log holds, for the filters' pick lists."""
    entities = session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))
    actions = session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return list(entities), list(actions)


# --- stock page ---------------------------------------------------------------------------------

COUNT_CAP = 10_000

def _reorder_point() -> Any:
    """A store's reorder point: its replenishment level when set, else the product's default."""
    return func.coalesce(ReplenishmentLevel.reorder_point, Product.reorder_point)


def _with_level(query: Any) -> Any:
    return query.outerjoin(ReplenishmentLevel, (ReplenishmentLevel.product_id == StockOnHand.product_id)
                           & (ReplenishmentLevel.store_id == StockOnHand.store_id))


def stock_conditions(q: str, category: str, vendor_id: uuid.UUID | None, level: str,
                     store_ids: list[uuid.UUID]) -> list[Any]:
    """What the stock page's search and filters ask of a product (AND-ed)."""
    conditions: list[Any] = []
    if q:
        conditions.append(product_matches(q))
    if category:
        conditions.append(Product.category == category)
    if vendor_id is not None:
        conditions.append(Product.id.in_(select(VendorProduct.product_id)
                                         .where(VendorProduct.vendor_id == vendor_id)))
    if level in ("low", "out"):
        limit = 0 if level == "out" else _reorder_point()
        conditions.append(exists(_with_level(
            select(StockOnHand.product_id).where(StockOnHand.product_id == Product.id,
                                                 StockOnHand.store_id.in_(store_ids),
                                                 StockOnHand.on_hand <= limit))))
    return conditions


def stock_products(session: Session, conditions: list[Any], *, limit: int,
                   offset: int) -> tuple[Sequence[Product], int]:
    """One page of products matching `conditions`, by SKU, and how many match (up to COUNT_CAP + 1)."""
    query = select(Product).where(*conditions)
    # A filtered count stops at COUNT_CAP: an exact count of 200,000 "low somewhere" products
    # would cost seconds; "10,000+" says as much to a buyer.
    matching = select(Product.id).where(*conditions)
    if conditions:
        matching = matching.limit(COUNT_CAP + 1)
    total = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    return session.scalars(query.order_by(Product.sku).limit(limit).offset(offset)).all(), int(total)


def stock_levels(session: Session, product_ids: Sequence[uuid.UUID],
                 store_ids: Sequence[uuid.UUID]) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[int | None, int]]:
    """(product, store) -> (on-hand or None without a stock row, the store's reorder point)."""
    if not product_ids or not store_ids:
        return {}
    query = (select(Product.id, Store.id, StockOnHand.on_hand,
                    func.coalesce(ReplenishmentLevel.reorder_point, Product.reorder_point))
             .select_from(Product).join(Store, Store.id.in_(store_ids))
             .outerjoin(StockOnHand, (StockOnHand.product_id == Product.id) & (StockOnHand.store_id == Store.id))
             .outerjoin(ReplenishmentLevel, (ReplenishmentLevel.product_id == Product.id)
                        & (ReplenishmentLevel.store_id == Store.id))
             .where(Product.id.in_(product_ids)))
    return {(p, s): (n, int(r)) for p, s, n, r in session.execute(query)}


def vendor_names(session: Session, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The vendors each product is bought from (purchasing's links), preferred first."""
    found: dict[uuid.UUID, list[str]] = {}
    if not product_ids:
        return found
    query = (select(VendorProduct.product_id, Vendor.name).join(Vendor, Vendor.id == VendorProduct.vendor_id)
             .where(VendorProduct.product_id.in_(product_ids))
             .order_by(VendorProduct.preferred.desc(), Vendor.name))
    for product_id, name in session.execute(query):
        found.setdefault(product_id, []).append(name)
    return found


def stock_totals(session: Session, store_ids: Sequence[uuid.UUID],
                 conditions: list[Any]) -> dict[uuid.UUID, tuple[int, int, int]]:
    """Per store: units on hand, products at or below their reorder point, products out (<= 0)."""
    point = _reorder_point()
    query = _with_level(
        select(StockOnHand.store_id, func.sum(StockOnHand.on_hand),
               func.count().filter(StockOnHand.on_hand <= point, StockOnHand.on_hand > 0),
               func.count().filter(StockOnHand.on_hand <= 0))
        .join(Product, Product.id == StockOnHand.product_id))
    query = query.where(StockOnHand.store_id.in_(store_ids), *conditions).group_by(StockOnHand.store_id)
    return {s: (int(u or 0), int(low), int(out)) for s, u, low, out in session.execute(query)}


def categories(session: Session) -> list[str]:
    """The catalogue's categories, for the filters' pick lists."""
    return list(session.scalars(select(Product.category).where(Product.category != "")
                                .distinct().order_by(Product.category)))


def barcode_products(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """Barcode -> SKU for the codes that are barcodes (people type either at a transfer or count)."""
    wanted = list({c for c in codes if c})
    if not wanted:
        return {}
    return dict(session.execute(select(ProductBarcode.barcode, Product.sku)
                                .join(Product, Product.id == ProductBarcode.product_id)
                                .where(ProductBarcode.barcode.in_(wanted))).all())


def barcodes_of(session: Session, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = {}
    for product_id, barcode in session.execute(select(ProductBarcode.product_id, ProductBarcode.barcode)
                                               .where(ProductBarcode.product_id.in_(list(product_ids)))):
        found.setdefault(product_id, []).append(barcode)
    return found


def exception_for(session: Session, dedupe_key: str) -> ChainException | None:
    """The exception a document raised (transfer or count variance), if it raised one."""
    return session.scalar(select(ChainException).where(ChainException.dedupe_key == dedupe_key))


# --- transfers and counts -----------------------------------------------------------------------

def transfer_rows(session: Session, scope: StoreScope, *, status: str, from_store: uuid.UUID | None,
                  to_store: uuid.UUID | None, limit: int) -> Sequence[Any]:
    """Transfers from or to the scope's stores, newest first, with store codes and totals."""
    source, destination = aliased(Store), aliased(Store)
    lines = (select(TransferLine.transfer_id, func.count().label("lines"),
                    func.sum(TransferLine.quantity).label("units"),
                    func.sum(TransferLine.received).label("received"))
             .group_by(TransferLine.transfer_id).subquery())
    query = (select(Transfer, source.code.label("from_code"), destination.code.label("to_code"),
                    lines.c.lines, lines.c.units, lines.c.received)
             .join(source, source.id == Transfer.from_store_id)
             .join(destination, destination.id == Transfer.to_store_id)
             .outerjoin(lines, lines.c.transfer_id == Transfer.id)
             .order_by(Transfer.number.desc()).limit(limit))
    if not scope.all_stores:
        query = query.where(or_(Transfer.from_store_id.in_(scope.store_ids),
                                Transfer.to_store_id.in_(scope.store_ids)))
    if status:
        query = query.where(Transfer.status == status)
    if from_store is not None:
        query = query.where(Transfer.from_store_id == from_store)
    if to_store is not None:
        query = query.where(Transfer.to_store_id == to_store)
    return session.execute(query).all()


def count_rows(session: Session, scope: StoreScope, *, limit: int) -> Sequence[Any]:
    """Counts in the scope's stores, newest first, with the store code and lines counted."""
    lines = (select(StockCountLine.count_id, func.count().label("lines"),
                    func.count(StockCountLine.counted).label("counted"))
             .group_by(StockCountLine.count_id).subquery())
    query = (select(StockCount, Store.code.label("store_code"), lines.c.lines, lines.c.counted)
             .join(Store, Store.id == StockCount.store_id)
             .outerjoin(lines, lines.c.count_id == StockCount.id)
             .order_by(StockCount.number.desc()).limit(limit))
    return session.execute(scope.apply(query, StockCount.store_id)).all()


def emails(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(HqUser.id, HqUser.email).where(HqUser.id.in_(wanted))).all())
