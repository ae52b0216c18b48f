"""hq_server.json_response writes what FastAPI would have written for the same values."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter

from hq_server.json_response import iso_datetime, json_response

PYDANTIC_DATETIME = TypeAdapter(datetime)


@pytest.mark.parametrize("value", [
    datetime(2026, 12, 4, 14, 56, 47, 230399, tzinfo=UTC),
    datetime(2026, 12, 4, 14, 56, 47, tzinfo=UTC),  # no fraction at all
    datetime(2026, 3, 29, 1, 0, 0, 400000, tzinfo=timezone(timedelta(hours=1))),
    datetime(2026, 3, 29, 1, 0, 0, 7, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    datetime(2026, 3, 29, 1, 0, 0),  # naive
])
def test_a_datetime_reads_as_pydantic_writes_it_in_a_response_model(value):
    assert json.dumps(iso_datetime(value)).encode() == PYDANTIC_DATETIME.dump_json(value)


def test_the_body_is_byte_for_byte_fastapis_json_response():
    content = {"sku": "B0000001", "name": "Lumen Beauty — Camden", "on_hand": -3, "hlc": None,
               "balanced": True, "stores": [{"store": "S001", "available": 0}], "ratio": 0.25}

    assert json_response(content).body == JSONResponse(jsonable_encoder(content)).body
    assert json_response(content).headers["content-type"] == "application/json"


def test_values_json_has_no_type_for_come_out_as_jsonable_encoder_makes_them():
    content = {"period": date(2026, 12, 1), "at": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
               "units": Decimal("12"), "share": Decimal("0.5"), "rows": [(1, date(2026, 1, 2))]}

    assert json_response(content).body == JSONResponse(jsonable_encoder(content)).body


def test_a_value_json_cannot_hold_is_refused_not_written():
    with pytest.raises(ValueError, match="Out of range float"):
        json_response({"ratio": float("nan")})
