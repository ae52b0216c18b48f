"""GET /reorder: replenishment suggestions per store and vendor; selected lines become draft POs."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["dashboard"], include_in_schema=False)
