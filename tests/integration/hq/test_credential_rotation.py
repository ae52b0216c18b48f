"""A till rotates its own credential (or is asked to by a person at HQ) without ever being
locked out; a revoked till is refused at once."""

import httpx

from shared.wire import ROTATE_HEADER
from tests.integration.hq.helpers import ScriptedTill, query
from tests.integration.sync_proof.helpers import enrolled_till, sell
from till.sync import load_credential


def rotate(till: ScriptedTill, token: str | None = None) -> str:
    headers = {"Authorization": f"Bearer {token or till.token}"}
    reply = httpx.post(f"{till.url}/api/v1/sync/credential", headers=headers)
    assert reply.status_code == 200, reply.text
    assert reply.json()["device_id"] == till.device_id
    return reply.json()["token"]


def pull_as(till: ScriptedTill, token: str) -> httpx.Response:
    return httpx.get(f"{till.url}/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})


def test_the_old_token_works_until_the_new_one_is_used_then_only_the_new_one(hq_server, till):
    old = till.token
    new = rotate(till)

    assert new != old
    assert pull_as(till, old).status_code == 200  # the answer may have been lost: not locked out
    assert pull_as(till, new).status_code == 200  # first use of the new token
    assert pull_as(till, old).json()["error"] == "unknown_device"
    till.token = new
    till.sell((hq_server.seed.products[0], 1))
    assert till.push().status_code == 200


def test_a_token_whose_answer_was_lost_never_works_once_the_till_rotates_again(hq_server, till):
    lost = rotate(till)
    kept = rotate(till)  # the till never saw `lost`, so it asks again with its old token

    assert pull_as(till, lost).status_code == 401
    assert pull_as(till, till.token).status_code == 200
    assert pull_as(till, kept).status_code == 200
    assert pull_as(till, till.token).status_code == 401


def test_a_push_with_the_new_token_finishes_the_rotation(hq_server, till):
    new = rotate(till)
    till.sell((hq_server.seed.products[0], 1))

    assert till.push(token=new).status_code == 200

    assert till.push().status_code == 401
    (rotated_at, pending), = query(hq_server.database_url,
                                   "SELECT credential_rotated_at, next_token_hash FROM devices")
    assert rotated_at is not None and pending is None


def test_a_revoked_till_is_refused_at_once_on_push_and_pull(hq_server, till):
    till.sell((hq_server.seed.products[0], 1))
    reply = httpx.post(f"{hq_server.url}/api/v1/devices/{till.device_id}/revoke",
                       headers=hq_server.admin_headers)
    assert reply.status_code == 200

    assert till.push().json()["error"] == "revoked_device"
    assert till.pull().status_code == 403
    assert httpx.post(f"{till.url}/api/v1/sync/credential", headers=till.headers).status_code == 403
    assert query(hq_server.database_url, "SELECT count(*) FROM events") == [(0,)]


def test_an_admin_asks_a_running_till_to_rotate_and_it_does_on_its_next_sync(hq_server, tmp_path):
    code = _code(hq_server)
    till = enrolled_till(tmp_path / "till-a", hq_server.url, code)
    try:
        old = load_credential(till.data_dir).token
        reply = httpx.post(f"{hq_server.url}/api/v1/devices/{_device(till)}"
                           "/rotate-credential", headers=hq_server.admin_headers)
        assert reply.status_code == 200 and reply.json()["rotation_requested_at"]
        assert ROTATE_HEADER in httpx.get(f"{hq_server.url}/api/v1/sync/pull",
                                          headers={"Authorization": f"Bearer {old}"}).headers

        sell(till, [(hq_server.seed.products[0].barcode, 1)])
        status = till.agent.sync_once()

        assert status["last_error"] is None and status["pending"] == 0
        new = load_credential(till.data_dir).token
        assert new != old and till.agent.client.token == new
        assert httpx.get(f"{hq_server.url}/api/v1/sync/pull",
                         headers={"Authorization": f"Bearer {old}"}).status_code == 401
        (requested, rotated), = query(hq_server.database_url,
                                      "SELECT rotation_requested_at, credential_rotated_at FROM devices")
        assert requested is None and rotated is not None
        assert till.agent.sync_once()["last_error"] is None
    finally:
        till.close()


def test_the_rotate_credential_command_rotates_while_the_till_keeps_syncing(hq_server, tmp_path):
    from till.cli import main

    till = enrolled_till(tmp_path / "till-b", hq_server.url, _code(hq_server))
    try:
        old = load_credential(till.data_dir).token

        assert main(["rotate-credential", "--data", str(till.data_dir)]) == 0

        assert load_credential(till.data_dir).token != old
        sell(till, [(hq_server.seed.products[0].barcode, 1)])
        status = till.agent.sync_once()  # its agent still held the old token: it picks up the new
        assert status["last_error"] is None and status["pending"] == 0
    finally:
        till.close()


def _device(till) -> str:  # noqa: ANN001
    return load_credential(till.data_dir).device_id


def _code(hq_server) -> str:  # noqa: ANN001
    from hq_server.devices.service import create_enrolment_code
    from tests.integration.hq.helpers import in_transaction

    return in_transaction(hq_server.database_url, lambda s: create_enrolment_code(s, "S001"))
