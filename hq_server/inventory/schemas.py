"""Inventory API request shapes (answers are the services' plain dicts)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AdjustmentIn(BaseModel):
    store: str = Field(description="store code or id")
    product: str = Field(description="SKU or product id")
    delta: int = Field(description="units added (+) or taken away (-)")
    reason: str = Field(description="damage, theft, found or correction")
    note: str = ""


class LineIn(BaseModel):
    product: str = Field(description="SKU or product id")
    quantity: int


class TransferIn(BaseModel):
    from_store: str
    to_store: str
    lines: list[LineIn]
    note: str = ""


class ReceiveIn(BaseModel):
    """Lines that arrived differently from what was shipped; lines left out arrived in full."""

    lines: list[LineIn] = []


class CountIn(BaseModel):
    store: str
    category: str


class CountedIn(BaseModel):
    lines: list[LineIn]
