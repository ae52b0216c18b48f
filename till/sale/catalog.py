"""Looking products up by what the cashier scanned or typed."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from shared.money import Money

from ..ledger import Ledger
from ..ledger.master_data import (
    product_by_barcode,
    product_by_sku,
    product_variants,
    quick_key_products,
    search_products,
)
from .errors import InvalidCode, NotForSale, UnknownProduct
from .product import Product

# Mostly digits and long: the cashier meant a barcode (a misread or mistyped one if letters crept in).
_BARCODE_LIKE = re.compile(r"^(?=(?:\D*\d){6})[0-9A-Za-z]{8,14}$")


def _product(row: sqlite3.Row) -> Product:
    return Product(row["product_id"], row["sku"], row["name"],
                   Money(row["price_minor"], row["currency"]), row["tax_class"],
                   bool(row["active"]), row["parent_sku"],
                   {str(k): str(v) for k, v in json.loads(row["attributes"]).items()})


@dataclass(frozen=True, slots=True)
class Variant:
    product: Product
    on_hand: int | None  # None: HQ sent no stock level for it


@dataclass(frozen=True, slots=True)
class QuickKey:
    page: str
    position: int
    product: Product


class Catalog:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def lookup(self, code: str) -> Product:
        """A product by barcode, else by SKU; refuses inactive products and malformed codes."""
        product = self._find(code)
        if not product.active:
            raise NotForSale(f"{product.name} ({product.sku}) is no longer sold — HQ deactivated it")
        return product

    def _find(self, code: str) -> Product:
        code = code.strip()
        if not code:
            raise InvalidCode("Scan a barcode or type a SKU")
        conn = self._ledger.connection()
        row = product_by_barcode(conn, code) if code.isdigit() else None
        if row is None:
            row = product_by_sku(conn, code)
        if row is None:
            raise self._not_found(code)
        return _product(row)

    def lookup_for_sale(self, code: str) -> tuple[Product, list[Variant]]:
        """What a scan or typed SKU sells: the product, or a parent with its variants to pick from.

        A parent is often inactive (HQ does not sell it directly): with variants it is not refused.
        """
        product = self._find(code)
        variants = self.variants_of(product.sku)
        if not variants and not product.active:
            raise NotForSale(f"{product.name} ({product.sku}) is no longer sold — HQ deactivated it")
        return product, variants

    def variants_of(self, parent_sku: str) -> list[Variant]:
        """The active variants of a family, by SKU, with their stock; [] for a product on its own."""
        rows = product_variants(self._ledger.connection(), parent_sku)
        return [Variant(_product(row), row["on_hand"]) for row in rows]

    def quick_keys(self) -> list[QuickKey]:
        """Products HQ put on the quick-key grid (attribute "quick_key": "<page>/<position>"),
        by page and position; a malformed key is ignored rather than taking the grid down."""
        keys = []
        for row in quick_key_products(self._ledger.connection()):
            page, _, position = str(row["quick_key"]).rpartition("/")
            if position.strip().isdigit():
                keys.append(QuickKey(page.strip() or "1", int(position), _product(row)))
        return sorted(keys, key=lambda k: (k.page, k.position, k.product.name))

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
