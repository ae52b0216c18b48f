"""Importing products and prices from CSV: stage, check everything, then apply all or nothing.

One transaction (the caller's): if any row is bad nothing is written and the caller gets every
problem found (up to MAX_REPORTED, with the total), each with its row, column and a message.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hq_server.audit.service import record
from hq_server.auth.identity import Actor
from hq_server.catalogue_admin.csv_format import RowError
from hq_server.catalogue_admin.import_apply import IMPORT_LOCK_SQL, apply_changes, mark_changes
from hq_server.catalogue_admin.import_checks import whole_file_errors
from hq_server.catalogue_admin.publish import publish_products
from hq_server.catalogue_admin.staging import stage_csv
from shared.money import exponent

MAX_REPORTED = 1000


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "applied": self.applied,
                "error_count": self.error_count, "errors": [e.as_dict() for e in self.errors]}


def import_products(session: Session, actor: Actor | None, upload: IO[bytes], *, currency: str,
                    dry_run: bool = False) -> ImportResult:
    """Stage `upload`, check it, and (unless `dry_run` or any row is bad) apply it."""
    exponent(currency)  # refuses a currency we cannot round
    session.execute(text(IMPORT_LOCK_SQL))
    # JIT compiles each big statement for ~0.4 s here and wins nothing back on these plans.
    session.execute(text("SET LOCAL jit = off"))
    staged = stage_csv(session, upload, currency)
    result = ImportResult(rows=staged.rows)
    errors = staged.errors + (whole_file_errors(session, currency) if staged.columns else [])
    if errors:
        errors.sort(key=lambda e: (e.row, e.column))
        result.errors, result.error_count = errors[:MAX_REPORTED], len(errors)
        return result
    counts = mark_changes(session)
    result.created, result.updated, result.unchanged = (counts["created"], counts["updated"],
                                                        counts["unchanged"])
    if dry_run or not (result.created or result.updated):
        return result
    changed = apply_changes(session, currency, actor.user_id if actor else None,
                            actor.ip if actor else None)
    record(session, actor, "catalogue.imported", "catalogue", None, None,
           {"rows": result.rows, "created": result.created, "updated": result.updated})
    publish_products(session, changed, datetime.now(UTC))
    result.applied = True
    return result


def errors_csv(errors: list[RowError]) -> str:
    """The error report as CSV (row, column, message), for people who fix files in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("row", "column", "message"))
    writer.writerows((e.row, e.column, e.message) for e in errors)
    return out.getvalue()
