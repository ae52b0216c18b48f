"""Catalogue administration tables (on the shared declarative Base; migration 0010)."""

from __future__ import annotations

from hq_server.db.models import Base  # noqa: F401
