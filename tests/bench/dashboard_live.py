"""dashboard.live_update: a till's sale, pushed through the sync API, reaching an open Stock page.

Real parts: PostgreSQL (fsync on), HQ as `hq-server serve` runs it (uvicorn, BENCH_HQ_WORKERS
worker processes, default 2, so fan-out crosses workers through LISTEN/NOTIFY), a headless
Chromium (/usr/bin/chromium) signed in on the Stock page, and 199 more dashboard WebSockets
opened with the `websockets` library, signed in like the page (the session cookie, same origin),
each reading every message. 200 sockets in all.

Measured per sale: from HQ applying it (its commit, seen as the NOTIFY on a LISTEN connection of
our own) to the new on-hand in the page's cell (a MutationObserver stamps Date.now(); same host,
same clock). Baseline: the push round trip alone (send to 200), measured on the same sales.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import threading
import time

import psycopg
import requests
import websockets
from playwright.sync_api import sync_playwright

from hq_server.auth.tokens import JWT_SECRET_ENV
from hq_server.auth.web import ACCESS_COOKIE
from hq_server.db.session import psycopg_conninfo
from hq_server.stock.service import STOCK_CHANNEL
from tests.integration.hq.helpers import ScriptedTill

from .report import Result, percentile, summarise
from .sync_common import running_hq

SALES = int(os.environ.get("BENCH_N", "40"))
SOCKETS = int(os.environ.get("BENCH_SOCKETS", "200"))
WORKERS = int(os.environ.get("BENCH_HQ_WORKERS", "2"))
CHROMIUM = "/usr/bin/chromium"
ADMIN = {"email": "admin@example.com", "password": "tillhq-admin"}
# Stamps each cell's new text with the page's wall clock, the moment the DOM changes.
OBSERVE = """() => {
  window.__seen = {};
  new MutationObserver((changes) => {
    const now = Date.now();
    for (const c of changes) {
      const node = c.target.nodeType === 1 ? c.target : c.target.parentElement;
      const cell = node && node.closest('td[id^="c-"]');  // the number sits in the cell's link
      if (cell) window.__seen[cell.id + "=" + cell.textContent.trim()] = now;
    }
  }).observe(document.querySelector("table.grid tbody"), {subtree: true, childList: true, characterData: true});
}"""


class Notifications(threading.Thread):
    """A LISTEN of our own on the stock channel: when HQ committed each level (wall clock, ms)."""

    def __init__(self, conninfo: str) -> None:
        super().__init__(daemon=True)
        self.conn = psycopg.connect(conninfo, autocommit=True)
        self.conn.execute(f"LISTEN {STOCK_CHANNEL}")
        self.seen: dict[str, float] = {}
        self.stop = False

    def run(self) -> None:
        while not self.stop:
            for note in self.conn.notifies(timeout=0.5):
                msg = json.loads(note.payload)
                self.seen.setdefault(f"c-{msg['product_id']}-{msg['store_id']}={msg['on_hand']}",
                                     time.time() * 1000)


class ExtraSockets(threading.Thread):
    """`count` dashboard sockets signed in with the session cookie, each draining its messages."""

    def __init__(self, url: str, cookie: str, count: int) -> None:
        super().__init__(daemon=True)
        self.url, self.cookie, self.count = url, cookie, count
        self.opened = threading.Event()
        self.received = 0
        self.loop = asyncio.new_event_loop()
        self.done: asyncio.Future | None = None

    def run(self) -> None:
        self.loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self.done = self.loop.create_future()
        ws_url = self.url.replace("http://", "ws://") + "/api/v1/live"
        headers = {"Cookie": f"{ACCESS_COOKIE}={self.cookie}", "Origin": self.url}
        sockets = [await websockets.connect(ws_url, additional_headers=headers, max_queue=None)
                   for _ in range(self.count)]
        for ws in sockets:
            assert json.loads(await ws.recv())["type"] == "hello"
        readers = [asyncio.create_task(self._drain(ws)) for ws in sockets]
        self.opened.set()
        await self.done
        for task in readers:
            task.cancel()
        for ws in sockets:
            await ws.close()

    async def _drain(self, ws) -> None:  # noqa: ANN001
        async for _ in ws:
            self.received += 1

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.done.set_result, None)
        self.join(30)


def _sign_in(url: str) -> str:
    session = requests.Session()
    assert session.post(f"{url}/login", data=ADMIN, allow_redirects=False).status_code == 303
    return session.cookies[ACCESS_COOKIE]


def _measure(page, hq, till: ScriptedTill, notes: Notifications) -> tuple[list[float], list[float]]:  # noqa: ANN001
    after_apply, round_trips = [], []
    products = hq.seed.products
    for i in range(SALES):
        product = products[i % len(products)]
        till.sell((product, 1))
        started = time.perf_counter()
        reply = requests.post(f"{hq.url}/api/v1/sync/push", headers=till.headers, timeout=30, json={
            "device_id": till.device_id, "events": [_wire(till.journal[-1])]})
        round_trips.append((time.perf_counter() - started) * 1000)
        assert reply.status_code == 200, reply.text
        key = f"c-{product.id}-{till.store_id}={hq.seed.opening_stock - (i // len(products) + 1)}"
        page.wait_for_function("key => key in window.__seen", arg=key, timeout=10_000)
        shown = page.evaluate("key => window.__seen[key]", key)
        deadline = time.monotonic() + 5
        while key not in notes.seen and time.monotonic() < deadline:
            time.sleep(0.005)
        after_apply.append(shown - notes.seen[key])
    return after_apply, round_trips


def _wire(event) -> dict:  # noqa: ANN001
    from shared.wire import WireEvent

    return WireEvent.from_journal(event).model_dump()


def bench_live_update() -> Result:
    os.environ.setdefault(JWT_SECRET_ENV, "bench-jwt-secret-shared-by-every-worker-0123456789")
    with running_hq(workers=WORKERS) as hq:
        till = ScriptedTill(hq.url, hq.enrolment_code("S001"), "bench-till")
        extra = ExtraSockets(hq.url, _sign_in(hq.url), SOCKETS - 1)
        extra.start()
        assert extra.opened.wait(120), "the extra dashboard sockets did not open"
        notes = Notifications(psycopg_conninfo(hq.database_url))
        notes.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=["--headless", "--no-sandbox"])
                page = browser.new_context(base_url=hq.url).new_page()
                page.goto("/login")
                page.get_by_label("Email").fill(ADMIN["email"])
                page.get_by_label("Password").fill(ADMIN["password"])
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_selector("#live.online")
                page.evaluate(OBSERVE)
                after_apply, round_trips = _measure(page, hq, till, notes)
                browser.close()
        finally:
            notes.stop = True
            extra.close()
    print(f"  {SOCKETS} sockets ({WORKERS} HQ workers); after HQ applied: median "
          f"{statistics.median(after_apply):.0f} ms, p99 {percentile(after_apply, 99):.0f} ms; "
          f"push round trip median {statistics.median(round_trips):.0f} ms; extra sockets got "
          f"{extra.received} messages")
    return summarise("dashboard.live_update", "ms", after_apply, "sync.push_round_trip", round_trips)


BENCHMARKS = {"dashboard.live_update": bench_live_update}
