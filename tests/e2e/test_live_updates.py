"""A dashboard WebSocket sees the stock change once a till's sale is pushed."""

from __future__ import annotations

import asyncio
import json

import websockets

from till.sale import Basket

from .helpers import enrolled_till


async def next_stock_message(ws_url: str, ready: asyncio.Event) -> dict:
    async with websockets.connect(ws_url, open_timeout=5) as ws:
        ready.set()
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            if message["type"] == "stock":
                return message


def test_a_websocket_client_receives_the_stock_change_after_the_sale_is_pushed(
        hq_server, enrolment_code, tmp_path):
    till = enrolled_till(tmp_path / "till", hq_server.url, enrolment_code)
    try:
        serum = hq_server.seed.products[2]
        token = hq_server.admin_headers["Authorization"].split()[1]
        ws_url = hq_server.url.replace("http://", "ws://") + f"/api/v1/live?token={token}"

        async def scenario() -> dict:
            ready = asyncio.Event()
            listener = asyncio.create_task(next_stock_message(ws_url, ready))
            await asyncio.wait_for(ready.wait(), 5)
            await asyncio.sleep(0.2)  # let HQ register the socket before the sale arrives
            basket = Basket("EUR")
            basket.add(till.catalog.lookup(serum.barcode), 2)
            await asyncio.to_thread(till.sales.complete_sale, basket, basket.total, "Ana")
            await asyncio.to_thread(till.agent.push_pending)
            return await listener

        message = asyncio.run(scenario())
        assert message["sku"] == serum.sku
        assert message["store_code"] == "S001"
        assert message["on_hand"] == hq_server.seed.opening_stock - 2
    finally:
        till.close()
