"""WAL checkpoints run on a background thread, not inside a sale's commit."""

import time

from tests.fixtures.till import MILK
from tests.integration.till.conftest import sell
from till.ledger.checkpoint import Checkpointer


def autocheckpoint(ledger):
    return ledger.connection().execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_while_the_checkpointer_runs_commits_never_checkpoint_and_the_thread_does(till_ledger):
    checkpointer = Checkpointer(till_ledger, interval=0.05)
    checkpointer.start()
    try:
        assert autocheckpoint(till_ledger) == 0
        sell(till_ledger, MILK["barcodes"][0])
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            busy, frames, copied = till_ledger.connection().execute(
                "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if frames == copied:
                break
            time.sleep(0.05)
        assert frames == copied
    finally:
        checkpointer.stop()
    assert autocheckpoint(till_ledger) == 1000


def test_a_whole_till_runs_a_checkpointer_and_stops_it_on_close(till):
    assert till.checkpointer is not None and autocheckpoint(till.ledger) == 0
