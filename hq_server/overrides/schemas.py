"""Override log API shapes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class OverrideOut(BaseModel):
    event_id: str
    override_id: str
    store_id: str
    store_code: str
    device_id: str
    device_name: str
    action: str
    requested_by: str
    requested_by_id: str
    approved_by: str
    approved_by_id: str
    before: str
    after: str
    reason: str
    sale_id: str
    at: datetime


class OverrideList(BaseModel):
    overrides: list[OverrideOut]
