"""Checks shared by the typed journal events (kept apart so event modules never import each other)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, ClassVar


class EventPayloadError(ValueError):
    pass


def require_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise EventPayloadError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise EventPayloadError(f"{name} must be >= {minimum}, got {value}")
    return value


def require_text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise EventPayloadError(f"{name} is required")
    return value


class JournalFact:
    """`to_payload` / `from_payload` for a frozen dataclass journal event, written once.

    `NESTED` names the list fields whose items are dataclasses of their own (sale lines,
    tenders, refunds), so a payload read back from JSON becomes typed again. Every payload is
    validated on the way out and on the way in.
    """

    __slots__ = ()
    TYPE: ClassVar[str]
    NESTED: ClassVar[dict[str, Any]] = {}

    def validate(self) -> None:  # each event states its own rules
        raise NotImplementedError

    def to_payload(self) -> dict[str, Any]:
        self.validate()
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Any:
        try:
            data = dict(payload)
            for name, item in cls.NESTED.items():
                if name in data:  # a list added in a later schema is absent from older payloads
                    data[name] = [item(**value) for value in data[name]]
            event = cls(**data)
        except (KeyError, TypeError) as exc:
            raise EventPayloadError(f"malformed {cls.TYPE} payload: {exc}") from None
        event.validate()
        return event
