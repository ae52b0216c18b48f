"""Dashboard forms accept posts from the dashboard's own pages only (behind SameSite=Strict)."""

from __future__ import annotations

from tests.fixtures.hq import ADMIN
from tests.integration.hq.helpers import scalar
from tests.integration.hq.test_dashboard import signed_in

CODES = "SELECT count(*) FROM enrolment_codes"


def test_a_form_posted_from_another_site_is_refused_and_changes_nothing(hq_server):
    before = scalar(hq_server.database_url, CODES)
    with signed_in(hq_server, *ADMIN) as admin:
        for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
            reply = admin.post("/devices/enrolment-codes", data={"store": "S001"}, headers=headers)
            assert reply.status_code == 403, reply.text
            assert "another site" in reply.text
    assert scalar(hq_server.database_url, CODES) == before


def test_a_form_posted_from_the_dashboard_itself_goes_through(hq_server):
    before = scalar(hq_server.database_url, CODES)
    with signed_in(hq_server, *ADMIN) as admin:
        reply = admin.post("/devices/enrolment-codes", data={"store": "S001"},
                           headers={"Origin": hq_server.url, "Sec-Fetch-Site": "same-origin"})
        assert reply.status_code == 201, reply.text
    assert scalar(hq_server.database_url, CODES) == before + 1
