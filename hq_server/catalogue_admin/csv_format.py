"""The product CSV: its columns and how one row is read (no database here).

A row is checked on its own here (amounts, barcodes, yes/no values); checks that need the
whole file or the catalogue (duplicates, barcodes owned elsewhere, parents) run in SQL on the
staged rows (importer.py). Amounts are decimal strings in the import's currency, parsed exactly
into integer minor units (shared.money), never through float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shared.barcodes import BarcodeError, validate_gtin
from shared.money import Money, MoneyError

COLUMNS = ("sku", "name", "description", "category", "unit", "tax_class", "price", "cost",
           "barcodes", "active", "parent_sku", "size", "colour")
REQUIRED = ("sku", "name", "price")
ATTRIBUTES = ("size", "colour")  # variant attributes, kept in products.attributes
BARCODE_SEPARATOR = "|"
MAX_TEXT = 500
# The same rule as hq_server.catalog.pricing.TAX_CLASS (where tax classes get their rates).
TAX_CLASS = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(slots=True)
class ParsedRow:
    """One row ready to stage; a field that failed its check is None (and an error says why)."""

    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)


def header_errors(header: list[str]) -> list[RowError]:
    problems = [RowError(1, name or "(blank)", f"unknown column {name!r}; the columns are "
                         f"{', '.join(COLUMNS)}") for name in header if name not in COLUMNS]
    problems += [RowError(1, name, f"column {name!r} appears more than once")
                 for name in sorted({n for n in header if header.count(n) > 1})]
    problems += [RowError(1, name, f"required column {name!r} is missing")
                 for name in REQUIRED if name not in header]
    return problems


def parse_row(row_no: int, cells: dict[str, str], currency: str) -> ParsedRow:
    """Read one data row (cells by column name, only the columns the file has)."""
    parsed = ParsedRow({})
    out, errors = parsed.values, parsed.errors

    def fail(column: str, message: str) -> None:
        errors.append(RowError(row_no, column, message))

    for column in ("sku", "name", "description", "category", "unit", "tax_class", "parent_sku"):
        if column in cells:
            out[column] = cells[column].strip()
            if len(out[column]) > MAX_TEXT:
                fail(column, f"{column} is longer than {MAX_TEXT} characters")
    for column in REQUIRED[:2]:
        if not out.get(column):
            fail(column, f"{column} is empty")
    for column in ("unit", "tax_class"):
        if column in out and not out[column]:
            out[column] = "each" if column == "unit" else "standard"
    if out.get("tax_class") and not TAX_CLASS.match(out["tax_class"]):
        fail("tax_class", f"tax class {out['tax_class']!r} is not a tax class name: lower-case "
                          "letters, digits, - and _, up to 40")
    if out.get("parent_sku") and out["parent_sku"] == out.get("sku"):
        fail("parent_sku", "a product cannot be its own parent")
    for column in ("price", "cost"):
        if column in cells:
            out[column] = _amount(cells[column], currency, column, required=column == "price", fail=fail)
    if "barcodes" in cells:
        out["barcodes"] = _barcodes(cells["barcodes"], fail)
    if "active" in cells:
        out["active"] = _yes_no(cells["active"], fail)
    out["attributes"] = {name: cells[name].strip() for name in ATTRIBUTES if cells.get(name, "").strip()}
    return parsed


def _amount(text: str, currency: str, column: str, *, required: bool, fail: Any) -> int | None:
    text = text.strip()
    if not text:
        if required:
            fail(column, f"{column} is empty")
            return None
        return 0
    try:
        minor = Money.parse(text, currency).minor
    except MoneyError as error:
        fail(column, f"bad {column} {text!r}: {error}")
        return None
    if minor < 0:
        fail(column, f"bad {column} {text!r}: must not be negative")
        return None
    return minor


def _barcodes(text: str, fail: Any) -> list[str] | None:
    codes: list[str] = []
    for raw in text.split(BARCODE_SEPARATOR):
        if not raw.strip():
            continue
        try:
            code = validate_gtin(raw)
        except BarcodeError as error:
            fail("barcodes", str(error))
            return None
        if code in codes:
            fail("barcodes", f"barcode {code} is listed twice on this row")
            return None
        codes.append(code)
    return sorted(codes)


def _yes_no(text: str, fail: Any) -> bool | None:
    value = text.strip().lower()
    if not value or value in _TRUE:
        return True
    if value in _FALSE:
        return False
    fail("active", f"active must be true or false, not {text.strip()!r}")
    return None
