"""hq.mixed_reads: back-office reads at a steady 200 requests a second; latency per request.

Real parts: the chain of chain_data in PostgreSQL (fsync off), HQ as production runs it
(uvicorn, BENCH_MIXED_WORKERS worker processes, default 2 = this machine's cores), over HTTP/1.1
keep-alive connections of a lean asyncio client (keepalive_client: httpx cost more CPU per
request than HQ itself), the admin signed in (every store in scope). Requests leave on a fixed
schedule (open loop: a slow answer does not delay the next request), and each latency is
measured from the moment its request was due, so queueing counts. The mix, by weight:

  30 one product's on-hand in every store     GET /inventory/on-hand?product=
  20 a page of a store's stock list           GET /stock?store=&limit=50&offset=
  10 a product's ledger at a store            GET /inventory/ledger?product=&store=&limit=50
  10 a bundle's availability per store        GET /catalogue/products/{sku}/availability
  15 a store's purchase orders                GET /purchase-orders?store=&limit=20
  10 report reads                             GET /reports/sales-by-store?store=, /reports/exceptions
   5 the store list                           GET /stores

The chain-wide valuation is not in the mix: it is a multi-second report, measured alone by
hq.valuation. Baseline, in the same run at the same rate: GET /health.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import statistics
import time
from collections.abc import Callable

import httpx

from .chain_data import BUNDLE_EVERY, STORES, seeded_chain
from .keepalive_client import KeepAliveClient, ReplyError
from .report import Result, percentile, summarise
from .sync_common import _serve_in_processes

RATE = float(os.environ.get("BENCH_MIXED_RATE", "200"))
SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "30"))
BASELINE_SECONDS = float(os.environ.get("BENCH_MIXED_BASELINE_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_MIXED_WORKERS", "2"))
# Keep-alive connections of the load generator: a request waits for a free one (and that wait
# is latency); at 200/s and tens of ms each, a few dozen are busy at once.
CONNECTIONS = int(os.environ.get("BENCH_MIXED_CONNECTIONS", "64"))
TIMEOUT_S = 30.0
JWT_ENV = "HQ_JWT_SECRET"  # every worker must sign and check tokens with the same secret

Request = tuple[str, str]  # (kind, path with query)


def _mix(rng: random.Random, products: int) -> Callable[[], Request]:
    def store() -> str:
        return f"S{rng.randint(1, STORES):03d}"

    def sku() -> str:
        return f"B{rng.randint(1, products):07d}"

    choices: list[tuple[int, Callable[[], Request]]] = [
        (30, lambda: ("on-hand", f"/inventory/on-hand?product={sku()}")),
        (20, lambda: ("stock page", f"/stock?store={store()}&limit=50&offset={50 * rng.randint(0, 40)}")),
        (10, lambda: ("ledger", f"/inventory/ledger?product={sku()}&store={store()}&limit=50")),
        (10, lambda: ("availability",
                      f"/catalogue/products/K{rng.randint(1, products // BUNDLE_EVERY):06d}/availability")),
        (15, lambda: ("purchase orders", f"/purchase-orders?store={store()}&limit=20")),
        (5, lambda: ("report", f"/reports/sales-by-store?store={store()}")),
        (5, lambda: ("report", "/reports/exceptions")),
        (5, lambda: ("stores", "/stores")),
    ]
    weights = [w for w, _ in choices]
    makers = [m for _, m in choices]
    return lambda: rng.choices(makers, weights)[0]()


async def _paced(base: str, headers: dict[str, str], next_request: Callable[[], Request],
                 seconds: float) -> tuple[list[float], dict[str, list[float]], list[str]]:
    """Send RATE requests a second for `seconds`; latency from each request's due time."""
    samples: list[float] = []
    by_kind: dict[str, list[float]] = {}
    failures: list[str] = []
    async with KeepAliveClient(base, headers, CONNECTIONS) as client:
        async def one(kind: str, path: str, due: float) -> None:
            try:
                status, body = await asyncio.wait_for(client.get(path), TIMEOUT_S)
                if status != 200:
                    failures.append(f"{path} -> {status} {body[:200]!r}")
            except (OSError, TimeoutError, ReplyError, asyncio.IncompleteReadError) as error:
                failures.append(f"{path} -> {error!r}")
            took = (time.perf_counter() - due) * 1000
            samples.append(took)
            by_kind.setdefault(kind, []).append(took)

        tasks = []
        start = time.perf_counter() + 0.05
        for i in range(int(RATE * seconds)):
            due = start + i / RATE
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            kind, path = next_request()
            tasks.append(asyncio.create_task(one(kind, path, due)))
        await asyncio.gather(*tasks)
    return samples, by_kind, failures


def _hq_cpu_seconds(port: int) -> float:
    """CPU (user + system) used so far by the uvicorn serving `port` and its worker processes.
    Latency on a shared machine says more about the neighbours than about HQ; CPU per request
    does not, and 200 requests a second on 2 cores leave HQ a few ms each."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    cmdline = f.read().split(b"\0")
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                stats[int(entry)] = (cmdline, int(fields[1]), int(fields[11]) + int(fields[12]))
    parents = {pid for pid, (cmdline, _, _) in stats.items()
               if b"hq_server.asgi:app" in cmdline and str(port).encode() in cmdline}
    ticks = sum(t for pid, (_, ppid, t) in stats.items() if pid in parents or ppid in parents)
    return ticks / os.sysconf("SC_CLK_TCK")


def _sign_in(url: str) -> dict[str, str]:
    token = httpx.post(f"{url}/api/v1/auth/login", json={
        "email": "admin@example.com", "password": "tillhq-admin"}, timeout=30).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def bench_mixed_reads() -> Result:
    previous = os.environ.get(JWT_ENV)
    os.environ[JWT_ENV] = "bench-mixed-reads-" * 4
    try:
        with seeded_chain() as chain:
            url, stop = _serve_in_processes(chain.database_url, WORKERS)
            try:
                headers = _sign_in(url)
                api = f"{url}/api/v1"
                rng = random.Random(6)
                warm = _mix(rng, chain.products)
                asyncio.run(_paced(api, headers, warm, min(5.0, SECONDS)))  # connections, caches
                port = int(url.rsplit(":", 1)[1])
                cpu_before = _hq_cpu_seconds(port)
                samples, by_kind, failures = asyncio.run(
                    _paced(api, headers, _mix(rng, chain.products), SECONDS))
                hq_cpu_ms = (_hq_cpu_seconds(port) - cpu_before) * 1000 / len(samples)
                baseline, _, base_failures = asyncio.run(
                    _paced(api, headers, lambda: ("health", "/health"), BASELINE_SECONDS))
            finally:
                stop()
    finally:
        if previous is None:
            os.environ.pop(JWT_ENV, None)
        else:
            os.environ[JWT_ENV] = previous
    # A request that failed (refused, or timed out in a queue) keeps its time as its latency:
    # the result then shows the overload instead of hiding it.
    if failures or base_failures:
        print(f"  FAILED: {len(failures)} of {len(samples)} mixed reads, {len(base_failures)} of "
              f"{len(baseline)} health checks; first: {(failures + base_failures)[:3]}")
    for kind, taken in sorted(by_kind.items()):
        print(f"    {kind}: n {len(taken)}, median {statistics.median(taken):.1f} ms, "
              f"p99 {percentile(taken, 99):.1f} ms")
    print(f"  {len(samples)} requests at {RATE:.0f}/s for {SECONDS:.0f} s against {WORKERS} "
          f"uvicorn workers; {chain.products:,} products, {chain.movements:,} movements; "
          f"HQ CPU {hq_cpu_ms:.2f} ms a request (PostgreSQL's not counted)")
    return summarise("hq.mixed_reads", "ms", samples, "hq.health_same_rate", baseline)


BENCHMARKS = {"hq.mixed_reads": bench_mixed_reads}
