"""Catalogue administration API shapes. Amounts are strings in the product's currency ("12.50")."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ComponentIn(BaseModel):
    sku: str = Field(min_length=1)
    quantity: int = Field(ge=1, le=10_000)


class ComponentsIn(BaseModel):
    components: list[ComponentIn] = Field(max_length=100)


class PriceIn(BaseModel):
    sku: str = Field(min_length=1)
    store: str | None = Field(default=None, description="store code; none = chain-wide")
    price: str = Field(min_length=1, max_length=30, examples=["12.50"])
    starts_at: datetime | None = Field(default=None, description="default: now")
    ends_at: datetime | None = None
