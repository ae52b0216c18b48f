"""Catalogue API shapes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class StoreOut(BaseModel):
    id: str
    code: str
    name: str
    currency: str


class TaxRateOut(BaseModel):
    tax_class: str
    name: str
    rate_bp: int
    scope: str  # chain | store: where the store's effective rate comes from


class StorePricingOut(BaseModel):
    store: str
    currency: str
    prices_include_tax: bool
    cash_rounding_minor: int
    tax_rates: list[TaxRateOut]


class StorePricingIn(BaseModel):
    """Either or both; a field left out keeps its value."""

    prices_include_tax: bool | None = None
    cash_rounding_minor: int | None = Field(default=None, description="1 = none, 5 = 0.05")


class TaxRateIn(BaseModel):
    rate_bp: int = Field(description="basis points: 2000 = 20 %")
    name: str = Field(default="", max_length=40)
    store: str | None = Field(default=None, description="a store code; none = the whole chain")
