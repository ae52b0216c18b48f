"""Schemathesis against HQ's own /openapi.json: no generated request gets a 5xx.

Every operation the schema lists is called with requests generated from its parameters and
bodies (valid and invalid), signed in as the seeded admin so authorisation does not stop them at
the door, against the real app served by uvicorn over a seeded PostgreSQL. A 5xx means HQ let
bad input reach somewhere it could not handle: it must answer 4xx with a message instead.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from hq_server.app import create_app
from tests.fixtures.hq import ADMIN, JWT_SECRET, served_hq

EXAMPLES_PER_OPERATION = 12  # ~170 operations: a couple of minutes in `make test`


@pytest.fixture(scope="module")
def fuzzed_hq(pg_cluster, _database_pool):  # noqa: ANN001, ANN201
    with served_hq(pg_cluster.url_for(_database_pool.take())) as running:
        yield running


@pytest.fixture(scope="module")
def admin(fuzzed_hq) -> dict[str, str]:  # noqa: ANN001
    return fuzzed_hq.headers_for(*ADMIN)


# The schema is the app's own (building the app opens no connection), loaded at collection so
# each operation is its own test; requests go to the served HQ below.
schema = schemathesis.openapi.from_dict(
    create_app("postgresql+psycopg://unused@127.0.0.1:9/unused", jwt_secret=JWT_SECRET).openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case, fuzzed_hq, admin):  # noqa: ANN001
    headers = {**(case.headers or {}), **admin}
    response = case.call(base_url=fuzzed_hq.url, headers=headers, timeout=30)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} answered {response.status_code}:\n"
        f"{response.text[:2000]}\nreproduce: {case.as_curl_command(headers=headers)}")
