"""A product as the till sells it (a read model of HQ's master data)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.money import Money


@dataclass(frozen=True, slots=True)
class Product:
    product_id: str
    sku: str
    name: str
    price: Money
    tax_class: str = "standard"
    active: bool = True
    parent_sku: str = ""  # a variant's family (size/colour); "" for a product on its own
    # {"size": "M", "colour": "Red"}; also "quick_key": "<page>/<position>" (till.ui.quick_keys_*)
    attributes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
