"""The override log at HQ: tills' OverrideRecorded events, listed by store scope."""

import httpx
import pytest

from hq_server.overrides.endpoints import router as overrides_router
from shared.ids import new_id
from shared.override_events import OverrideRecorded
from shared.wire import API_PREFIX
from tests.integration.hq.helpers import enrol_till, scalar


def with_router(hq_server, router, path: str):  # noqa: ANN001, ANN201
    """The running HQ, checked to serve `path` (app.py includes the router in the product)."""
    assert f"{API_PREFIX}{path}" in hq_server.app.openapi()["paths"]
    return hq_server


@pytest.fixture
def hq(hq_server):  # noqa: ANN001, ANN201
    return with_router(hq_server, overrides_router, "/overrides")


def record_override(till, action="price_override", *, approved_by="Sam", at_ms=1_700_000_000_000,
                    sale_id=""):
    override = OverrideRecorded(
        override_id=new_id(), store_id=till.store_id, action=action, requested_by="Ana",
        approved_by=approved_by, before="249", after="199", reason="price match",
        sale_id=sale_id, requested_by_id="u-ana", approved_by_id="u-sam", recorded_at_ms=at_ms)
    return till.record(OverrideRecorded.TYPE, 1, override.to_payload())


def get(hq, headers, **params) -> httpx.Response:  # noqa: ANN001
    return httpx.get(f"{hq.url}{API_PREFIX}/overrides", headers=headers, params=params)


def test_an_override_reaches_the_log_once_however_often_it_is_sent(hq, till, hq_login):
    event = record_override(till, sale_id=new_id())
    assert till.push().json()["applied"] == 1
    for _ in range(2):
        assert till.push().json()["duplicates"] == 1

    assert scalar(hq.database_url, "SELECT count(*) FROM overrides") == 1
    reply = get(hq, hq_login("admin"))
    assert reply.status_code == 200, reply.text
    (row,) = reply.json()["overrides"]
    assert row["event_id"] == event.event_id
    assert (row["store_code"], row["action"], row["requested_by"], row["approved_by"],
            row["before"], row["after"], row["reason"]) == (
        "S001", "price_override", "Ana", "Sam", "249", "199", "price match")
    assert row["sale_id"] == event.payload["sale_id"]
    assert row["at"].startswith("2023-11-14T22:13:20")


def test_the_log_filters_by_store_action_and_since(hq, till, hq_login):
    other = enrol_till(hq, store="S002", name="s2-till")
    record_override(till, "no_sale", at_ms=1_700_000_000_000)
    record_override(till, "void_line", at_ms=1_700_000_600_000)
    record_override(other, "no_sale", at_ms=1_700_000_000_000)
    assert till.push().status_code == 200 and other.push().status_code == 200
    admin = hq_login("owner")

    assert len(get(hq, admin).json()["overrides"]) == 3
    assert [r["action"] for r in get(hq, admin, store="S001").json()["overrides"]] == [
        "void_line", "no_sale"]
    no_sales = get(hq, admin, action="no_sale").json()["overrides"]
    assert sorted(r["store_code"] for r in no_sales) == ["S001", "S002"]
    since = get(hq, admin, since="2023-11-14T22:15:00Z").json()["overrides"]
    assert [r["action"] for r in since] == ["void_line"]
    assert get(hq, admin, action="teleport").status_code == 422


def test_a_store_manager_sees_only_their_stores_and_other_roles_none(hq, till, hq_login):
    other = enrol_till(hq, store="S002", name="s2-till")
    record_override(till)
    record_override(other)
    assert till.push().status_code == 200 and other.push().status_code == 200

    mine = get(hq, hq_login("store_manager", store="S002")).json()["overrides"]
    assert [r["store_code"] for r in mine] == ["S002"]
    assert get(hq, hq_login("store_manager", store="S002"), store="S001").json()["overrides"] == []
    assert get(hq, hq_login("buyer")).status_code == 403
    assert get(hq, {}).status_code == 401
