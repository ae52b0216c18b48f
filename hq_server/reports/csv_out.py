"""A report as CSV, written row by row as the response streams (no whole file in memory).

Money stays in integer minor units (the `_minor` columns), exactly as the JSON says it. Text that
a spreadsheet would run as a formula (a product or cashier name typed at a till starting with
=, +, -, @) is prefixed with a quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from hq_server.reports.shapes import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def lines(report: Report) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = [c.name for c in report.columns]
    writer.writerow(names)
    for row in report.rows:
        writer.writerow([cell(row.get(name)) for name in names])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header alone, when there are no rows


def filename(report: Report) -> str:
    p = report.params
    return f"{report.name}_{p['from']}_{p['to']}.csv"
