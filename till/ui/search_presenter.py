"""Search-as-you-type under the scan field, without widgets.

Text a person types that is not a code (a barcode is digits; "3*…" is a quantity and a code)
lists the first matching products by name, SKU or barcode prefix (catalog.search: an FTS5 prefix
query, ~1 ms on 200,000 items). Up/Down choose a result; Enter sells it as its scan would (a
family's parent opens the variant picker). Enter with no result chosen is an ordinary scan of
the typed code, so nothing changes for scanners and for people typing SKUs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..sale.catalog import Catalog
from ..sale.product import Product

MIN_CHARS = 2  # one letter matches too much to be worth listing
LIMIT = 8  # what fits under the scan field at 1024x768


@dataclass(slots=True)
class SearchState:
    rows: list[str] = field(default_factory=list)  # "Whole milk 1L · MILK-1L · €1.19"
    selected: int | None = None


def is_code(text: str) -> bool:
    """A scanned or typed code rather than words: digits, or a quantity prefix."""
    text = text.strip()
    return text.isdigit() or "*" in text


class SearchPresenter:
    def __init__(self, catalog: Catalog, sell: Callable[[Product], bool]) -> None:
        self._catalog, self._sell = catalog, sell
        self._results: list[Product] = []
        self.state = SearchState()
        self._observers: list[Callable[[SearchState], None]] = []

    def subscribe(self, observer: Callable[[SearchState], None]) -> None:
        self._observers.append(observer)

    def typed(self, text: str) -> None:
        words = text.strip()
        self._results = [] if len(words) < MIN_CHARS or is_code(words) else \
            self._catalog.search(words, LIMIT)
        self.state = SearchState([f"{p.name} · {p.sku} · {p.price}" for p in self._results])
        self._render()

    def move(self, step: int) -> bool:
        """Up/Down: choose the previous or next result; False when there are none to choose."""
        if not self._results:
            return False
        current = -1 if self.state.selected is None else self.state.selected
        self.state.selected = min(max(current + step, 0), len(self._results) - 1)
        self._render()
        return True

    def choose(self, row: int | None = None) -> bool:
        """Enter (or a touch on `row`): sell the chosen result. False: nothing chosen, so the
        typed text is a code to scan."""
        row = self.state.selected if row is None else row
        if row is None or not 0 <= row < len(self._results):
            return False
        product = self._results[row]
        self.clear()
        self._sell(product)
        return True

    def clear(self) -> None:
        self._results, self.state = [], SearchState()
        self._render()

    def _render(self) -> None:
        for observer in self._observers:
            observer(self.state)
