"""What can go wrong in purchasing, in words, and the HTTP status each one answers with.

Services raise these (they know nothing of HTTP); `as_http` turns them into responses at the
endpoint, after the transaction has been rolled back by the session dependency.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException


class PurchasingError(Exception):
    status = 422


class Invalid(PurchasingError):
    """The request names something impossible (unknown product, duplicate line, wrong currency)."""


class NotFound(PurchasingError):
    """Unknown, or outside the caller's stores: they may not learn that it exists."""

    status = 404


class IllegalTransition(PurchasingError):
    """The order's status does not allow this step (edit after draft, receive before sent...)."""

    status = 409


class Refused(PurchasingError):
    """The caller's role may not do this part of an otherwise allowed action."""

    status = 403


@contextmanager
def as_http() -> Iterator[None]:
    try:
        yield
    except PurchasingError as error:
        raise HTTPException(error.status, str(error)) from None
