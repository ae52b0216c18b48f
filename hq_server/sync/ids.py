"""UUIDs on the ingest hot path: checked once, kept as canonical text, parsed once per batch.

A 100-sale push names ~1,000 ids; building a uuid.UUID for each and turning it back into text
for the JSON rows cost more than applying the sales. Ids that tills send are already canonical
(lower-case, dashed), so one regex match checks them; anything else is parsed the slow way.
"""

from __future__ import annotations

import re
import uuid

from hq_server.sync.errors import SyncRefused
from shared.ids import uuid7

_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def canonical(value: object) -> str | None:
    """`value` as canonical UUID text, or None when it is not a UUID."""
    if type(value) is str and _CANONICAL.match(value):
        return value
    try:
        return str(uuid.UUID(value))  # type: ignore[arg-type]
    except (ValueError, TypeError, AttributeError):
        return None


def require(value: object, what: str) -> str:
    text = canonical(value)
    if text is None:
        raise SyncRefused(422, "bad_payload", f"{what} {value!r} is not a UUID")
    return text


class CanonicalMemo:
    """`canonical` for ids that repeat in a batch (a push's ~400 lines name a few dozen
    products): a set lookup instead of a regex match for each one seen before."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, value: object) -> str | None:
        if type(value) is str and value in self._seen:  # only canonical text is ever added
            return value  # type: ignore[return-value]
        text = canonical(value)
        if text is not None and text == value:
            self._seen.add(text)
        return text


class UuidMemo:
    """One uuid.UUID per distinct id in a batch (product and store ids repeat on every line)."""

    def __init__(self) -> None:
        self._seen: dict[str, uuid.UUID] = {}

    def __call__(self, value: object, what: str) -> uuid.UUID:
        found = self._seen.get(value) if type(value) is str else None
        if found is None:
            found = uuid.UUID(require(value, what))
            self._seen[value] = found  # type: ignore[index]
        return found


def id_run(count: int) -> list[str]:
    """`count` distinct time-ordered ids (canonical text) from one UUIDv7: its random tail
    counts up.

    The low 20 of its 62 random bits are the counter (the last five hex digits), so ids of two
    runs differ in the rest. Built as text: uuid.UUID(int=...) per row cost more than the insert.
    """
    if count > 0x100000:
        raise ValueError(f"an id run holds at most {0x100000} ids, not {count}")
    prefix = str(uuid7())[:-5]
    return [f"{prefix}{i:05x}" for i in range(count)]


__all__ = ["CanonicalMemo", "UuidMemo", "canonical", "id_run", "require"]
