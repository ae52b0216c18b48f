"""hq.ingest_rate: 20 devices push batches of sales over HTTP at once; events applied per second.

Real parts: PostgreSQL with fsync on, HQ on uvicorn in its own processes (BENCH_HQ_WORKERS,
default 2 = `hq-server serve --workers 2` on this 2-core machine), 20 enrolled devices, each with its own HTTP connection and a hash-chained journal of
four-line sales pushed in batches of 100, each request with the headers a till's agent sends
(its version, and the backlog left after the batch).

The stores hold stock first, as a trading chain's do, so an oversell is the exception it is in
a shop. `hq.ingest_rate_oversold` runs the same pushes against the seed's 20 units, so nearly
every line oversells and raises its exception (merge rule 4): the slow path, measured too.
Baseline: COPY of the same events and their stock movements into scratch tables, as events per
second, measured in the same run. It also
prints the CPU HQ's processes and PostgreSQL's spent per push (Linux /proc), which says which
side to work on and varies less than the rate on a shared machine.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import requests

from hq_server.db.session import make_engine, make_session_factory, transaction
from hq_server.stock.service import StockBatch
from shared.hlc import Timestamp
from shared.wire import (
    BACKLOG_HEADER,
    OLDEST_UNSENT_HEADER,
    TILL_VERSION_HEADER,
    PushRequest,
    WireEvent,
)
from tests.integration.hq.helpers import ScriptedTill

from .report import Result, summarise
from .sync_common import copy_baseline, running_hq

DEVICES = int(os.environ.get("BENCH_DEVICES", "20"))
EVENTS_PER_DEVICE = int(os.environ.get("BENCH_EVENTS_PER_DEVICE", "250"))
BATCH = 100
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))  # the first warms the pool and caches
WORKERS = int(os.environ.get("BENCH_HQ_WORKERS", "2"))
LINES = 4
STOCKED = 1_000_000  # units per product and store before the pushes: no line oversells


def _journal(till: ScriptedTill, products, count: int) -> None:  # noqa: ANN001
    for i in range(count):
        till.sell(*[(products[(i + j * 3) % len(products)], 1) for j in range(LINES)])


def _bodies(till: ScriptedTill, events) -> list[tuple[str, dict[str, str]]]:  # noqa: ANN001
    """The push requests as each till's agent sends them, encoded before the clock starts: a
    till encodes on its own PC, and 20 encoders on the bench's GIL took a core from HQ."""
    requests_ = []
    for start in range(0, len(events), BATCH):
        after = events[start + BATCH:]
        body = PushRequest(device_id=till.device_id, events=[
            WireEvent.from_journal(e) for e in events[start:start + BATCH]]).model_dump_json()
        oldest = Timestamp.decode(after[0].hlc).wall_ms if after else 0
        requests_.append((body, {"Content-Type": "application/json", BACKLOG_HEADER: str(len(after)),
                                 OLDEST_UNSENT_HEADER: str(oldest)}))
    return requests_


def _push_all(till: ScriptedTill, bodies: list[tuple[str, dict[str, str]]], errors: list[str],
              latencies: list[float]) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {till.token}"
    session.headers[TILL_VERSION_HEADER] = "0.1.0"
    for body, headers in bodies:
        started = time.perf_counter()
        answer = session.post(f"{till.url}/api/v1/sync/push", data=body, timeout=120,
                              headers=headers)
        latencies.append(time.perf_counter() - started)
        if answer.status_code != 200:
            errors.append(answer.text)
            return


def _descendants(root: int) -> set[int]:
    """`root` and every process below it (Linux /proc; empty elsewhere)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in found]
        found.update(children)
        frontier += children
    return found if root in parents else set()


def _cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User + system CPU seconds of each of `pids` that is still running."""
    spent = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        spent[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return spent


class CpuSplit:
    """CPU seconds spent by HQ's processes and by PostgreSQL's during the pushes (a backend
    that starts during a round counts whole; one that ends during it is missed)."""

    def __init__(self, hq) -> None:  # noqa: ANN001
        self.postmaster = int((hq.workdir / "pg" / "data" / "postmaster.pid").read_text().split()[0])
        self.spent = {"HQ": 0.0, "PostgreSQL": 0.0}

    def _groups(self) -> dict[str, set[int]]:
        database = _descendants(self.postmaster)
        return {"HQ": _descendants(os.getpid()) - database - {os.getpid()}, "PostgreSQL": database}

    def measure(self, work):  # noqa: ANN001, ANN201
        before = {name: _cpu_seconds(pids) for name, pids in self._groups().items()}
        answer = work()
        for name, pids in self._groups().items():
            after = _cpu_seconds(pids)
            self.spent[name] += sum(t - before[name].get(pid, 0.0) for pid, t in after.items())
        return answer


def _round(tills: list[ScriptedTill], products, latencies: list[float]) -> tuple[float, list]:  # noqa: ANN001
    """Seal EVENTS_PER_DEVICE new events per device, then push them all concurrently."""
    batches = []
    for till in tills:
        first = len(till.journal)
        _journal(till, products, EVENTS_PER_DEVICE)
        batches.append(till.journal[first:])
    errors: list[str] = []
    threads = [threading.Thread(target=_push_all, args=(t, _bodies(t, b), errors, latencies))
               for t, b in zip(tills, batches, strict=True)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert not errors, errors[:3]
    return len(tills) * EVENTS_PER_DEVICE / elapsed, [e for b in batches for e in b]


def _stock_the_stores(hq, units: int) -> None:  # noqa: ANN001
    """A delivery of `units` of every product to every store, as HQ books one."""
    engine = make_engine(hq.database_url, pool_size=1)
    try:
        with transaction(make_session_factory(engine)) as session:
            stock = StockBatch()
            for store in hq.seed.stores:
                for product in hq.seed.products:
                    stock.add(product.id, store.id, units, "opening", reference="BENCH-STOCK")
            stock.flush(session)
    finally:
        engine.dispose()


def bench_ingest_rate() -> Result:
    return _bench("hq.ingest_rate", stocked=True)


def bench_ingest_rate_oversold() -> Result:
    return _bench("hq.ingest_rate_oversold", stocked=False)


BENCHMARKS = {"hq.ingest_rate_oversold": bench_ingest_rate_oversold}  # run.py names the other


def _bench(name: str, *, stocked: bool) -> Result:
    with running_hq(workers=WORKERS) as hq:
        if stocked:
            _stock_the_stores(hq, STOCKED)
        tills = [ScriptedTill(hq.url, hq.enrolment_code("S001" if i % 2 else "S002"), f"dev-{i}")
                 for i in range(DEVICES)]
        products = hq.seed.products
        rates, pushed, latencies = [], [], []
        cpu = CpuSplit(hq)
        for _ in range(ROUNDS):
            rate, events = cpu.measure(lambda: _round(tills, products, latencies))
            rates.append(rate)
            pushed += events
        with hq.connect() as conn:
            held = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            assert held == len(pushed), (held, len(pushed))
            oversells = conn.execute("SELECT count(*) FROM exceptions WHERE kind = 'oversell'").fetchone()[0]
            sample = [e.to_dict() for e in pushed[:5000]]
            baseline = [len(sample) / copy_baseline(conn, sample, LINES) for _ in range(3)]
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"  {name}: {oversells} oversell exceptions for {len(pushed) * LINES} sale lines")
    print(f"  rounds: {', '.join(f'{r:.0f}' for r in rates)} events/s; push of {BATCH}: "
          f"median {latencies[len(latencies) // 2] * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    pushes = len(pushed) / BATCH
    print("  CPU per push of 100: " + ", ".join(
        f"{side} {spent / pushes * 1000:.1f} ms" for side, spent in cpu.spent.items()))
    print(f"  load average over the last minute: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")
    return summarise(name, "events/s", rates, "pg.copy_same_rows", baseline)
