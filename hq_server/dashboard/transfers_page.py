"""GET /transfers: stock transfers between stores; request, approve, ship, receive."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["dashboard"], include_in_schema=False)
