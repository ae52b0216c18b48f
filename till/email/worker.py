"""The email sender thread: sends due outbox rows, backs off while the server cannot be reached.

Never the UI thread. A row leaves the outbox only by being marked sent after the server took it;
a failure keeps it with `last_error` and a later `next_attempt_ms` (doubling from `backoff[0]` to
`backoff[1]`). `send_now()` makes every waiting row due and wakes the thread: the settings changed,
or `online()` (the sync agent's view of the network) turned true again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..ledger import Ledger
from .records import due_emails, make_all_due, mark_failed, mark_sent, next_due_ms
from .sender import MessageRefused, ServerUnavailable, smtp_session
from .settings import SmtpSettings

log = logging.getLogger(__name__)

BACKOFF_S = (30.0, 3600.0)  # first retry after 30 s, then doubling, at most hourly
IDLE_S = 5.0  # how often an idle worker looks again (rows queued by another process, network)


@dataclass(frozen=True, slots=True)
class SendRound:
    sent: int = 0
    failed: int = 0
    error: str | None = None


def backoff_ms(attempts: int, backoff: tuple[float, float] = BACKOFF_S) -> int:
    """The wait after the `attempts`-th failed attempt (1-based), in milliseconds."""
    first, cap = backoff
    return int(min(first * 2 ** max(attempts - 1, 0), cap) * 1000)


class EmailWorker:
    def __init__(self, ledger: Ledger, settings: SmtpSettings, *,
                 online: Callable[[], bool] | None = None,
                 backoff: tuple[float, float] = BACKOFF_S, idle_s: float = IDLE_S,
                 clock: Callable[[], float] = time.time) -> None:
        self._ledger, self._settings = ledger, settings
        self._online, self._was_online = online, True
        self._backoff, self._idle_s, self._clock = backoff, idle_s, clock
        self._wake, self._stop = threading.Event(), threading.Event()
        self._round_lock = threading.Lock()  # one round at a time (thread and `send_due` callers)
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None  # the last round's failure; None once something sent

    @property
    def settings(self) -> SmtpSettings:
        return self._settings

    def set_settings(self, settings: SmtpSettings) -> None:
        """New SMTP settings (the settings screen saved): waiting receipts go at once."""
        self._settings = settings
        self.last_error = None
        self.send_now()

    def send_now(self) -> None:
        with self._ledger.transaction(durable=False) as uow:  # only retry timing
            make_all_due(uow)
        self._wake.set()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="email-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def send_due(self) -> SendRound:
        """Send every row due now, in order, over one connection; stop at a server failure."""
        settings = self._settings
        if not settings.configured:
            return SendRound()
        with self._round_lock:
            rows = due_emails(self._ledger.connection(), self._now_ms())
            if not rows:
                return SendRound()
            sent, failed, refused = 0, 0, None
            try:
                with smtp_session(settings) as session:
                    for row in rows:
                        try:
                            session.send(row)
                        except MessageRefused as exc:
                            refused = str(exc)
                            self._failed(row.email_id, row.attempts, refused)
                            failed += 1
                            continue
                        with self._ledger.transaction(durable=False) as uow:
                            mark_sent(uow, row.email_id)  # lost to a power cut: sent twice, not never
                        sent += 1
            except ServerUnavailable as exc:
                for row in rows[sent + failed:]:  # this one and the rest: all wait for the backoff
                    self._failed(row.email_id, row.attempts, str(exc))
                log.info("email receipts waiting: %s", exc)
                self.last_error = str(exc)
                return SendRound(sent, len(rows) - sent, str(exc))
            self.last_error = refused
            return SendRound(sent, failed, refused)

    def _failed(self, email_id: str, attempts: int, error: str) -> None:
        with self._ledger.transaction(durable=False) as uow:
            mark_failed(uow, email_id, error,
                        self._now_ms() + backoff_ms(attempts + 1, self._backoff))

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._check_online()
                self.send_due()
                wait = self._until_next()
            except Exception:  # the thread must outlive any one round (a locked file, a bug)
                log.exception("email sender round failed")
                wait = self._idle_s
            self._wake.wait(wait)
            self._wake.clear()

    def _check_online(self) -> None:
        if self._online is None:
            return
        online = bool(self._online())
        if online and not self._was_online:  # the network is back: don't sit out the backoff
            self.send_now()
        self._was_online = online

    def _until_next(self) -> float:
        due = next_due_ms(self._ledger.connection())
        if due is None or not self._settings.configured:
            return self._idle_s
        return min(max((due - self._now_ms()) / 1000, 0.01), self._idle_s)
