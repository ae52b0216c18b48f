"""Request dependencies. `get_session` is the one owner of a request's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from hq_server.db.session import transaction


def get_session(request: Request) -> Iterator[Session]:
    """Commit when the endpoint returns, roll back when it raises; services never commit."""
    with transaction(request.app.state.session_factory) as session:
        yield session


# scope="function": commit before the response is sent, so a 200 means "stored".
DbSession = Annotated[Session, Depends(get_session, scope="function")]


# Paging: far past any real table, yet inside PostgreSQL's bigint (beyond it the query fails: 5xx).
MAX_OFFSET = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
