"""Shift reports at HQ: tills' ShiftClosed events (the Z), listed by store scope."""

import httpx
import pytest

from hq_server.shifts.endpoints import router as shifts_router
from shared.ids import new_id
from shared.shift_events import ShiftClosed
from shared.wire import API_PREFIX
from tests.integration.hq.helpers import enrol_till, scalar
from tests.integration.hq.test_override_log import with_router


@pytest.fixture
def hq(hq_server):  # noqa: ANN001, ANN201
    return with_router(hq_server, shifts_router, "/shifts")


def record_close(till, *, counted=15_000, at_ms=1_700_000_000_000):
    # float 10,000 + cash 6,000 - change 500 + paid in 0 - paid out 500 - drops 0 = 15,000 expected
    close = ShiftClosed(
        shift_id=new_id(), store_id=till.store_id, closed_by="Sam", currency="EUR",
        closed_at_ms=at_ms, float_minor=10_000, sales_count=3, sales_total_minor=9_500,
        tender_totals={"cash": 6_000, "card": 4_000}, cash_tendered_minor=6_000, change_minor=500,
        paid_in_minor=0, paid_out_minor=500, drops_minor=0, expected_cash_minor=15_000,
        counted_cash_minor=counted, over_short_minor=counted - 15_000, closed_by_id="u-sam")
    return till.record(ShiftClosed.TYPE, 1, close.to_payload())


def get(hq, headers, **params) -> httpx.Response:  # noqa: ANN001
    return httpx.get(f"{hq.url}{API_PREFIX}/shifts", headers=headers, params=params)


def test_a_closed_shift_is_reported_once_with_its_count_and_tenders(hq, till, hq_login):
    event = record_close(till, counted=14_800)
    assert till.push().json()["applied"] == 1
    assert till.push().json()["duplicates"] == 1

    assert scalar(hq.database_url, "SELECT count(*) FROM shift_closes") == 1
    reply = get(hq, hq_login("admin"))
    assert reply.status_code == 200, reply.text
    (row,) = reply.json()["shifts"]
    assert row["event_id"] == event.event_id and row["shift_id"] == event.payload["shift_id"]
    assert (row["store_code"], row["closed_by"], row["expected_cash_minor"],
            row["counted_cash_minor"], row["over_short_minor"]) == ("S001", "Sam", 15_000, 14_800, -200)
    assert row["tender_totals"] == {"cash": 6_000, "card": 4_000}
    assert row["at"].startswith("2023-11-14T22:13:20")


def test_shifts_filter_by_store_and_since_within_the_callers_stores(hq, till, hq_login):
    other = enrol_till(hq, store="S002", name="s2-till")
    record_close(till, at_ms=1_700_000_000_000)
    record_close(till, at_ms=1_700_086_400_000)
    record_close(other)
    assert till.push().status_code == 200 and other.push().status_code == 200
    owner = hq_login("owner")

    assert len(get(hq, owner).json()["shifts"]) == 3
    assert len(get(hq, owner, store="S001").json()["shifts"]) == 2
    assert len(get(hq, owner, since="2023-11-15T00:00:00Z").json()["shifts"]) == 1
    mine = get(hq, hq_login("store_manager", store="S002")).json()["shifts"]
    assert [r["store_code"] for r in mine] == ["S002"]
    assert get(hq, hq_login("buyer")).status_code == 403
