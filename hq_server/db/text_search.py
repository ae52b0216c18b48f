"""Finding products by a piece of their SKU, name or barcode, any case.

One condition for every product search (stock page, catalogue, the stock API), so they match the
same way and all use the trigram indexes of migration 0014: `ILIKE '%text%'` on the columns
themselves (not on lower(column)), which a pg_trgm GIN index serves without reading every row.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, cast, or_, select

from hq_server.db.models import Product, ProductBarcode


def like_escaped(text: str) -> str:
    """`text` with LIKE's wildcards taken literally (escape character: backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def product_matches(q: str) -> ColumnElement[bool]:
    """Products whose SKU, name or one of whose barcodes contains `q` (or whose id is `q`)."""
    pattern = f"%{like_escaped(q.strip())}%"
    matches = [Product.sku.ilike(pattern, escape="\\"), Product.name.ilike(pattern, escape="\\"),
               cast(Product.id, String) == q.strip()]
    if q.strip().isdigit():  # barcodes are digits: other text cannot be part of one
        matches.append(Product.id.in_(select(ProductBarcode.product_id)
                                      .where(ProductBarcode.barcode.like(pattern, escape="\\"))))
    return or_(*matches)
