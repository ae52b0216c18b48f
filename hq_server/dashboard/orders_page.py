"""GET /purchase-orders: purchase orders by status; create, edit, approve, send, receive."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["dashboard"], include_in_schema=False)
