"""The journal envelope and its SHA-256 hash chain.

Every event a till records is a `JournalEvent`. `hash` covers the canonical encoding of every
other field, including `prev_hash`, so altering, dropping or reordering any event breaks the chain.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .canonical import canonical_bytes, sha256_hex

GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("event_id", "device_id", "seq", "hlc", "type", "schema_version", "payload", "prev_hash")


class ChainError(ValueError):
    """An event does not fit the chain: bad hash, wrong device, seq gap or broken link."""

    def __init__(self, code: str, message: str, expected_seq: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.expected_seq = expected_seq


@dataclass(frozen=True, slots=True)
class JournalEvent:
    event_id: str
    device_id: str
    seq: int
    hlc: str
    type: str
    schema_version: int
    payload: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def hashed_part(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in HASHED_FIELDS}

    def compute_hash(self, *, plain: bool = False) -> str:
        """`plain`: the payload is known to be clean JSON already (shared.canonical)."""
        return sha256_hex(canonical_bytes(self.hashed_part(), plain=plain))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JournalEvent:
        return cls(**{name: data[name] for name in (*HASHED_FIELDS, "hash")})


def seal(
    *, event_id: str, device_id: str, seq: int, hlc: str, type: str, schema_version: int,
    payload: dict[str, Any], prev_hash: str,
) -> JournalEvent:
    """Build an event and compute its hash."""
    draft = JournalEvent(event_id, device_id, seq, hlc, type, schema_version, payload, prev_hash)
    return JournalEvent(**{**draft.hashed_part(), "hash": draft.compute_hash()})


def verify_hash(event: JournalEvent, *, plain: bool = False) -> None:
    """`plain`: as for JournalEvent.compute_hash; the hash itself is always recomputed."""
    if event.compute_hash(plain=plain) != event.hash:
        raise ChainError("bad_hash", f"event {event.event_id} (seq {event.seq}): hash does not match its content")


def verify_position(event: JournalEvent, *, last_seq: int, last_hash: str) -> None:
    """Check that an event whose hash is already verified comes right after (last_seq, last_hash)."""
    if event.seq != last_seq + 1:
        raise ChainError(
            "seq_gap", f"expected seq {last_seq + 1}, got {event.seq}", expected_seq=last_seq + 1
        )
    if event.prev_hash != last_hash:
        raise ChainError("broken_chain", f"event seq {event.seq}: prev_hash does not match the hash of seq {last_seq}")


def verify_link(event: JournalEvent, *, device_id: str, last_seq: int, last_hash: str) -> None:
    """Check that `event` is the next link after (last_seq, last_hash) of `device_id`."""
    if event.device_id != device_id:
        raise ChainError("wrong_device", f"event {event.event_id} belongs to device {event.device_id}, not {device_id}")
    verify_hash(event)
    verify_position(event, last_seq=last_seq, last_hash=last_hash)


def verify_chain(events: list[JournalEvent], *, device_id: str, last_seq: int = 0,
                 last_hash: str = GENESIS_HASH) -> None:
    for event in events:
        verify_link(event, device_id=device_id, last_seq=last_seq, last_hash=last_hash)
        last_seq, last_hash = event.seq, event.hash
