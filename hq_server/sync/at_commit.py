"""Rows a push gathers while its events are applied and writes once, when it commits.

Customers and gift cards are written at `before_commit`: the moment the push takes the
change-log lock (stock.publish). Their rows must be locked after it, never before, or a push
holding the change-log lock and waiting for a card would deadlock against one doing it the other
way round; and writing them then puts their new versions in the change log in commit order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

Gathered = TypeVar("Gathered")


def gathered(session: Session, key: str, make: Callable[[], Gathered],
             write: Callable[[Session, Gathered], None]) -> Gathered:
    """This push's gathering under `key` (made on first use), handed to `write` at commit."""
    found = session.info.get(key)
    if found is None:
        found = session.info[key] = make()

        def write_at_commit(committing: Session) -> None:
            held = committing.info.pop(key, None)
            if held is not None:
                write(committing, held)

        sa_event.listen(session, "before_commit", write_at_commit, once=True)
    return found
