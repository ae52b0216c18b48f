"""Moving the WAL back into the database file off the cashier's path.

SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, so roughly one
sale in a hundred paid for copying and fsyncing the pages of the ones before it (the sale commit's
p99). Here a background thread checkpoints instead (PASSIVE: it never blocks a writer). The
journal's durability is unchanged: a commit is durable once its WAL frames are fsynced, which
still happens in the commit itself (synchronous=FULL).
"""

from __future__ import annotations

import logging
import threading

from .ledger import Ledger, LedgerClosed

log = logging.getLogger(__name__)

CHECKPOINT_INTERVAL_S = 2.0
DEFAULT_AUTOCHECKPOINT_PAGES = 1000  # SQLite's, restored when the thread stops


class Checkpointer:
    def __init__(self, ledger: Ledger, interval: float = CHECKPOINT_INTERVAL_S) -> None:
        self._ledger, self._interval = ledger, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._ledger.set_autocheckpoint(0)
        self._thread = threading.Thread(target=self._run, name="ledger-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._ledger.checkpoint()
            except LedgerClosed:
                return
            except Exception:  # e.g. disk trouble: the next commit's own fsync reports it
                log.exception("WAL checkpoint failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._ledger.set_autocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES)

