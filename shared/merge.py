"""Merge rules from ARCHITECTURE.md as pure functions, applied identically at till and HQ."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .events import SaleCompleted


@dataclass(frozen=True, slots=True)
class StockDelta:
    product_id: str
    store_id: str
    delta: int
    reason: str


def stock_deltas_for_sale(sale: SaleCompleted) -> list[StockDelta]:
    """Rule 1 + 2: a completed sale is a fact; it moves stock out by each line's quantity.

    Training sales touch neither stock nor totals. Lines of one product are summed so a product
    scanned twice is one movement.
    """
    if sale.training:
        return []
    per_product: dict[str, int] = {}
    for line in sale.lines:
        per_product[line.product_id] = per_product.get(line.product_id, 0) - line.quantity
    return [StockDelta(pid, sale.store_id, delta, "sale") for pid, delta in per_product.items()]


def on_hand(deltas: Iterable[int]) -> int:
    """Rule 2: stock is the sum of signed movements, so arrival order never matters."""
    return sum(deltas)


def is_oversold(on_hand_after: int) -> bool:
    """Rule 4: a movement that takes on-hand below zero is applied and surfaced, never clamped."""
    return on_hand_after < 0
