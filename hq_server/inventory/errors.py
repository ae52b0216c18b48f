"""Inventory refusals are the shared back-office ones (hq_server.errors); the app answers each
with its HTTP status."""

from __future__ import annotations

from hq_server.errors import Conflict, Forbidden, Invalid, NotFound
from hq_server.errors import DomainError as InventoryError

__all__ = ["Conflict", "Forbidden", "Invalid", "InventoryError", "NotFound"]
