"""WebSocket /live: stock levels as they change, for the dashboard (one JSON message each).

Signed-in users only: the access token comes from the dashboard's HttpOnly cookie (the browser
sends it with the handshake) or a `token` query parameter (scripts). Without a valid one the
socket is accepted and closed at once with code 4401, so the client can tell "sign in again"
from a network error. A store-scoped user hears only their stores' changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from hq_server.auth.identity import Actor
from hq_server.auth.web import ACCESS_COOKIE, NotSignedIn, actor_for_token
from hq_server.db.session import transaction

router = APIRouter(tags=["realtime"])
NOT_SIGNED_IN = 4401  # 4000-4999: application close codes; 401 for "who are you?"


@router.websocket("/live")
async def live(websocket: WebSocket, token: str | None = None) -> None:
    await websocket.accept()
    actor = await asyncio.to_thread(_signed_in, websocket, token)
    if actor is None:
        await websocket.close(code=NOT_SIGNED_IN, reason="sign in first")
        return
    stores = None if actor.scope.all_stores else {str(s) for s in actor.scope.store_ids}
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
            if stores is None or _store_of(text) in stores:
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


def _signed_in(websocket: WebSocket, token: str | None) -> Actor | None:
    cookie = websocket.cookies.get(ACCESS_COOKIE)
    if not token and cookie and not _same_origin(websocket):
        return None  # another site's page opening a socket with our user's cookie
    if not (token or cookie):
        return None
    ip = websocket.client.host if websocket.client else None
    with transaction(websocket.app.state.session_factory) as session:
        try:
            return actor_for_token(session, websocket.app.state.jwt_secret, token or cookie, ip)
        except NotSignedIn:
            return None


def _same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == websocket.headers.get("host")


def _store_of(text: str) -> str | None:
    try:
        return json.loads(text).get("store_id")
    except (ValueError, AttributeError):
        return None
