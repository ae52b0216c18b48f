"""One LISTEN connection per HQ worker, reconnecting whenever PostgreSQL goes away."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import psycopg

log = logging.getLogger(__name__)
APPLICATION_NAME = "tillhq-realtime"

Handler = Callable[[str], None]


class PgListener:
    def __init__(self, conninfo: str, handlers: dict[str, Handler],
                 on_connect: Callable[[], None] | None = None) -> None:
        self._conninfo = conninfo
        self._handlers = handlers
        self._on_connect = on_connect or (lambda: None)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.ready = asyncio.Event()  # set once LISTEN is in place (again after each reconnect)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="tillhq-pg-listener")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        backoff = 0.2
        while not self._stopping:
            try:
                await self._listen()
            except (psycopg.Error, OSError) as error:
                log.warning("realtime listener lost PostgreSQL (%s); reconnecting in %.1fs",
                            error, backoff)
            self.ready.clear()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _listen(self) -> None:
        conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True, connect_timeout=5,
                                                     application_name=APPLICATION_NAME)
        async with conn:
            for channel in self._handlers:
                await conn.execute(f"LISTEN {channel}")
            self.ready.set()
            # Notifications may have been missed while we were away: let waiters re-read.
            self._on_connect()
            while not self._stopping:
                async for notify in conn.notifies(timeout=5.0):
                    self._dispatch(notify.channel, notify.payload)
                await conn.execute("SELECT 1")  # a quiet spell: make sure the link is alive

    def _dispatch(self, channel: str, payload: str) -> None:
        handler = self._handlers.get(channel)
        if handler is None:
            return
        try:
            handler(payload)
        except Exception:  # one bad message must not kill the listener
            log.exception("realtime handler for %s failed", channel)
