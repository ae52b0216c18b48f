"""Shift report API shapes. Money in integer minor units of `currency`."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ShiftCloseOut(BaseModel):
    event_id: str
    shift_id: str
    store_id: str
    store_code: str
    device_id: str
    device_name: str
    closed_by: str
    closed_by_id: str
    currency: str
    float_minor: int
    sales_count: int
    sales_total_minor: int
    returns_count: int
    returns_total_minor: int
    paid_in_minor: int
    paid_out_minor: int
    drops_minor: int
    expected_cash_minor: int
    counted_cash_minor: int
    over_short_minor: int = Field(description="counted - expected: positive over, negative short")
    tender_totals: dict[str, int]
    at: datetime


class ShiftList(BaseModel):
    shifts: list[ShiftCloseOut]
