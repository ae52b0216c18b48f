"""The quick-key grid for unbarcoded items (bakery, fruit), without widgets.

HQ manages the grid through product attributes, so no HQ table is needed: a product with
`"quick_key": "<page>/<position>"` (e.g. "Bakery/1", "Fruit/12") gets a key on that page, keys in
position order; pages in name order. Ctrl+K (or the button) opens the grid; Left/Right/Up/Down move,
Enter or a touch adds the item exactly as a scan of its SKU would (a family's parent opens the
variant picker), PageUp/PageDown change page, Esc goes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..sale.catalog import Catalog, QuickKey
from .screen_presenter import ScreenPresenter

COLUMNS = 4  # keys per row on screen; Up/Down move by a row


@dataclass(frozen=True, slots=True)
class KeyView:
    label: str  # the product's name
    price: str


@dataclass(slots=True)
class QuickKeysScreenState:
    mode: str = ""  # "" hidden | "keys"
    pages: list[str] = field(default_factory=list)
    page: int = 0
    keys: list[KeyView] = field(default_factory=list)  # the current page's keys, in order
    selected: int = 0
    message: str = ""
    message_kind: str = "info"


def pages_of(keys: list[QuickKey]) -> dict[str, list[QuickKey]]:
    """The grid's pages in name order ("1" before "2", "Bakery" before "Fruit"), keys by position."""
    pages: dict[str, list[QuickKey]] = {}
    for key in sorted(keys, key=lambda k: (k.page.casefold(), k.position, k.product.name)):
        pages.setdefault(key.page, []).append(key)
    return pages


class QuickKeysPresenter(ScreenPresenter[QuickKeysScreenState]):
    """`host` is the SalePresenter: `offer` adds a product as its scan would."""

    def __init__(self, catalog: Catalog, host: Any) -> None:
        self._catalog, self._host = catalog, host
        super().__init__(QuickKeysScreenState())
        self._pages: dict[str, list[QuickKey]] = {}

    def open(self) -> bool:
        host = self._host
        if host.session is None:
            return host._fail("Sign in first")
        self._pages = pages_of(self._catalog.quick_keys())  # read each time: HQ may have changed it
        if not self._pages:
            return host._fail("No quick keys yet — HQ adds them with the product attribute "
                              "quick_key, e.g. \"Bakery/1\"")
        self.state.mode, self.state.pages = "keys", list(self._pages)
        return self._show_page(0)

    def turn_page(self, step: int) -> None:
        if self._pages:
            self._show_page((self.state.page + step) % len(self._pages))

    def move(self, step: int) -> None:
        if self.state.keys:
            self.state.selected = min(max(self.state.selected + step, 0), len(self.state.keys) - 1)
            self._render(self.state.message)

    def press(self, index: int | None = None) -> bool:
        index = self.state.selected if index is None else index
        keys = self._pages.get(self.state.pages[self.state.page], []) if self.state.pages else []
        if not 0 <= index < len(keys):
            return self._render("Choose a key first", "error")
        # The grid stays open so the cashier can tap several items; a family's variant picker
        # takes the screen over it and hands it back once a size/colour is picked.
        added = self._host.offer(keys[index].product)
        host = self._host.state
        if self._host.variants.state.mode:  # the picker opened for a family
            return added
        if added:
            self._host.payment_follows()  # tapped while paying: the payment takes it in
        note = " · tap more, Done or Esc goes back to the sale" if added else ""
        return self._render(host.message + note, "info" if added else "error")

    def close(self) -> None:
        self.state.mode, self._pages, self.state.pages, self.state.keys = "", {}, [], []
        self._render("")

    def _show_page(self, page: int) -> bool:
        keys = self._pages[self.state.pages[page]]
        self.state.page, self.state.selected = page, 0
        self.state.keys = [KeyView(k.product.name, k.product.price.format()) for k in keys]
        more = " · PageUp/PageDown change page" if len(self._pages) > 1 else ""
        return self._render(f"Touch an item, or arrows and Enter{more} · Esc goes back")
