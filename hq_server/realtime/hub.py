"""In-process fan-out: WebSocket subscribers, and the wake-up signal for long-polling pulls."""

from __future__ import annotations

import asyncio

_CLOSE = None  # sentinel put in a subscriber's queue when the app shuts down


class Hub:
    """Each WebSocket gets its own bounded queue, so a slow browser never stalls the others."""

    def __init__(self, queue_size: int = 1000) -> None:
        self._queues: set[asyncio.Queue[str | None]] = set()
        self._queue_size = queue_size

    def subscribe(self) -> asyncio.Queue[str | None]:
        queue: asyncio.Queue[str | None] = asyncio.Queue(self._queue_size)
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str | None]) -> None:
        self._queues.discard(queue)

    def broadcast(self, message: str) -> None:
        for queue in list(self._queues):
            if queue.full():  # drop the oldest: the newest level is the one that matters
                queue.get_nowait()
            queue.put_nowait(message)

    def close(self) -> None:
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(_CLOSE)

    @property
    def subscribers(self) -> int:
        return len(self._queues)


class ChangeSignal:
    """A fresh asyncio.Event per generation: `fire` wakes everyone waiting on the current one.

    Waiters take `current()` *before* they query, so a change committed between their query and
    their wait still wakes them.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def current(self) -> asyncio.Event:
        return self._event

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()
