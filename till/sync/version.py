"""This till's version, as HQ sees it on every sync request (shared.wire.TILL_VERSION_HEADER)."""

from __future__ import annotations

from importlib import metadata

FALLBACK_VERSION = "0.1.0"  # a frozen build without package metadata


def app_version() -> str:
    try:
        return metadata.version("tillhq")
    except metadata.PackageNotFoundError:
        return FALLBACK_VERSION


APP_VERSION = app_version()
