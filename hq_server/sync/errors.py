"""A refused sync request, answered with a shared.wire.SyncError body (no `detail` wrapper)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from shared.wire import SyncError


class SyncRefused(Exception):
    """`event_id` and `seq` name the refused event for HQ's records; they are not sent back."""

    def __init__(self, status: int, code: str, message: str, expected_seq: int | None = None, *,
                 event_id: str | None = None, seq: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = SyncError(error=code, message=message, expected_seq=expected_seq)  # type: ignore[arg-type]
        self.event_id, self.seq = event_id, seq

    @property
    def code(self) -> str:
        return self.error.error


async def sync_refused_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SyncRefused)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(exc.error.model_dump(), status_code=exc.status, headers=headers)
