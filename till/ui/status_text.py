"""The status bar's words for the sync agent's state (pure, so it is tested without a screen)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any


def sync_status_text(status: Mapping[str, Any] | None) -> str:
    if status is None:
        return "Not enrolled — sales are kept on this till"
    state = "Online" if status.get("online") else "Offline"
    pending = status.get("pending", 0)
    waiting = f"{pending} event{'s' if pending != 1 else ''} waiting"
    last: datetime | None = status.get("last_sync")
    when = f"last sync {last.astimezone():%H:%M:%S}" if last else "never synced"
    text = f"{state} · {waiting} · {when}"
    if status.get("last_error"):
        text += f" · {status['last_error'][:120]}"
    return text


def device_status_text(states: Iterable[Any], problems: Iterable[str] = ()) -> str:
    """One short item per device ("printer tcp:…: error (out of paper)"), then config problems."""
    items = []
    for s in states:
        mark = {"connected": "OK", "disconnected": "disconnected", "error": "ERROR"}.get(
            s.connection.value, s.connection.value)
        items.append(f"{s.device}: {mark}" + (f" ({s.message[:80]})" if s.message else ""))
    return " · ".join([*items, *(p[:160] for p in problems)])
