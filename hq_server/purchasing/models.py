"""Purchasing tables (on the shared declarative Base; migration 0005)."""

from __future__ import annotations

from hq_server.db.models import Base  # noqa: F401
