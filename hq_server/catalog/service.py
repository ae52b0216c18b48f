"""Creating and changing master data. Every write appends a change so tills pull it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from hq_server.catalog import repository
from hq_server.catalog.pricing import set_store_pricing
from hq_server.catalogue_admin.publish import publish_products
from hq_server.changelog.service import ChangeRow, append_changes
from hq_server.db.models import Product, ProductBarcode, Store
from shared.barcodes import validate_gtin
from shared.ids import uuid7
from shared.money import exponent


def product_change_data(product: Product, barcodes: Sequence[str]) -> dict[str, Any]:
    return {
        "product_id": str(product.id), "sku": product.sku, "name": product.name,
        "barcodes": list(barcodes), "price_minor": product.price_minor,
        "currency": product.currency, "tax_class": product.tax_class, "active": product.active,
    }


def create_store(session: Session, *, code: str, name: str, currency: str = "EUR",
                 prices_include_tax: bool = True, cash_rounding_minor: int = 1) -> Store:
    exponent(currency)  # refuses currencies we do not know how to round
    store = Store(id=uuid7(), code=code, name=name, currency=currency,
                  prices_include_tax=prices_include_tax, cash_rounding_minor=cash_rounding_minor)
    session.add(store)
    set_store_pricing(session, store, cash_rounding_minor=cash_rounding_minor)  # checks, sends
    return store


def create_product(session: Session, *, sku: str, name: str, price_minor: int, currency: str,
                   barcodes: Sequence[str] = (), category: str = "", vendor: str = "",
                   cost_minor: int = 0, tax_class: str = "standard", reorder_point: int = 0,
                   product_id: uuid.UUID | None = None) -> Product:
    exponent(currency)
    codes = [validate_gtin(code) for code in barcodes]
    product = Product(
        id=product_id or uuid7(), sku=sku, name=name, category=category, vendor=vendor,
        price_minor=price_minor, cost_minor=cost_minor, currency=currency, tax_class=tax_class,
        reorder_point=reorder_point, active=True, updated_at=datetime.now(UTC),
    )
    session.add(product)
    session.flush()
    session.add_all([ProductBarcode(barcode=code, product_id=product.id) for code in codes])
    session.flush()
    append_changes(session, [ChangeRow("product", str(product.id), product_change_data(product, codes))])
    return product


def set_price(session: Session, sku: str, price_minor: int) -> Product:
    """Change a product's price chain-wide; tills get it on their next pull."""
    product = repository.product_by_sku(session, sku)
    if product is None:
        raise LookupError(f"no product with sku {sku!r}")
    product.price_minor = price_minor
    product.updated_at = datetime.now(UTC)
    session.flush()
    # Through the catalogue's publisher: a store with its own price list keeps its price.
    publish_products(session, [product.id], product.updated_at)
    return product
