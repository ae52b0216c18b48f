"""Request bodies of the batches API (answers are plain JSON documents, see endpoints)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TrackingIn(BaseModel):
    tracked: bool = Field(description="true: receipts of this product name a batch and expiry date")


class AlertWindowIn(BaseModel):
    days: int = Field(ge=0, le=3650, description="raise an expiry exception this many days ahead")
