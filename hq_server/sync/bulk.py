"""Many rows in one statement: COPY for plain appends, one JSON document for the rest.

SQLAlchemy's executemany / insertmanyvalues renders and parses one placeholder per value (a
100-sale push is ~6,000 values). `copy_rows` streams an append-only table's rows with COPY
(psycopg writes each row in C; PostgreSQL parses no JSON): about half the cost of the JSON
document for the ~1,000 rows of a push (events, sales, lines, movements). Ingest's own rows
(events, sales, lines) go faster still as COPY text lines it writes as it applies each event
(`copy_text_rows`, fields through `copy_text` / `copy_json`): no dict per row, no adapter per
value, the payload's JSON written by orjson. `insert_rows` sends
one JSON parameter (`jsonb_to_recordset`) for what COPY cannot do: ON CONFLICT and RETURNING.
The encoder is pydantic-core's: it writes UUIDs and datetimes itself, where
`json.dumps(default=...)` called back into Python for every id.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

import orjson
from psycopg import DataError
from pydantic_core import to_json
from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from hq_server.db.session import driver

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


def copy_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Append `rows` (dicts with the same keys) to `table` with COPY, in the session's
    transaction. A dict or list value (a JSON column) is sent as its JSON text."""
    if not rows:
        return
    columns = tuple(rows[0])
    json_columns = [i for i, c in enumerate(columns) if isinstance(rows[0][c], dict | list)]
    cursor = driver(session).cursor()  # rows added through the ORM are flushed first
    values_of = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
    with cursor.copy(_copy_sql(table.name, columns)) as copy:
        for row in rows:
            values = values_of(row)
            if json_columns:
                values = list(values)
                for i in json_columns:
                    values[i] = to_json(values[i]).decode()
            copy.write_row(values)


def copy_text_rows(session: Session, table: Table, columns: tuple[str, ...], rows: list[str]) -> None:
    """Append rows already written as COPY text lines (tab-separated, each ending in a newline;
    fields through `copy_text` / `copy_json`) to `table`, in the session's transaction."""
    if not rows:
        return
    cursor = driver(session).cursor()  # rows added through the ORM are flushed first
    with cursor.copy(_copy_sql(table.name, columns)) as copy:
        copy.write("".join(rows))


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str) -> str:
    """`value` as a field of COPY's text format: backslash, tab, newline and carriage return
    escaped. NUL cannot be stored in a text column: refused as psycopg's adapter refuses it.
    A payload field that should be text but is not is written as psycopg would adapt it."""
    if type(value) is not str:
        return _not_text(value)
    if "\\" not in value and value.isprintable():  # the usual case, in two C-level scans
        return value
    if "\x00" in value:
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return value.translate(_ESCAPES)


def _not_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if type(value) is bool:
        return "t" if value else "f"
    if type(value) is int:
        return str(value)
    raise DataError(f"cannot store {type(value).__name__} {value!r} in a text column")


def copy_json(value: Any) -> str:
    """`value` as JSON text in a COPY field. JSON text holds no raw control characters, so only
    its backslashes need escaping. orjson writes it (~3x pydantic-core's speed); what orjson
    cannot write (an integer beyond 64 bits, a lone surrogate) goes through pydantic-core."""
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = to_json(value).decode()
    return text.replace("\\", "\\\\") if "\\" in text else text


@lru_cache(maxsize=64)
def _copy_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"COPY {table} ({', '.join(columns)}) FROM STDIN"


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


__all__ = ["copy_json", "copy_rows", "copy_text", "copy_text_rows", "insert_rows", "rows_json"]
