"""Streaming a product CSV into a temporary staging table with COPY.

The file is read row by row (csv over a text wrapper of the upload, never whole in memory); each
row is checked on its own (csv_format.parse_row) and written straight into COPY, bad fields as
NULL so the whole-file checks still see every SKU. The table lives until the transaction ends.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hq_server.catalogue_admin.csv_format import ATTRIBUTES, RowError, header_errors, parse_row
from hq_server.db.session import driver
from shared.ids import uuid7

STAGING = "catalogue_import"
_CREATE = f"""
CREATE TEMP TABLE {STAGING} (
    row_no int PRIMARY KEY, new_id uuid NOT NULL, sku text, name text, description text,
    category text, unit text, tax_class text, price_minor bigint, cost_minor bigint,
    barcodes text[], active boolean, parent_sku text, attributes jsonb NOT NULL,
    id uuid, existed boolean NOT NULL DEFAULT false, parent_id uuid, change text
) ON COMMIT DROP"""
_COPIED = ("row_no", "new_id", "sku", "name", "description", "category", "unit", "tax_class",
           "price_minor", "cost_minor", "barcodes", "active", "parent_sku", "attributes")
# File column -> staging column, for the fields filled from the catalogue when the file lacks them.
_KEPT = {"description": "description", "category": "category", "unit": "unit",
         "tax_class": "tax_class", "cost": "cost_minor", "active": "active"}
_DEFAULTS = {"description": "''", "category": "''", "unit": "'each'", "tax_class": "'standard'",
             "cost_minor": "0", "active": "true", "barcodes": "'{}'::text[]"}


class Staged:
    """What staging learned: the file's columns, the row count and the per-row errors."""

    def __init__(self) -> None:
        self.columns: list[str] = []
        self.rows = 0
        self.errors: list[RowError] = []


def stage_csv(session: Session, upload: IO[bytes], currency: str) -> Staged:
    """COPY the upload into the staging table; returns the columns, row count and row errors."""
    session.execute(text(_CREATE))
    staged = Staged()
    reader = csv.reader(io.TextIOWrapper(upload, encoding="utf-8-sig", newline=""))
    cursor = driver(session).cursor()
    with cursor.copy(f"COPY {STAGING} ({', '.join(_COPIED)}) FROM STDIN") as copy:
        _copy_rows(reader, staged, currency, copy.write_row)
    if staged.columns:
        _fill_missing_columns(session, staged.columns)
    session.execute(text(f"CREATE INDEX ON {STAGING} (sku)"))
    session.execute(text(f"CREATE INDEX ON {STAGING} (parent_sku)"))
    session.execute(text(f"ANALYZE {STAGING}"))
    return staged


def _copy_rows(reader: Any, staged: Staged, currency: str, write: Callable[[tuple], None]) -> None:
    row_no = 1
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        if not header:
            staged.errors.append(RowError(1, "", "the file is empty; it needs a header row"))
            return
        if problems := header_errors(header):
            staged.errors += problems
            return
        staged.columns = header
        for cells in reader:
            row_no += 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, as spreadsheets leave at the end
            staged.rows += 1
            if len(cells) != len(header):
                staged.errors.append(RowError(row_no, "", f"the row has {len(cells)} cells; "
                                                          f"the header has {len(header)}"))
                cells = (cells + [""] * len(header))[:len(header)]
            parsed = parse_row(row_no, dict(zip(header, cells, strict=True)), currency)
            staged.errors += parsed.errors
            write(_staged_tuple(row_no, parsed.values))
    except UnicodeDecodeError:
        staged.errors.append(RowError(row_no + 1, "", "the file is not UTF-8 text"))
    except csv.Error as error:
        staged.errors.append(RowError(row_no + 1, "", f"the file is not valid CSV: {error}"))


def _staged_tuple(row_no: int, v: dict[str, Any]) -> tuple:
    return (row_no, uuid7(), v.get("sku"), v.get("name"), v.get("description"), v.get("category"),
            v.get("unit"), v.get("tax_class"), v.get("price"), v.get("cost"), v.get("barcodes"),
            v.get("active"), v.get("parent_sku") or None, json.dumps(v["attributes"]))


def _fill_missing_columns(session: Session, columns: list[str]) -> None:
    """A column the file leaves out keeps each existing product's value (a new one's default),
    so a file of just sku,name,price changes nothing else."""
    kept = [target for source, target in _KEPT.items() if source not in columns]
    sets = [f"{c} = p.{c}" for c in kept]
    if "barcodes" not in columns:
        sets.append("barcodes = (SELECT coalesce(array_agg(b.barcode ORDER BY b.barcode COLLATE \"C\"),"
                    " '{}') FROM product_barcodes b WHERE b.product_id = p.id)")
    if "parent_sku" not in columns:
        sets.append("parent_sku = (SELECT q.sku FROM products q WHERE q.id = p.parent_id)")
    # Attribute columns present replace those attributes; absent ones keep what the product has.
    present = [name for name in ATTRIBUTES if name in columns]
    sets.append("attributes = (p.attributes - CAST(:present AS text[])) || s.attributes")
    session.execute(text(f"UPDATE {STAGING} s SET {', '.join(sets)} FROM products p "
                         "WHERE p.sku = s.sku"), {"present": present})
    targets = [*kept, *(["barcodes"] if "barcodes" not in columns else [])]
    if targets:  # new products (no catalogue row to keep from) get the defaults
        session.execute(text(f"UPDATE {STAGING} SET "
                             + ", ".join(f"{c} = coalesce({c}, {_DEFAULTS[c]})" for c in targets)))

