"""Looking products up by what the cashier scanned or typed."""

from __future__ import annotations

import re
import sqlite3

from shared.money import Money

from ..ledger import Ledger
from ..ledger.master_data import product_by_barcode, product_by_sku, search_products
from .errors import InvalidCode, NotForSale, UnknownProduct
from .product import Product

# Mostly digits and long: the cashier meant a barcode (a misread or mistyped one if letters crept in).
_BARCODE_LIKE = re.compile(r"^(?=(?:\D*\d){6})[0-9A-Za-z]{8,14}$")


def _product(row: sqlite3.Row) -> Product:
    return Product(row["product_id"], row["sku"], row["name"],
                   Money(row["price_minor"], row["currency"]), row["tax_class"],
                   bool(row["active"]))


class Catalog:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def lookup(self, code: str) -> Product:
        """A product by barcode, else by SKU; refuses inactive products and malformed codes."""
        code = code.strip()
        if not code:
            raise InvalidCode("Scan a barcode or type a SKU")
        conn = self._ledger.connection()
        row = product_by_barcode(conn, code) if code.isdigit() else None
        if row is None:
            row = product_by_sku(conn, code)
        if row is None:
            raise self._not_found(code)
        product = _product(row)
        if not product.active:
            raise NotForSale(f"{product.name} ({product.sku}) is no longer sold — HQ deactivated it")
        return product

    def search(self, text: str, limit: int = 20) -> list[Product]:
        return [_product(row) for row in search_products(self._ledger.connection(), text.strip(), limit)]

    @staticmethod
    def _not_found(code: str) -> Exception:
        if code.isdigit():
            return UnknownProduct(code)
        if _BARCODE_LIKE.match(code):
            return InvalidCode(f"{code} is not a valid barcode: barcodes have digits only — "
                               "scan again or type the digits")
        return UnknownProduct(code, by="barcode or SKU")
