"""What a back-office service refuses, in words, and the HTTP status the API answers with.

Services raise these and know nothing of HTTP; one app-wide handler (`domain_error_handler`)
turns them into `{"detail": ...}` responses after the session dependency has rolled back. Each
domain subclasses them where its refusal has a name of its own (purchasing's IllegalTransition).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse


class DomainError(Exception):
    status = 422


class Invalid(DomainError):
    """The request names something impossible (unknown product, duplicate line, bad quantity)."""


class NotFound(DomainError):
    """Unknown, or outside the caller's stores: they may not learn that it exists."""

    status = 404


class Forbidden(DomainError):
    """The caller's role or store scope does not allow this."""

    status = 403


class Conflict(DomainError):
    """The record's state does not allow this step now (already posted, shipped, received...)."""

    status = 409


async def domain_error_handler(_: Request, error: Exception) -> JSONResponse:
    status = error.status if isinstance(error, DomainError) else 500
    return JSONResponse({"detail": str(error)}, status_code=status)
