"""When a till fact happened, for read models that list facts by time."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.hlc import Timestamp
from shared.journal import JournalEvent


def happened_at(at_ms: int, event: JournalEvent) -> datetime:
    """The till's own time of the fact; its HLC wall time when the payload carries none."""
    if not at_ms:
        try:
            at_ms = Timestamp.decode(event.hlc).wall_ms
        except ValueError:
            return datetime.now(UTC)
    return datetime.fromtimestamp(at_ms / 1000, UTC)
