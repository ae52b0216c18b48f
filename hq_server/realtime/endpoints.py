"""WebSocket /live: stock levels as they change, for the dashboard (one JSON message each)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

router = APIRouter(tags=["realtime"])


@router.websocket("/live")
async def live(websocket: WebSocket) -> None:
    await websocket.accept()
    hub = websocket.app.state.hub
    queue = hub.subscribe()
    # Says which HQ worker holds this socket: fan-out must reach it whichever worker ingests.
    await websocket.send_text(json.dumps({"type": "hello", "worker": os.getpid()}))
    closed = asyncio.create_task(_until_closed(websocket))
    try:
        while True:
            message = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({message, closed}, return_when=asyncio.FIRST_COMPLETED)
            if closed in done:
                message.cancel()
                return
            text = message.result()
            if text is None:  # app shutting down
                await websocket.close(code=1001)
                return
            await websocket.send_text(text)
    except (WebSocketDisconnect, RuntimeError):
        return
    finally:
        hub.unsubscribe(queue)
        closed.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await closed


async def _until_closed(websocket: WebSocket) -> None:
    """Read (and ignore) what the browser sends until it goes away."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            await websocket.receive_text()
