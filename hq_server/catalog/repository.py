"""Catalogue queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hq_server.db.models import Product, ProductBarcode, Store


def stores(session: Session) -> Sequence[Store]:
    return session.scalars(select(Store).order_by(Store.code)).all()


_STORE_LIST = text("SELECT id, code, name, currency FROM stores ORDER BY code")


def store_list(session: Session) -> Sequence[tuple[uuid.UUID, str, str, str]]:
    """(id, code, name, currency) of every store, by code: the columns the store list shows."""
    return session.execute(_STORE_LIST).all()


def store_by_code(session: Session, code: str) -> Store | None:
    return session.scalar(select(Store).where(Store.code == code))


def product_by_sku(session: Session, sku: str) -> Product | None:
    return session.scalar(select(Product).where(Product.sku == sku))


def barcodes_of(session: Session, product_id: uuid.UUID) -> list[str]:
    query = select(ProductBarcode.barcode).where(ProductBarcode.product_id == product_id)
    return list(session.scalars(query.order_by(ProductBarcode.barcode)))
