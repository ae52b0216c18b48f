"""Pull: a page of the change log after the device's cursor, long-polling when there is none."""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool

from hq_server.changelog import repository
from hq_server.db.session import SessionFactory, transaction
from hq_server.devices.service import DeviceIdentity
from hq_server.realtime.hub import ChangeSignal
from shared.wire import Change, PullResponse


def read_page(factory: SessionFactory, device: DeviceIdentity, cursor: int, limit: int) -> PullResponse:
    with transaction(factory) as session:
        rows = repository.changes_after(session, cursor, device.store_id, limit)
        changes = [Change(cursor=r.id, kind=r.kind, data=r.data) for r in rows]  # type: ignore[arg-type]
    return PullResponse(changes=changes, next_cursor=changes[-1].cursor if changes else cursor,
                        has_more=len(changes) == limit)


async def pull(factory: SessionFactory, signal: ChangeSignal, device: DeviceIdentity, *,
               cursor: int, limit: int, wait: float) -> PullResponse:
    """Each read is its own short transaction; no connection is held while waiting."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        news = signal.current()  # taken before reading, so a change committed meanwhile wakes us
        page = await run_in_threadpool(read_page, factory, device, cursor, limit)
        remaining = deadline - loop.time()
        if page.changes or remaining <= 0:
            return page
        try:
            await asyncio.wait_for(news.wait(), remaining)
        except TimeoutError:
            pass
