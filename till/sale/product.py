"""A product as the till sells it (a read model of HQ's master data)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.money import Money


@dataclass(frozen=True, slots=True)
class Product:
    product_id: str
    sku: str
    name: str
    price: Money
    tax_class: str = "standard"
    active: bool = True
