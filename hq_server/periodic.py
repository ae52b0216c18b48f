"""HQ's own housekeeping, run in the server's lifespan: each job in its own transaction, every
`interval` seconds, until the server stops.

Jobs are safe to run in every worker process at once (they lock or deduplicate what they write),
so nothing elects a leader. A failed run is logged and retried next time; the server keeps
serving.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from hq_server.db.session import SessionFactory, transaction

log = logging.getLogger(__name__)


async def every(interval: float, factory: SessionFactory, job: Callable[[Session], object], what: str) -> None:
    while True:
        try:
            await asyncio.to_thread(_in_transaction, factory, job)
        except Exception:
            log.exception("%s failed; retrying in %.0f s", what, interval)
        await asyncio.sleep(interval)


def _in_transaction(factory: SessionFactory, job: Callable[[Session], object]) -> object:
    with transaction(factory) as session:
        return job(session)
