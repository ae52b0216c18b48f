"""How far a running import has got, readable from any HQ worker (the import runs on another).

The importing transaction names its connection (`application_name`, reset at commit); PostgreSQL
then reports it in pg_stat_activity, and while the file streams into the staging table,
pg_stat_progress_copy counts the rows COPY has taken. Nothing is written anywhere, so an
import that fails or is rolled back leaves no status behind to clean up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

_PREFIX = "tillhq-import:"
IMPORT_ID = re.compile(r"^[0-9a-f]{32}$")

_PROGRESS = text("""
    SELECT c.tuples_processed FROM pg_stat_activity a
    LEFT JOIN pg_stat_progress_copy c ON c.pid = a.pid
    WHERE a.application_name = :name LIMIT 1""")


@dataclass(frozen=True, slots=True)
class ImportProgress:
    running: bool
    reading: bool  # still streaming rows into the staging table (then: checking and applying)
    rows_read: int

    def as_dict(self) -> dict[str, object]:
        return {"running": self.running, "reading": self.reading, "rows_read": self.rows_read}


def label_import(session: Session, import_id: str) -> None:
    """Name this transaction's connection after `import_id` (32 hex digits) until it ends."""
    if not IMPORT_ID.match(import_id):
        raise ValueError("an import id is 32 lower-case hex digits")
    session.execute(text("SELECT set_config('application_name', :name, true)"),
                    {"name": _PREFIX + import_id})


def import_progress(session: Session, import_id: str) -> ImportProgress:
    """Where import `import_id` is now; not running once it has committed or rolled back."""
    if not IMPORT_ID.match(import_id):
        return ImportProgress(False, False, 0)
    found = session.execute(_PROGRESS, {"name": _PREFIX + import_id}).first()
    if found is None:
        return ImportProgress(False, False, 0)
    copied = found[0]
    return ImportProgress(True, copied is not None, int(copied or 0))
