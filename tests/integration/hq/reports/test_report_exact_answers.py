"""Sales by store and exceptions, answer for answer: the whole JSON and CSV each role gets for the
package's known week, against a recorded copy (answers/*.json; dates written as days before
today, so the copy holds whatever day the tests run). Pins the answers while their queries are
tuned: any change of a figure, a column, a row or the store scoping fails here.

Record anew (only when an answer is meant to change): TILLHQ_RECORD_ANSWERS=1.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

ANSWERS = Path(__file__).parent / "answers" / "sales_by_store_and_exceptions.json"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ASKED = [  # (role, report, params)
    ("admin", "sales-by-store", {}),
    ("admin", "sales-by-store", {"store": "S001"}),
    ("admin", "sales-by-store", {"store": "S002"}),
    ("admin", "sales-by-store", {"period": "week"}),
    ("owner", "sales-by-store", {}),
    ("viewer", "sales-by-store", {}),
    ("inventory", "sales-by-store", {}),
    ("store_manager", "sales-by-store", {}),
    ("store_manager", "sales-by-store", {"store": "S002"}),
    ("buyer", "sales-by-store", {"format": "csv"}),
    ("store_manager", "sales-by-store.csv", {}),
    ("admin", "exceptions", {}),
    ("admin", "exceptions", {"store": "S001"}),
    ("owner", "exceptions", {"format": "csv"}),
    ("store_manager", "exceptions", {}),
    ("viewer", "exceptions", {}),
    ("buyer", "exceptions", {}),
]


def _relative(text: str) -> str:
    today = datetime.now(UTC).date()
    return ISO_DAY.sub(lambda m: f"D-{(today - date.fromisoformat(m.group())).days}", text)


def _answer(get, role: str, report: str, params: dict) -> dict:  # noqa: ANN001
    reply = get(role, report, **params)
    kind = reply.headers.get("content-type", "")
    body = reply.json() if kind.startswith("application/json") else reply.text
    return {"status": reply.status_code, "type": kind,
            "body": json.loads(_relative(json.dumps(body)))}


@pytest.fixture(scope="module")
def answers(get):  # noqa: ANN001, ANN201
    found = {f"{role} {report} {json.dumps(params, sort_keys=True)}": _answer(get, role, report, params)
             for role, report, params in ASKED}
    if os.environ.get("TILLHQ_RECORD_ANSWERS"):
        ANSWERS.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    return found


@pytest.mark.parametrize("asked", [f"{r} {n} {json.dumps(p, sort_keys=True)}" for r, n, p in ASKED])
def test_each_answer_is_the_recorded_one(answers, asked):  # noqa: ANN001
    assert answers[asked] == json.loads(ANSWERS.read_text())[asked]


def test_the_recorded_answers_hold_figures_gift_cards_and_scoping():
    recorded = json.loads(ANSWERS.read_text())
    admin = recorded['admin sales-by-store {}']["body"]
    assert {r["store"] for r in admin["rows"]} == {"S001", "S002"}
    # a day with returns only has no gift_cards_sold_minor (as the report has always answered)
    assert all("gift_cards_sold_minor" in r for r in admin["rows"] if r["transactions"])
    assert all("gift_cards_refunded_minor" in r for r in admin["rows"])
    assert sum(r["revenue_minor"] for r in admin["rows"]) > 0
    manager = recorded['store_manager sales-by-store {}']["body"]
    assert {r["store"] for r in manager["rows"]} == {"S001"}
    assert recorded['store_manager sales-by-store {"store": "S002"}']["status"] == 404
    assert recorded['viewer exceptions {}']["status"] == 403
