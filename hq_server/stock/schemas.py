"""Stock API shapes."""

from __future__ import annotations

from pydantic import BaseModel


class OnHandOut(BaseModel):
    product_id: str
    sku: str
    name: str
    store_id: str
    store_code: str
    on_hand: int
    reorder_point: int
