"""Many rows in one statement: the rows travel as one JSON document (`jsonb_to_recordset`).

SQLAlchemy's executemany / insertmanyvalues renders and parses one placeholder per value (a
100-sale push is ~6,000 values); one JSON parameter is one C-speed `json.dumps` here and one
parse in PostgreSQL, in a single round trip.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

_DIALECT = postgresql.dialect()


def _plain(value: Any) -> str:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot send {type(value).__name__} as a bulk row value")


def rows_json(rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps(rows, default=_plain, ensure_ascii=False, separators=(",", ":"))


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]], *,
                conflict: str = "", returning: str = "") -> list[Any]:
    """INSERT `rows` (dicts with the same keys) into `table` in one statement.

    `conflict`: e.g. "(dedupe_key) DO NOTHING"; `returning`: e.g. "id". Returns the RETURNING rows.
    """
    if not rows:
        return []
    columns = list(rows[0])
    typed = ", ".join(f"{c} {table.c[c].type.compile(_DIALECT)}" for c in columns)
    names = ", ".join(columns)
    sql = (f"INSERT INTO {table.name} ({names}) SELECT {names} "
           f"FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS t({typed})")
    if conflict:
        sql += f" ON CONFLICT {conflict}"
    if returning:
        sql += f" RETURNING {returning}"
    result = session.execute(text(sql), {"rows": rows_json(rows)})
    return list(result.all()) if returning else []


__all__ = ["insert_rows", "rows_json"]
