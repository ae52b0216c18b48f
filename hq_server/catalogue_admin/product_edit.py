"""Editing one product from a form: the change goes through the CSV importer as a one-row file.

So a form edit gets exactly the import's checks (amounts, GTIN check digits, a barcode owned by
another product, tax classes), its audit rows and its publishing to tills, and a column the
form does not send keeps what the product has (the importer's rule for absent columns).
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.catalogue_admin.importer import ImportResult, import_products
from hq_server.catalogue_admin.models import PriceEntry
from hq_server.db.models import Product, Store
from shared.money import Money

EDITABLE = ("name", "description", "category", "unit", "tax_class", "price", "cost", "active")


def edit_product(session: Session, actor: Actor, product: Product,
                 changes: dict[str, str]) -> ImportResult:
    """Apply `changes` (CSV column -> cell text, EDITABLE or `barcodes`) to `product`, all or
    nothing; the result's errors name the column and say what is wrong."""
    unknown = set(changes) - {*EDITABLE, "barcodes"}
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    row = {"sku": product.sku, "name": product.name,
           "price": Money(product.price_minor, product.currency).to_decimal_str(), **changes}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(row.keys())
    writer.writerow(row.values())
    upload = io.BytesIO(out.getvalue().encode("utf-8"))
    return import_products(session, actor, upload, currency=product.currency)


def with_barcode(barcodes: list[str], added: str) -> str:
    """The barcodes cell with `added` too (the importer checks it like any barcode in a file)."""
    return "|".join([*barcodes, added.strip()])


def without_barcode(barcodes: list[str], removed: str) -> str:
    return "|".join(code for code in barcodes if code != removed)


def entries_of(session: Session, product_id: uuid.UUID, at: datetime) -> list[tuple[PriceEntry, str | None]]:
    """The product's price entries running at `at` or starting later, with their store code
    (None: chain-wide), chain-wide first, then by store and start."""
    query = (select(PriceEntry, Store.code).outerjoin(Store, Store.id == PriceEntry.store_id)
             .where(PriceEntry.product_id == product_id)
             .where(or_(PriceEntry.ends_at.is_(None), PriceEntry.ends_at > at))
             .order_by(Store.code.nulls_first(), PriceEntry.starts_at))
    return [(entry, code) for entry, code in session.execute(query)]
