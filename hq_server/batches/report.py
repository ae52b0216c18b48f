"""The "expiring-batches" report: batches with stock expiring within `days` (default 30) of
today, already expired ones first, in the reader's stores (hq_server.reports registers it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from hq_server.auth.identity import Actor
from hq_server.batches.alerts import expiring
from hq_server.reports.shapes import Column

COLUMNS = [Column("store", "Store"), Column("sku", "SKU"), Column("name", "Product"),
           Column("batch", "Batch"), Column("expires_on", "Expires on"),
           Column("days_left", "Days left"), Column("quantity", "Quantity")]


def expiring_batches(session: Session, actor: Actor, p: Any) -> tuple[list[Column], list[dict[str, Any]]]:
    """`p` is reports.service.Params: `days` and `store` are used."""
    today = datetime.now(UTC).date()
    rows = [{c.name: getattr(row, c.name) for c in COLUMNS}
            for row in expiring(session, actor.scope, today, p.days, p.store)]
    return COLUMNS, rows
