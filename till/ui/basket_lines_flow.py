"""Selling lines: scans, search picks and quick keys become basket lines; quantity and removal.

A scanned gift card or credit note the catalogue does not know opens the gift card panel on it.

A mixin of `SalePresenter` (till.ui.presenter): it uses the presenter's basket, state and
render helpers, and keeps the presenter's public names (`scan`, `add_product`, ...) that the
panels and tests call.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from shared.gs1 import Gs1Error, normalise

from ..gift_cards.scans import card_shaped
from ..sale import Product, SaleError
from ..sale.errors import InvalidCode, NotForSale, UnknownProduct
from .sale_screen_state import SIGN_IN_FIRST

if TYPE_CHECKING:
    from .presenter import SalePresenter

QUANTITY_PREFIX = re.compile(r"^\s*(\d{1,4})\s*[*xX]\s*(\S+)\s*$")  # "3*4006381333931"


class BasketLinesFlow:
    """Adds, changes and removes the lines of the basket on screen."""

    def scan(self: SalePresenter, text: str) -> bool:
        if self.session is None:
            return self._fail(SIGN_IN_FIRST)
        if self.basket.is_empty() and not self._shift_ready():
            return False
        quantity, code = 1, text.strip()
        if match := QUANTITY_PREFIX.match(text):
            quantity, code = int(match.group(1)), match.group(2)
        try:
            product, variants = self._catalog.lookup_for_sale(code)
        except (UnknownProduct, InvalidCode) as exc:
            # Product barcodes win: a card is tried only once the catalogue has no such code, so
            # a store's own 16-digit item label that happens to pass the card check still sells.
            if self.gift_cards is not None and not match and card_shaped(code):
                return self.gift_cards.card_scanned(code)
            return self._fail(str(exc))
        except SaleError as exc:
            return self._fail(str(exc))
        if variants:  # a family's parent: the cashier picks the size/colour first
            return self.variants.open(product, variants, quantity)
        return self.add_product(product, quantity)

    def offer(self: SalePresenter, product: Product, quantity: int = 1) -> bool:
        """A search result chosen: added as its scan would be (a parent opens the picker)."""
        return self.scan(f"{quantity}*{product.sku}" if quantity > 1 else product.sku)

    def add_product(self: SalePresenter, product: Product, quantity: int = 1) -> bool:
        """A line for a product already looked up (a scan, a picked variant, a quick key)."""
        try:
            line = self.basket.add(product, quantity)
        except SaleError as exc:
            return self._fail(str(exc))
        line_no = self.basket.lines.index(line) + 1
        self._render(f"Added {quantity} x {product.name} — {product.price}", "info", line_no)
        if self.devices is not None:
            self.devices.line_added(product.name, line.unit_price.format(), quantity)
        return True

    def scan_device(self: SalePresenter, text: str) -> bool:
        """A scanner's code: GS1 and AIM-labelled forms are read down to the stored barcode."""
        if self.variants.state.mode:  # the picker is open: the scan chooses a variant
            return self.variants.scanned(self._catalogue_code(text))
        if self.quick_keys.state.mode:  # a scan instead of a key: back to the sale with it
            self.quick_keys.close()
        added = self.scan(self._catalogue_code(text))
        if added:
            self.payment_follows()
        return added

    def _catalogue_code(self: SalePresenter, text: str) -> str:
        try:
            gtin = normalise(text).gtin
        except Gs1Error:
            return text
        for candidate in (gtin[1:], gtin, gtin[2:], gtin[6:]) if gtin else ():
            try:
                self._catalog.lookup(candidate)
                return candidate
            except NotForSale:
                return candidate  # found: scan() says it is no longer sold
            except SaleError:
                continue
        return text

    def select_line(self: SalePresenter, line_no: int | None) -> None:
        self.state.selected_line = line_no

    def set_quantity(self: SalePresenter, line_no: int, quantity: int) -> bool:
        try:
            self.basket.set_quantity(line_no, quantity)
        except SaleError as exc:
            return self._fail(str(exc))
        name = self.basket.line(line_no).product.name
        self._render(f"{name}: quantity {quantity}", "info", line_no)
        return True

    def change_quantity(self: SalePresenter, line_no: int | None, delta: int) -> bool:
        line_no = line_no or self.state.selected_line
        if self._is_returned_row(line_no):
            return self._fail("A returned line's quantity is set in the return: Delete takes the "
                              "returned goods out, Ctrl+X brings them back")
        if line_no is None or self.basket.is_empty():
            return self._fail("Select a line first (Up/Down), then press + or -")
        return self.set_quantity(line_no, self.basket.line(line_no).quantity + delta)

    def remove_line(self: SalePresenter, line_no: int | None = None) -> bool:
        if self.state.paying and self.overrides is not None:  # after totalling: a supervisor
            return self.overrides.void_line()
        line_no = line_no or self.state.selected_line
        if self._is_returned_row(line_no):
            return self.drop_exchange()
        if line_no is None or self.basket.is_empty():
            return self._fail("Nothing to remove — the basket is empty")
        try:
            removed = self.basket.remove_line(line_no)
        except SaleError as exc:
            return self._fail(str(exc))
        remaining = len(self.basket.lines)
        self._render(f"Removed {removed.product.name}", "info",
                     min(line_no, remaining) if remaining else None)
        return True

    def _is_returned_row(self: SalePresenter, line_no: int | None) -> bool:
        """Rows after the basket's lines are an exchange's returned goods (till.ui.exchange_flow)."""
        return self.exchange is not None and line_no is not None and line_no > len(self.basket.lines)
