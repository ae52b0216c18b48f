"""Request dependencies. `get_session` is the one owner of a request's transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack
from typing import Annotated

import anyio
from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session


async def get_session(request: Request) -> AsyncIterator[Session]:
    """Commit when the endpoint returns, roll back when it raises; services never commit.

    `with factory() as session, session.begin()` (db.session.transaction), entered on the event
    loop (no I/O happens until the first query takes a connection) and left in a worker thread:
    one thread hop per request instead of two."""
    unit = ExitStack()
    session = unit.enter_context(request.app.state.session_factory())
    unit.enter_context(session.begin())
    try:
        yield session
    except BaseException as error:
        await _leave_in_thread(unit, error)
        raise
    await _leave_in_thread(unit, None)


async def _leave_in_thread(unit: ExitStack, error: BaseException | None) -> None:
    # Its own limiter, as FastAPI gives sync generators: with every worker thread waiting for a
    # pooled connection, the commit that frees one must still get a thread. Shielded: a client
    # that hangs up must not leave the connection checked out.
    exc_info = (None, None, None) if error is None else (type(error), error, error.__traceback__)
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(unit.__exit__, *exc_info, limiter=anyio.CapacityLimiter(1))


# scope="function": commit before the response is sent, so a 200 means "stored".
DbSession = Annotated[Session, Depends(get_session, scope="function")]


# Paging: far past any real table, yet inside PostgreSQL's bigint (beyond it the query fails: 5xx).
MAX_OFFSET = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
