"""Picking a variant (size/colour) of a product family, without widgets.

A scan, typed SKU or search result that names a parent with variants opens the picker instead of
adding a line. Up/Down (or a touch) choose, Enter adds the chosen variant exactly as its own scan
would, scanning a variant's barcode adds that one, Esc adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..sale import Product, SaleError
from ..sale.catalog import Catalog, Variant
from .screen_presenter import ScreenPresenter

# Attributes that steer the till rather than describe the item (see till.ui.quick_keys_*).
_CONTROL_ATTRIBUTES = frozenset({"quick_key"})


def attributes_text(attributes: dict[str, str]) -> str:
    """"Size M · Colour Red": what tells the variants apart, in HQ's key order."""
    return " · ".join(f"{key.replace('_', ' ').capitalize()} {value}"
                      for key, value in attributes.items()
                      if key not in _CONTROL_ATTRIBUTES and str(value).strip())


def stock_text(on_hand: int | None) -> str:
    if on_hand is None:
        return ""
    return "out of stock" if on_hand <= 0 else f"{on_hand} in stock"


@dataclass(frozen=True, slots=True)
class VariantRow:
    sku: str
    attributes: str  # "Size M · Colour Red" (the variant's name when HQ sent no attributes)
    price: str
    stock: str  # "5 in stock" / "out of stock" / "" when the ledger has no level


@dataclass(slots=True)
class VariantScreenState:
    mode: str = ""  # "" hidden | "pick"
    title: str = ""  # the parent's name
    rows: list[VariantRow] = field(default_factory=list)
    selected: int = 0
    message: str = ""
    message_kind: str = "info"


class VariantPresenter(ScreenPresenter[VariantScreenState]):
    """`host` is the SalePresenter: `add_product` puts the chosen variant in the basket."""

    def __init__(self, catalog: Catalog, host: Any) -> None:
        self._catalog, self._host = catalog, host
        super().__init__(VariantScreenState())
        self._variants: list[Variant] = []
        self._quantity = 1

    def open(self, parent: Product, variants: list[Variant], quantity: int = 1) -> bool:
        self._variants, self._quantity = variants, quantity
        self.state.mode, self.state.title, self.state.selected = "pick", parent.name, 0
        self.state.rows = [VariantRow(v.product.sku,
                                      attributes_text(v.product.attributes) or v.product.name,
                                      v.product.price.format(), stock_text(v.on_hand))
                           for v in variants]
        qty = f"{quantity} x " if quantity > 1 else ""
        return self._render(f"Choose {qty}{parent.name}: Up/Down and Enter, touch one, or scan its "
                            "barcode — Esc adds nothing")

    def move(self, step: int) -> None:
        if self._variants:
            self.state.selected = min(max(self.state.selected + step, 0), len(self._variants) - 1)
            self._render(self.state.message)

    def choose(self, index: int | None = None) -> bool:
        index = self.state.selected if index is None else index
        if not 0 <= index < len(self._variants):
            return self._render("Choose a variant first", "error")
        product, quantity = self._variants[index].product, self._quantity
        self.close()
        added = self._host.add_product(product, quantity)
        if added:
            self._host.payment_follows()
        return added

    def scanned(self, code: str) -> bool:
        """A scan while the picker is open: one of the family's variants is added; anything
        else is refused here, so a stray scan never adds an unrelated item behind the picker."""
        try:
            product = self._catalog.lookup(code)
        except SaleError as exc:
            return self._render(f"{exc} — pick a variant or press Esc", "error")
        for index, variant in enumerate(self._variants):
            if variant.product.product_id == product.product_id:
                return self.choose(index)
        return self._render(f"{product.name} is not a variant of {self.state.title} — pick one "
                            "or press Esc", "error")

    def cancel(self) -> None:
        title = self.state.title
        self.close()
        self._host._render(f"Nothing added — {title} needs a size or colour chosen", "info",
                           self._host.state.selected_line)

    def close(self) -> None:
        self.state.mode, self._variants, self.state.rows = "", [], []
        self._render("")
