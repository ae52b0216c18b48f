"""Many rows in one statement: the rows travel as one JSON document (`jsonb_to_recordset`).

SQLAlchemy's executemany / insertmanyvalues renders and parses one placeholder per value (a
100-sale push is ~6,000 values); one JSON parameter is one encode here and one parse in
PostgreSQL, in a single round trip. The encoder is pydantic-core's: it writes UUIDs and
datetimes itself, where `json.dumps(default=...)` called back into Python for every id.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

_DIALECT = postgresql.dialect()


def rows_json(rows: Sequence[dict[str, Any]]) -> str:
    """UUIDs as text, datetimes as ISO 8601; anything JSON cannot carry raises."""
    return to_json(rows).decode()


@lru_cache(maxsize=256)
def _insert_sql(table: Table, columns: tuple[str, ...], conflict: str, returning: str) -> Any:
    typed = ", ".join(f"{c} {table.c[c].type.compile(_DIALECT)}" for c in columns)
    names = ", ".join(columns)
    sql = (f"INSERT INTO {table.name} ({names}) SELECT {names} "
           f"FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS t({typed})")
    if conflict:
        sql += f" ON CONFLICT {conflict}"
    if returning:
        sql += f" RETURNING {returning}"
    return text(sql)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]], *,
                conflict: str = "", returning: str = "", statement: Any = None,
                params: dict[str, Any] | None = None) -> list[Any]:
    """INSERT `rows` (dicts with the same keys) into `table` in one statement.

    `conflict`: e.g. "(dedupe_key) DO NOTHING"; `returning`: e.g. "id". Returns the RETURNING rows.
    `statement`: an INSERT of one's own reading `:rows` (and `params`), for rows PostgreSQL
    finishes itself; it returns its RETURNING rows.
    """
    if not rows:
        return []
    own = statement is not None
    statement = statement if own else _insert_sql(table, tuple(rows[0]), conflict, returning)
    if session.new or session.dirty or session.deleted:
        session.flush()  # as session.execute would: rows added through the ORM go first
    # Core execution on the session's connection: no ORM statement handling for plain SQL.
    result = session.connection().execute(statement, {"rows": rows_json(rows), **(params or {})})
    return list(result.all()) if returning or own else []


__all__ = ["insert_rows", "rows_json"]
