"""Schemathesis against /openapi.json as the roles behind the cost wall: no generated request gets
a 5xx. test_api_fuzz.py signs in as admin, who reads costs, so a code path that reads a cost
column for inventory staff or a viewer (refused by PostgreSQL: a 500) would pass it unseen.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.fixtures.hq import PASSWORD, RunningHQ, add_hq_user
from tests.integration.hq.test_api_fuzz import (
    fuzzed_hq,  # noqa: F401 (the served, seeded HQ)
    schema,
)

EXAMPLES_PER_OPERATION = 4  # the admin run covers input handling; this one covers the wall
WALLED = {"inventory": ("S001",), "viewer": ()}  # role -> its stores


@pytest.fixture(scope="module")
def walled(fuzzed_hq: RunningHQ) -> dict[str, dict[str, str]]:  # noqa: F811
    signed_in = {}
    for role, stores in WALLED.items():
        email = f"fuzz.{role}@example.com"
        add_hq_user(fuzzed_hq.database_url, email, role, stores)
        signed_in[role] = fuzzed_hq.headers_for(email, PASSWORD)
    return signed_in


@pytest.mark.parametrize("role", sorted(WALLED))
@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_generated_request_of_a_walled_role_gets_a_server_error(case, fuzzed_hq, walled, role):  # noqa: ANN001, F811
    headers = {**(case.headers or {}), **walled[role]}
    response = case.call(base_url=fuzzed_hq.url, headers=headers, timeout=30)
    assert response.status_code < 500, (
        f"as {role}: {case.method} {case.formatted_path} answered {response.status_code}:\n"
        f"{response.text[:2000]}\nreproduce: {case.as_curl_command(headers=headers)}")

