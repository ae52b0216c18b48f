"""Answers whose JSON a handler builds itself: for the back office's hottest reads.

FastAPI validates a returned value against the route's `response_model` and serialises it
through pydantic, or walks every value with `jsonable_encoder`; for a list page that was most of
a request's CPU. A handler that holds plain JSON values (str, int, None, lists, dicts) returns
`json_response(...)` instead; its route keeps `response_model`, so /openapi.json and the
docs still describe the answer, and the API tests hold the two to the same content.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi.encoders import jsonable_encoder
from starlette.responses import Response

# The same text FastAPI's JSONResponse writes: UTF-8, no spaces, no NaN. A value JSON has no
# type for (a date, a Decimal) becomes what jsonable_encoder makes of it; plain values never
# reach that hook, so they cost nothing extra.
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                           default=jsonable_encoder).encode


def json_response(content: Any) -> Response:
    return Response(_encode(content).encode(), media_type="application/json")


def iso_datetime(value: datetime) -> str:
    """A datetime as pydantic writes it in JSON: ISO 8601, UTC as "Z"."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
