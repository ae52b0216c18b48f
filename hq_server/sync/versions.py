"""Which tills HQ still talks to.

Every sync request names the till's version (shared.wire.TILL_VERSION_HEADER). HQ refuses a till
below its minimum (`create_app(min_till_version=...)`, or HQ_MIN_TILL_VERSION) with HTTP 426,
in words the till shows on its status bar. A till that sends no version predates the header:
with a minimum set it is too old; with none (the default) every till is served.

Events are negotiated separately, per event type: HQ accepts every schema version from 1 up to
the one it knows (an older till's payloads parse with the defaults of fields added since), and
refuses a newer one as `bad_payload` (shared.events.parse_payload).
"""

from __future__ import annotations

import os
import re

from fastapi import Request

from hq_server.sync.errors import SyncRefused
from shared.wire import TILL_VERSION_HEADER

MIN_TILL_VERSION_ENV = "HQ_MIN_TILL_VERSION"


def version_key(version: str) -> tuple[int, ...]:
    """"1.10.2" -> (1, 10, 2); the leading digits of each dotted part ("2rc1" -> 2)."""
    return tuple(int(m.group()) if (m := re.match(r"\d+", part)) else 0
                 for part in version.strip().lstrip("vV").split("."))


def is_too_old(version: str | None, minimum: str | None) -> bool:
    if not minimum:
        return False
    return not version or version_key(version) < version_key(minimum)


def min_from_env() -> str | None:
    return os.environ.get(MIN_TILL_VERSION_ENV) or None


async def require_supported_till(request: Request) -> None:
    """Dependency of every sync endpoint (async: no thread hop for reading a header)."""
    minimum = getattr(request.app.state, "min_till_version", None)
    version = request.headers.get(TILL_VERSION_HEADER)
    if is_too_old(version, minimum):
        raise SyncRefused(426, "till_too_old", f"this till is too old for HQ; update it to version "
                                               f"{minimum} or later (it is {version or 'unknown'})")
