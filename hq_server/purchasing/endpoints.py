"""Purchasing API: vendors and what is owed to them, purchase orders and receiving,
replenishment levels and suggestions. Each part keeps its own router; this one gathers them."""

from __future__ import annotations

from fastapi import APIRouter

from hq_server.purchasing.orders_api import router as orders_router
from hq_server.purchasing.replenishment_api import router as replenishment_router
from hq_server.purchasing.vendors_api import router as vendors_router

router = APIRouter(tags=["purchasing"])
for part in (vendors_router, orders_router, replenishment_router):
    router.include_router(part)
