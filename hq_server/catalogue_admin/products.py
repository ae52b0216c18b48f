"""Reading products for the catalogue API: by SKU, a parent's variants, shapes with or without cost."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hq_server.db.models import Product, ProductBarcode, Store
from shared.money import Money


class NotFound(LookupError):
    """A SKU or store code that does not exist; the message names it."""


def product_by_sku(session: Session, sku: str) -> Product:
    product = session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        raise NotFound(f"no product with SKU {sku!r}")
    return product


def store_by_code(session: Session, code: str) -> Store:
    store = session.scalar(select(Store).where(Store.code == code))
    if store is None:
        raise NotFound(f"no store with code {code!r}")
    return store


def variants_of(session: Session, parent_id: uuid.UUID) -> Sequence[Product]:
    return session.scalars(select(Product).where(Product.parent_id == parent_id)
                           .order_by(Product.sku)).all()


def barcodes_by_product(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = {i: [] for i in ids}
    for code, pid in session.execute(select(ProductBarcode.barcode, ProductBarcode.product_id)
                                     .where(ProductBarcode.product_id.in_(ids))
                                     .order_by(ProductBarcode.barcode)):
        found[pid].append(code)
    return found


def product_out(product: Product, barcodes: list[str], sees_costs: bool) -> dict[str, Any]:
    """A product as the API shows it; `cost` only for people who may see costs."""
    shown = {"id": str(product.id), "sku": product.sku, "name": product.name,
             "description": product.description, "category": product.category,
             "unit": product.unit, "tax_class": product.tax_class, "active": product.active,
             "attributes": product.attributes, "barcodes": barcodes, "currency": product.currency,
             "price_minor": product.price_minor,
             "price": Money(product.price_minor, product.currency).to_decimal_str()}
    if sees_costs:
        shown |= {"cost_minor": product.cost_minor,
                  "cost": Money(product.cost_minor, product.currency).to_decimal_str()}
    return shown
