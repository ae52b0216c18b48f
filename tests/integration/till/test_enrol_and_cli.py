import stat

import pytest

from tests.fixtures.till import DEVICE_ID, STORE, STORE_ID, catalog_page
from till.bootstrap import build_till
from till.cli import main
from till.paths import credential_path
from till.sync import EnrolFailed, enrol, load_credential

from .conftest import sell


@pytest.fixture
def hq_with_code(fake_hq):
    fake_hq.enrol_answer = {"device_id": DEVICE_ID, "token": "test-token", **STORE}
    fake_hq.add_changes(*catalog_page().changes)
    return fake_hq


def test_enrolment_stores_a_private_credential_and_the_store_in_the_ledger(till_data_dir, hq_with_code):
    credential = enrol(till_data_dir, hq_with_code.url, "ABCD-1234", device_name="front till")
    assert hq_with_code.enrol_requests[0]["code"] == "ABCD-1234"
    assert hq_with_code.enrol_requests[0]["device_name"] == "front till"
    path = credential_path(till_data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_credential(till_data_dir) == credential
    till = build_till(till_data_dir)
    try:
        store = till.ledger.require_store()
        assert (store.device_id, store.store_id, store.store_code) == (DEVICE_ID, STORE_ID, "S001")
        assert till.agent is not None
    finally:
        till.close()


def test_a_used_code_is_refused_with_what_to_do(till_data_dir, fake_hq):
    with pytest.raises(EnrolFailed, match="ask HQ for a new code"):
        enrol(till_data_dir, fake_hq.url, "USED-CODE")
    assert not credential_path(till_data_dir).exists()


def test_an_enrolled_till_syncs_from_the_command_line_and_sells(till_data_dir, hq_with_code, capsys):
    assert main(["enrol", "--hq", hq_with_code.url, "--code", "ABCD-1234",
                 "--data", str(till_data_dir)]) == 0
    assert main(["sync", "--data", str(till_data_dir)]) == 0  # pulls the catalogue
    till = build_till(till_data_dir)
    try:
        sell(till.ledger, "MILK-1L", sales=till.sales)
        assert till.status()["pending"] == 1
    finally:
        till.close()
    assert main(["sync", "--data", str(till_data_dir)]) == 0
    assert [e.seq for e in hq_with_code.events] == [1]
    assert main(["status", "--data", str(till_data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Online · 0 events waiting" in out and "acked seq 1" in out


def test_status_of_a_till_that_is_not_enrolled_says_so(till_data_dir, capsys):
    assert main(["status", "--data", str(till_data_dir)]) == 1
    assert "not enrolled" in capsys.readouterr().out


def test_reenrolling_a_data_folder_that_holds_another_devices_journal_is_refused(
        till_data_dir, till_ledger, fake_hq):
    sell(till_ledger, "MILK-1L")
    with pytest.raises(EnrolFailed, match="new data folder"):
        enrol(till_data_dir, fake_hq.url, "ABCD-1234")
    assert fake_hq.enrol_requests == []  # the one-time code was not spent
