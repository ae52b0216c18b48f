"""Exceptions API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class ExceptionOut(BaseModel):
    id: str
    kind: str
    status: Literal["open", "resolved"]
    store_id: str | None
    store_code: str | None
    device_id: str | None
    product_id: str | None
    event_id: str | None
    details: dict[str, Any]
    raised_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None = Field(description="email of the HQ user who resolved it")
    resolved_by_user_id: str | None
    resolution: str | None
    note: str | None


class ExceptionList(BaseModel):
    exceptions: list[ExceptionOut]
    counts: dict[str, int] = Field(description="per kind, for the store and status asked (any kind)")


class ResolveRequest(BaseModel):
    """Who resolved it is the signed-in user, never a field of the request."""

    resolution: str = Field(min_length=1, max_length=200)
    note: str | None = Field(default=None, max_length=4000)
