"""Slow work off the UI thread: one worker thread, its outcome handed back on the UI thread.

A presenter calls `runner.run(task, done)`; `done(future)` runs on the UI thread once `task`
has finished on the worker (`future.result()` returns its value or raises its error). `Inline`
does the same at once on the caller's thread: scripts and tests that predate the worker, where
the outcome is there when `run` returns. One worker, so the slow calls queue in order and never
run two at a time (argon2 PIN checks; the sale's ledger write could follow).
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from .qt import QObject, QTimer

Done = Callable[[Future], None]  # type: ignore[type-arg]


class Runner(Protocol):
    def run(self, task: Callable[[], Any], done: Done) -> None: ...


class Inline:
    def run(self, task: Callable[[], Any], done: Done) -> None:
        future: Future[Any] = Future()
        try:
            future.set_result(task())
        except Exception as exc:  # handed to `done`, as the worker would
            future.set_exception(exc)
        done(future)


class Worker(QObject):
    """Finished tasks wait in a queue that a UI-thread timer empties (running only while work is
    pending): no cross-thread signal, so delivery needs nothing but the UI's event loop."""

    def __init__(self, parent: QObject | None = None, poll_ms: int = 15) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ui-worker")
        self._finished: queue.SimpleQueue[tuple[Done, Future]] = queue.SimpleQueue()  # type: ignore[type-arg]
        self._pending = 0
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._deliver)

    def run(self, task: Callable[[], Any], done: Done) -> None:
        self._pending += 1
        self._executor.submit(task).add_done_callback(lambda f: self._finished.put((done, f)))
        self._timer.start()

    def _deliver(self) -> None:
        while True:
            try:
                done, future = self._finished.get_nowait()
            except queue.Empty:
                break
            self._pending -= 1
            done(future)
        if not self._pending:
            self._timer.stop()

    def shutdown(self) -> None:
        self._timer.stop()
        self._executor.shutdown(wait=True)
