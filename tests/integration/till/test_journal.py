import sqlite3

import pytest

from shared.events import SaleCompleted
from shared.journal import verify_chain
from tests.fixtures.till import DEVICE_ID, MILK
from till.ledger import Ledger, NotEnrolled
from till.ledger.journal import all_events

from .conftest import sell


def test_the_ledger_file_is_wal_with_full_sync_and_foreign_keys(till_ledger):
    conn = till_ledger.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_several_sales_make_a_gap_free_journal_with_a_valid_hash_chain(till_ledger):
    for _ in range(5):
        sell(till_ledger, MILK["barcodes"][0], "BREAD-WHITE")
    events = all_events(till_ledger.connection())
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    verify_chain(events, device_id=DEVICE_ID)
    assert all(e.type == SaleCompleted.TYPE for e in events)
    assert [e.hlc for e in events] == sorted(set(e.hlc for e in events))


def test_the_journal_refuses_update_and_delete(till_ledger):
    sell(till_ledger, "MILK-1L")
    conn = till_ledger.connection()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE journal SET payload = '{}' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM journal")
    assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 1


def test_the_journal_refuses_a_seq_gap(till_ledger):
    sell(till_ledger, "MILK-1L")
    conn = till_ledger.connection()
    with pytest.raises(sqlite3.IntegrityError, match="last seq"):
        conn.execute("INSERT INTO journal SELECT 3, 'x', device_id, hlc, type, schema_version, "
                     "payload, prev_hash, 'h', created_at FROM journal WHERE seq = 1")


def test_the_clock_resumes_after_reopening_so_hlcs_keep_increasing(till_ledger, till_data_dir):
    first = sell(till_ledger, "MILK-1L").event
    till_ledger.close()
    with Ledger.open(till_ledger.path) as reopened:
        second = sell(reopened, "MILK-1L").event
        verify_chain(all_events(reopened.connection()), device_id=DEVICE_ID)
    assert second.hlc > first.hlc and second.prev_hash == first.hash


def test_a_till_that_is_not_enrolled_cannot_record_a_sale(tmp_path):
    with Ledger.open(tmp_path / "l.sqlite3") as ledger, pytest.raises(NotEnrolled, match="till enrol"):
        from till.ledger.journal import append_event

        with ledger.transaction() as uow:
            append_event(uow, "SaleCompleted", 1, {})
