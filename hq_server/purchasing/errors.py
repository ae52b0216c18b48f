"""What can go wrong in purchasing: the shared refusals (hq_server.errors), plus the one that
only orders have. The app answers each with its HTTP status."""

from __future__ import annotations

from hq_server.errors import Conflict, Forbidden, Invalid, NotFound
from hq_server.errors import DomainError as PurchasingError

__all__ = ["IllegalTransition", "Invalid", "NotFound", "PurchasingError", "Refused"]


class IllegalTransition(Conflict):
    """The order's status does not allow this step (edit after draft, receive before sent...)."""


Refused = Forbidden  # the caller's role may not do this part of an otherwise allowed action
