"""Device admin API shapes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class DeviceOut(BaseModel):
    id: str
    store_id: str
    store_code: str
    name: str
    app_version: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    last_received_at: datetime | None
    last_seq: int
    revoked: bool
    quarantined: bool
    quarantined_at: datetime | None
    quarantine_reason: str | None
    clock_offset_ms: int | None
    backlog_events: int | None = None  # as the till last reported it
    oldest_unsent_at: datetime | None = None
    backlog_reported_at: datetime | None = None
    rotation_requested_at: datetime | None = None
    credential_rotated_at: datetime | None = None


class ReleaseRequest(BaseModel):
    released_by: str = Field(min_length=1, max_length=200)
    note: str | None = Field(default=None, max_length=4000)
