"""GET /counts: stock counts; start, enter counted quantities, post, see variances."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["dashboard"], include_in_schema=False)
