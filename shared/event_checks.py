"""Checks shared by the typed journal events (kept apart so event modules never import each other)."""

from __future__ import annotations

from typing import Any


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
