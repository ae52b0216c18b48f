"""Per-device lag at HQ: each push and pull carries the till's backlog; HQ keeps it on the
device row and the Devices page shows it next to version, last seen and clock offset."""

import time
from datetime import UTC, datetime, timedelta

import httpx

from shared.wire import (
    BACKLOG_HEADER,
    OLDEST_UNSENT_HEADER,
    TILL_VERSION_HEADER,
    PushRequest,
    WireEvent,
)
from tests.integration.hq.helpers import query
from tests.integration.hq.test_dashboard import ADMIN, signed_in
from tests.integration.sync_proof.helpers import enrolled_till, sell
from till.sync.backlog import backlog_after


def reported(database_url: str) -> tuple:
    return query(database_url, "SELECT backlog_events, oldest_unsent_at, app_version FROM devices")[0]


def test_a_pull_reports_the_backlog_and_the_app_version(hq_server, till):
    oldest = datetime.now(UTC) - timedelta(minutes=5)
    reply = _pull(till, {
        BACKLOG_HEADER: "42", OLDEST_UNSENT_HEADER: str(int(oldest.timestamp() * 1000)),
        TILL_VERSION_HEADER: "1.2.3"})

    assert reply.status_code == 200
    backlog, oldest_unsent, version = reported(hq_server.database_url)
    assert (backlog, version) == (42, "1.2.3")
    assert abs((oldest_unsent - oldest).total_seconds()) < 0.01


def test_a_push_reports_what_still_waits_after_its_batch(hq_server, till):
    till.sell((hq_server.seed.products[0], 1))
    body = PushRequest(device_id=till.device_id,
                       events=[WireEvent.from_journal(e) for e in till.journal]).model_dump(mode="json")
    reply = httpx.post(f"{till.url}/api/v1/sync/push", json=body, headers={
        **till.headers, BACKLOG_HEADER: "0", OLDEST_UNSENT_HEADER: "0"})

    assert reply.status_code == 200
    assert reported(hq_server.database_url)[:2] == (0, None)


def test_the_devices_page_shows_store_version_waiting_lag_and_clock_offset(hq_server, till):
    till.sell((hq_server.seed.products[0], 1))
    assert till.push().status_code == 200
    oldest = datetime.now(UTC) - timedelta(minutes=3)
    _pull(till, {BACKLOG_HEADER: "17", OLDEST_UNSENT_HEADER: str(int(oldest.timestamp() * 1000)),
                 TILL_VERSION_HEADER: "3.1.4"})

    with signed_in(hq_server, *ADMIN) as admin:
        html = admin.get("/devices").text

    row = html[html.index(f'id="d-{till.device_id}"'):]
    row = row[:row.index("</tr>")]
    assert "<td>S001</td>" in row
    assert '<td class="version">3.1.4</td>' in row
    assert "just now" in row
    assert '<td class="num waiting">17</td>' in row
    assert ">3 min</td>" in row
    assert " ms</td>" in row  # clock offset measured by the push (a good clock: milliseconds)
    assert "Events waiting" in html and "Sync lag" in html and "App version" in html


def test_a_real_till_reports_its_backlog_and_clears_it_by_syncing(hq_server, tmp_path):
    from tests.integration.hq.test_credential_rotation import _code

    till = enrolled_till(tmp_path / "till-lag", hq_server.url, _code(hq_server))
    try:
        barcode = hq_server.seed.products[0].barcode
        before = int(time.time() * 1000)
        for _ in range(3):
            sell(till, [(barcode, 1)])
        waiting = backlog_after(till.ledger.connection(), 0)
        assert waiting.waiting == 3 and before - 1000 <= waiting.oldest_ms <= time.time() * 1000
        assert backlog_after(till.ledger.connection(), 3).waiting == 0

        till.agent.pull()  # a pull reports the three waiting sales
        backlog, oldest_unsent, version = reported(hq_server.database_url)
        assert backlog == 3 and abs(oldest_unsent.timestamp() * 1000 - waiting.oldest_ms) < 1
        assert version == till.agent.client.app_version

        till.agent.sync_once()
        assert reported(hq_server.database_url)[:2] == (0, None)
    finally:
        till.close()


def _pull(till, headers: dict):  # noqa: ANN001, ANN202
    return httpx.get(f"{till.url}/api/v1/sync/pull", headers={**till.headers, **headers})
