"""Seeding for the purchasing pages' tests, through the JSON API."""

from __future__ import annotations

import re
from typing import Any

OPENING = 20  # seed_small's stock of every product in every store


def low_stock(hq, store: str, *indexes: int, target: int = 30) -> None:  # noqa: ANN001
    """Products (by seed index) at their reorder point in `store`: each suggests target - 20."""
    hq.ok("buyer", "PUT", f"/stores/{store}/replenishment-levels", {"levels": [
        {"product_id": hq.product_id(i), "reorder_point": OPENING, "target_level": target}
        for i in indexes]})


def vendor_for(hq, *indexes: int, cost: int = 400) -> dict[str, Any]:  # noqa: ANN001
    """A new vendor, preferred for the products at `indexes`, at `cost` each."""
    vendor = hq.vendor()
    for i in indexes:
        hq.link(vendor["id"], i, cost)
    return vendor


def orders_of(hq, store: str, status: str | None = None) -> list[dict[str, Any]]:  # noqa: ANN001
    query = f"?store={store}" + (f"&status={status}" if status else "")
    return hq.ok("admin", "GET", f"/purchase-orders{query}")


def alert(html: str) -> str:
    """The text of the page's error message."""
    found = re.search(r'<p class="alert error" role="alert"[^>]*>(.*?)</p>', html, re.S)
    assert found, "the page shows no error message"
    return found.group(1).strip()
