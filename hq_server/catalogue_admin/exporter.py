"""Exporting the catalogue as the import's CSV, streamed by PostgreSQL's COPY ... TO STDOUT.

PostgreSQL formats every row (amounts as decimal strings in each product's currency, barcodes
joined by "|"), and the bytes go to the client in chunks as COPY yields them: 50,000 products
never sit in Python at once. The cost column is left out for people who may not see costs.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
from psycopg import sql

from hq_server.catalogue_admin.csv_format import COLUMNS
from shared.money import CURRENCY_EXPONENTS

_EXPONENTS = ", ".join(f"('{code}', {exp})" for code, exp in CURRENCY_EXPONENTS.items())
_AMOUNT = "round(p.{column}::numeric / (10::numeric ^ x.e), x.e)::text"
_SELECT = {
    "sku": "p.sku", "name": "p.name", "description": "p.description", "category": "p.category",
    "unit": "p.unit", "tax_class": "p.tax_class", "price": _AMOUNT.format(column="price_minor"),
    "cost": _AMOUNT.format(column="cost_minor"),
    "barcodes": """(SELECT string_agg(b.barcode, '|' ORDER BY b.barcode COLLATE "C")
                    FROM product_barcodes b WHERE b.product_id = p.id)""",
    "active": "CASE WHEN p.active THEN 'true' ELSE 'false' END", "parent_sku": "q.sku",
    "size": "p.attributes->>'size'", "colour": "p.attributes->>'colour'",
}


def export_columns(sees_costs: bool) -> tuple[str, ...]:
    return tuple(c for c in COLUMNS if sees_costs or c != "cost")


def export_query(sees_costs: bool, currency: str | None = None) -> sql.Composed:
    """COPY of every product (a parent first, then its variants), optionally of one currency."""
    columns = ", ".join(f"{_SELECT[c]} AS {c}" for c in export_columns(sees_costs))
    where = sql.SQL("WHERE p.currency = {}").format(sql.Literal(currency)) if currency else sql.SQL("")
    return sql.SQL(
        "COPY (SELECT " + columns + " FROM products p LEFT JOIN products q ON q.id = p.parent_id "
        f"JOIN (VALUES {_EXPONENTS}) AS x(currency, e) ON x.currency = p.currency "
        "{where} ORDER BY coalesce(q.sku, p.sku) COLLATE \"C\", p.parent_id IS NOT NULL, "
        "p.sku COLLATE \"C\") TO STDOUT WITH (FORMAT csv, HEADER true)").format(where=where)


def stream_export(conn: psycopg.Connection, *, sees_costs: bool,
                  currency: str | None = None) -> Iterator[bytes]:
    with conn.cursor() as cursor, cursor.copy(export_query(sees_costs, currency)) as copy:
        for chunk in copy:
            yield bytes(chunk)
