"""The sync agent: ships the journal up (push) and applies HQ's change log down (pull).

Two background threads, not one: a long poll holds the pull side for up to ~10 s, and a sale must
reach HQ within a second, so the pusher waits on its own wake-up event. HQ being down is normal
life for a till: errors become `status()`, never exceptions in the UI.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypedDict, TypeVar

from shared.wire import PushRequest, WireEvent

from ..ledger import Ledger
from ..ledger.journal import events_after, last_seq
from ..ledger.master_data import apply_pull_page
from ..ledger.sync_state import pending_count, read_sync_state, record_ack, record_error
from .backlog import backlog_after
from .backoff import Backoff
from .client import HQRefused, HQUnavailable, SyncClient
from .rotate import TokenStore, rotate_credential

log = logging.getLogger(__name__)

T = TypeVar("T")
BATCH_SIZE = 500
REFUSED_RETRY_S = 30.0  # a refusal needs a person; retry slowly in case HQ released the device


class SyncStatus(TypedDict):
    online: bool
    pending: int
    last_sync: datetime | None
    last_error: str | None


class SyncAgent:
    def __init__(self, ledger: Ledger, client: SyncClient, *, batch_size: int = BATCH_SIZE,
                 long_poll_wait: float = 10.0, push_interval: float = 5.0,
                 backoff: tuple[float, float] = (0.5, 30.0),
                 credentials: TokenStore | None = None) -> None:
        self.ledger, self.client = ledger, client
        # Where the token lives (credential.json): rotation saves to it, and a token rotated
        # there by `till rotate-credential` is picked up when HQ refuses the old one.
        self.credentials = credentials
        self._rotate_lock = threading.Lock()
        self.batch_size, self.long_poll_wait, self.push_interval = batch_size, long_poll_wait, push_interval
        self._backoff_args = backoff
        self._state_lock = threading.Lock()
        self._push_lock = threading.Lock()
        self._pull_lock = threading.Lock()
        self._online = False
        self._last_sync: datetime | None = None
        # Per direction, so a working pull never hides a refused push (or the reverse).
        self._errors: dict[str, str | None] = {"push": None, "pull": None}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- one step each -------------------------------------------------------------------------

    def push_pending(self) -> int:
        """Send unacknowledged events in seq order, in batches; returns how many HQ acknowledged."""
        with self._push_lock:
            acked = 0
            while True:
                conn = self.ledger.connection()
                events = events_after(conn, read_sync_state(conn).acked_seq, self.batch_size)
                if not events:
                    return acked
                request = PushRequest(device_id=events[0].device_id,
                                      events=[WireEvent.from_journal(e) for e in events])
                waiting = backlog_after(conn, events[-1].seq)  # once HQ has this batch
                answer = self._call("push", self.client.push, request, waiting)
                # HQ may hold more than this batch (an ack we lost); never beyond what we have.
                new_ack = min(answer.acked_seq, last_seq(conn))
                with self.ledger.transaction() as uow:
                    acked += record_ack(uow, new_ack)
                if new_ack < events[-1].seq:
                    return acked  # HQ took less without refusing: stop rather than spin

    def pull(self, wait: float = 0) -> int:
        """Apply HQ's changes after our cursor, page by page, each page in one transaction."""
        with self._pull_lock:
            store_id = self.ledger.require_store().store_id
            applied = 0
            while True:
                conn = self.ledger.connection()
                state = read_sync_state(conn)
                cursor = state.pull_cursor
                page = self._call("pull", self.client.pull, cursor, self.batch_size, wait,
                                  backlog_after(conn, state.acked_seq))
                with self.ledger.transaction() as uow:
                    applied += apply_pull_page(uow, page, store_id)
                if not page.has_more or page.next_cursor <= cursor:
                    return applied  # caught up (or a page that does not advance: never spin)
                wait = 0  # only the first request of a round long-polls

    def sync_once(self) -> SyncStatus:
        """Push, then pull until caught up. Errors end up in the returned status, not raised."""
        try:
            self.push_pending()
            self.pull(wait=0)
        except (HQUnavailable, HQRefused) as exc:
            log.info("sync: %s", exc)
        return self.status()

    def _call(self, direction: str, request: Callable[..., T], *args: Any) -> T:
        try:
            try:
                answer = request(*args)
            except HQRefused as exc:
                if not self._token_changed_on_disk(exc):
                    raise
                answer = request(*args)
        except HQUnavailable as exc:
            self._note(direction, online=False, error=str(exc))
            raise
        except HQRefused as exc:
            self._note(direction, online=True, error=str(exc))
            with self.ledger.transaction() as uow:
                record_error(uow, str(exc))
            raise
        self._note(direction, online=True, error=None, synced=True)
        self._rotate_if_asked()
        return answer

    # --- credential ----------------------------------------------------------------------------

    def rotate_credential(self) -> None:
        """New token from HQ, saved before it is used (till.sync.rotate); raises on failure."""
        if self.credentials is None:
            raise RuntimeError("this agent was started without its credential file")
        with self._rotate_lock:
            rotate_credential(self.client, self.credentials)

    def _rotate_if_asked(self) -> None:
        if not self.client.rotation_requested or self.credentials is None:
            return
        with self._rotate_lock:  # push and pull may both have been asked: rotate once
            if not self.client.rotation_requested:
                return
            try:
                rotate_credential(self.client, self.credentials)
            except (HQUnavailable, HQRefused, OSError) as exc:
                log.warning("credential rotation asked by HQ failed (will retry): %s", exc)

    def _token_changed_on_disk(self, refusal: HQRefused) -> bool:
        """HQ no longer knows our token, but credential.json holds another one (rotated by the
        `till rotate-credential` command while this till ran): switch to it."""
        if refusal.code != "unknown_device" or self.credentials is None:
            return False
        token = self.credentials.token()
        if not token or token == self.client.token:
            return False
        self.client.set_token(token)
        return True

    # --- status --------------------------------------------------------------------------------

    def _note(self, direction: str, *, online: bool, error: str | None,
              synced: bool = False) -> None:
        with self._state_lock:
            self._online, self._errors[direction] = online, error
            if synced:
                self._last_sync = datetime.now(UTC)

    def status(self) -> SyncStatus:
        pending = pending_count(self.ledger.connection())
        with self._state_lock:
            return SyncStatus(online=self._online, pending=pending, last_sync=self._last_sync,
                              last_error=self._errors["push"] or self._errors["pull"])

    # --- background ----------------------------------------------------------------------------

    def wake(self) -> None:
        """Push now (called right after a sale commits)."""
        self._wake.set()

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        self._threads = [threading.Thread(target=self._push_loop, name="sync-push", daemon=True),
                         threading.Thread(target=self._pull_loop, name="sync-pull", daemon=True)]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop both threads without waiting out a long poll.

        The pusher finishes its step (it may be committing an ack). The puller may sit in a long
        poll for seconds; it is a daemon, checks the stop flag before its next step, and a page
        arriving after the ledger closed is refused by the ledger (LedgerClosed), not half-applied.
        """
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout if thread.name == "sync-push" else 0.2)
        self._threads = []

    def _push_loop(self) -> None:
        backoff = Backoff(*self._backoff_args)
        while not self._stop.is_set():
            self._wake.clear()
            delay, _ = self._guarded(self.push_pending, backoff, idle=self.push_interval)
            self._wake.wait(delay)

    def _pull_loop(self) -> None:
        backoff = Backoff(*self._backoff_args)
        wait = 0.0  # catch up at once on start (and learn we are online), then long-poll
        while not self._stop.is_set():
            started = time.monotonic()
            delay, pulled = self._guarded(self.pull, backoff, idle=0, wait=wait)
            if wait and pulled == 0:
                # An HQ that answers a long poll at once with nothing must not make us spin.
                delay = max(delay, 1.0 - (time.monotonic() - started))
            wait = self.long_poll_wait
            self._stop.wait(delay)

    def _guarded(self, step: Callable[..., int], backoff: Backoff, idle: float,
                 **kwargs: Any) -> tuple[float, int | None]:
        """Run one step; return how long to wait before the next one, and the step's count."""
        try:
            count = step(**kwargs)
        except HQUnavailable:
            return backoff.next_delay(), None
        except HQRefused:
            return REFUSED_RETRY_S, None
        except Exception:  # a bug or a closed ledger must not kill the thread silently
            if self._stop.is_set():
                return 0, None
            log.exception("sync step failed")
            self._note("push", online=self._online,
                       error="sync failed unexpectedly — see the till log")
            return backoff.next_delay(), None
        backoff.reset()
        return idle, count
