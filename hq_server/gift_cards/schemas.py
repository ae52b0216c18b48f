"""Gift card API request shapes (answers are the service's plain dicts)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AdjustmentIn(BaseModel):
    delta_minor: int = Field(description="signed, in the card currency's minor units")
    store: str = Field(max_length=50, description="the store code the adjustment is booked to")
    note: str = Field(max_length=500, description="why (required)")
