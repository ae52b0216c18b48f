"""Version negotiation: older events are still accepted; a till below HQ's minimum is refused
with 426 and the till says so in words."""

import dataclasses

import httpx
import pytest

from hq_server.app import create_app
from hq_server.seed.small import seed_small
from hq_server.testing import serve_in_thread
from shared.events import SaleCompleted
from shared.wire import TILL_VERSION_HEADER, PushRequest, WireEvent
from tests.fixtures.hq import JWT_SECRET
from tests.integration.hq.helpers import ScriptedTill, enrol_till, query
from till.sync import SyncClient, TillTooOld
from till.ui.status_text import sync_status_text

MINIMUM = "2.0"


@pytest.fixture
def strict_hq(hq_database_url):
    """HQ that serves tills of version 2.0 or later only."""
    seed = seed_small(hq_database_url)
    app = create_app(hq_database_url, jwt_secret=JWT_SECRET, min_till_version=MINIMUM)
    url, stop = serve_in_thread(app)
    try:
        yield url, hq_database_url, seed
    finally:
        stop()


def oldest_shape(payload: dict) -> dict:
    """The payload as the first till version wrote it: no field added since (all have defaults)."""
    added = {f.name for f in dataclasses.fields(SaleCompleted)
             if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING}
    return {k: v for k, v in payload.items() if k not in added}


def test_an_older_tills_sale_at_schema_version_1_without_later_fields_is_applied(hq_server, till):
    product = hq_server.seed.products[0]
    modern = SaleCompleted.from_payload(till.sell((product, 2)).payload)
    till.journal.clear()
    old = oldest_shape(modern.to_payload())
    assert "shift_id" not in old and "line_overrides" not in old
    till.record(SaleCompleted.TYPE, 1, old)

    reply = till.push()

    assert reply.status_code == 200, reply.text
    assert reply.json()["applied"] == 1
    assert query(hq_server.database_url, "SELECT schema_version FROM events") == [(1,)]
    assert query(hq_server.database_url, "SELECT total_minor FROM sales") == [(2 * product.price_minor,)]


def test_an_event_from_a_newer_schema_is_refused_as_bad_payload_without_quarantine(hq_server, till):
    event = till.sell((hq_server.seed.products[0], 1))
    till.journal.clear()
    till.record(event.type, SaleCompleted.SCHEMA_VERSION + 1, event.payload)

    reply = till.push()

    assert reply.status_code == 422 and reply.json()["error"] == "bad_payload"
    assert "schema version" in reply.json()["message"]
    assert query(hq_server.database_url, "SELECT quarantined_at FROM devices") == [(None,)]


def _push(url: str, till: ScriptedTill, version: str | None) -> httpx.Response:
    headers = {**till.headers, **({TILL_VERSION_HEADER: version} if version else {})}
    body = PushRequest(device_id=till.device_id,
                       events=[WireEvent.from_journal(e) for e in till.journal]).model_dump(mode="json")
    return httpx.post(f"{url}/api/v1/sync/push", json=body, headers=headers)


@pytest.mark.parametrize("version", ["1.9.9", "0.1.0", None])
def test_a_till_below_the_minimum_is_refused_with_426_in_words(strict_hq, version):
    url, database_url, seed = strict_hq
    till = enrol_till(_Hq(url, database_url))
    till.sell((seed.products[0], 1))

    push = _push(url, till, version)
    pull = httpx.get(f"{url}/api/v1/sync/pull", headers={
        **till.headers, **({TILL_VERSION_HEADER: version} if version else {})})

    for reply in (push, pull):
        assert reply.status_code == 426
        assert reply.json()["error"] == "till_too_old"
        assert ("this till is too old for HQ; update it to version 2.0 or later"
                in reply.json()["message"])
    assert query(database_url, "SELECT count(*) FROM events") == [(0,)]


def test_a_till_at_or_above_the_minimum_syncs(strict_hq):
    url, database_url, seed = strict_hq
    till = enrol_till(_Hq(url, database_url))
    till.sell((seed.products[0], 1))

    assert _push(url, till, "2.0").status_code == 200
    till.sell((seed.products[0], 1))
    assert _push(url, till, "2.10.1").status_code == 200
    assert query(database_url, "SELECT app_version, last_seq FROM devices") == [("2.10.1", 2)]


def test_the_till_client_turns_426_into_words_for_the_status_bar(strict_hq):
    url, database_url, seed = strict_hq
    till = enrol_till(_Hq(url, database_url))
    client = SyncClient(url, till.token, app_version="1.4.0")
    try:
        with pytest.raises(TillTooOld) as refused:
            client.pull(0)
    finally:
        client.close()

    text = sync_status_text({"online": True, "pending": 3, "last_sync": None,
                             "last_error": str(refused.value)})
    assert text == ("Online · 3 events waiting · never synced · Update needed: this till is too "
                    "old for HQ; update it to version 2.0 or later (it is 1.4.0)")


@dataclasses.dataclass
class _Hq:
    url: str
    database_url: str
