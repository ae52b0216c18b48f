"""Telling tills about changed products: `product` rows in the change log, written in SQL.

The data is hq_server.catalog.service.product_change_data's format (what till/ledger/master_data
applies), with the price a till should charge, plus keys tills ignore today and a variant
picker will read: parent_sku, attributes (size, colour), unit.

Each product gets one chain-wide row at its chain price, then one row scoped to each store whose
own price list differs (the pull sends a store only its own scoped rows). A till therefore
always ends on its store's price, whichever of the two it saw first.

Inserted set-based under the change log writers' lock (changelog.service.LOCK_SQL, like the
seed's COPY path): a 50,000-row import publishes in one statement, not 50,000 round trips.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from hq_server.changelog.service import LOCK_SQL, NOTIFY_SQL

# The price of product `p` at :at, for store column `st` (NULL = chain-wide entries only).
EFFECTIVE_ENTRY = """(SELECT e.price_minor FROM price_entries e
    WHERE e.product_id = p.id AND e.store_id IS NOT DISTINCT FROM {store}
    AND e.starts_at <= :at AND (e.ends_at IS NULL OR e.ends_at > :at)
    ORDER BY e.starts_at DESC, e.id DESC LIMIT 1)"""
CHAIN_PRICE = f"coalesce({EFFECTIVE_ENTRY.format(store='NULL::uuid')}, p.price_minor)"

_DATA = """jsonb_build_object(
    'product_id', p.id::text, 'sku', p.sku, 'name', p.name,
    'barcodes', coalesce((SELECT jsonb_agg(b.barcode ORDER BY b.barcode) FROM product_barcodes b
                          WHERE b.product_id = p.id), '[]'::jsonb),
    'price_minor', {price}, 'currency', p.currency, 'tax_class', p.tax_class, 'active', p.active,
    'parent_sku', (SELECT q.sku FROM products q WHERE q.id = p.parent_id),
    'attributes', p.attributes, 'unit', p.unit)"""

_CHAIN_ROWS = f"""
INSERT INTO change_log (kind, store_id, entity_id, data)
SELECT 'product', NULL, p.id::text, {_DATA.format(price=CHAIN_PRICE)}
FROM products p WHERE p.id = ANY(:ids) ORDER BY p.sku"""

_STORE_ROWS = f"""
INSERT INTO change_log (kind, store_id, entity_id, data)
SELECT 'product', x.store_id, p.id::text, {_DATA.format(price='x.price')}
FROM products p CROSS JOIN LATERAL (
    SELECT st.id AS store_id, {EFFECTIVE_ENTRY.format(store='st.id')} AS price FROM stores st) x
WHERE p.id = ANY(:ids) AND x.price IS NOT NULL
  AND EXISTS (SELECT 1 FROM price_entries e WHERE e.product_id = p.id AND e.store_id IS NOT NULL)
  AND x.price <> {CHAIN_PRICE}
ORDER BY p.sku, x.store_id"""


def publish_products(session: Session, product_ids: Sequence[uuid.UUID], at: datetime) -> int:
    """Append the products' change rows (priced as at `at`); returns how many rows. Call last:
    the writers' lock is held until commit."""
    if not product_ids:
        return 0
    params = {"ids": list(product_ids), "at": at}
    session.execute(text(LOCK_SQL))
    written = session.execute(text(_CHAIN_ROWS), params).rowcount
    written += session.execute(text(_STORE_ROWS), params).rowcount
    session.execute(text(NOTIFY_SQL))
    return written
