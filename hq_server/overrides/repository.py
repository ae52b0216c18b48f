"""Override log queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from hq_server.auth.identity import StoreScope
from hq_server.db.models import OverrideEntry
from hq_server.db.till_fact_listing import till_fact_listing


def listing(session: Session, *, scope: StoreScope, store_code: str | None, action: str | None,
            since: datetime | None, limit: int, offset: int) -> Sequence[Row[Any]]:
    """Newest first, within the caller's stores."""
    return till_fact_listing(session, OverrideEntry, scope=scope, store_code=store_code, since=since,
                             limit=limit, offset=offset,
                             where=[OverrideEntry.action == action] if action else ())
