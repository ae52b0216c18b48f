"""hq.valuation: the chain's stock valued FIFO, per store with the chain total, over HTTP.

Real parts: PostgreSQL (its own cluster, fsync off: this measures a read) holding the chain of
chain_data (200,000 products, 20 stores, 10 million movements of which 2 million goods
receipts in 2 cost layers), HQ served in a thread by uvicorn, the admin signed in. Each call is
GET /api/v1/reports/stock-on-hand?method=fifo&by=store (20 rows; the chain total is their sum
and by=chain answers it alone). Baseline, in the same run: the weighted-average valuation of the
same stock (method=wac), the figure the FIFO read adds receipt layers to.

The read is one statement whose receipt layers (migration 0020's fifo_layer_sums, one call per
half of the products) run in PostgreSQL's parallel workers beside the stock rows: its time is
the longest of those, so it wants the machine's 2 cores free. A reused chain (BENCH_CHAIN_URL)
must be migrated to 0020.
"""

from __future__ import annotations

import os
import time

import httpx

from hq_server.app import create_app
from hq_server.testing import serve_in_thread

from .chain_data import STORES, seeded_chain
from .report import Result, summarise

CALLS = int(os.environ.get("BENCH_VALUATION_CALLS", "5"))


def _timed(client: httpx.Client, method: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        reply = client.get("/reports/stock-on-hand", params={"method": method, "by": "store"})
        samples.append((time.perf_counter() - started) * 1000)
        assert reply.status_code == 200, reply.text
        assert len(reply.json()["rows"]) == STORES
    return samples


def bench_valuation() -> Result:
    with seeded_chain() as chain:
        url, stop = serve_in_thread(create_app(chain.database_url, jwt_secret="bench-secret-" * 4))
        try:
            token = httpx.post(f"{url}/api/v1/auth/login", json={
                "email": "admin@example.com", "password": "tillhq-admin"}).json()["access_token"]
            with httpx.Client(base_url=f"{url}/api/v1", timeout=300,
                              headers={"Authorization": f"Bearer {token}"}) as client:
                _check(client)  # its reads also warm the cache, as a report read twice would be
                fifo = _timed(client, "fifo", CALLS)
                wac = _timed(client, "wac", CALLS)
        finally:
            stop()
    print(f"  {chain.movements:,} movements ({chain.receipts:,} receipts); "
          f"FIFO per call {', '.join(f'{s / 1000:.2f}' for s in fifo)} s, "
          f"WAC {', '.join(f'{s / 1000:.2f}' for s in wac)} s")
    return summarise("hq.valuation", "ms", fifo, "hq.valuation_wac", wac)


def _check(client: httpx.Client) -> None:
    """The per-store rows add up to the chain total, and FIFO differs from WAC (layers count)."""
    stores = client.get("/reports/stock-on-hand", params={"method": "fifo", "by": "store"}).json()
    chain = client.get("/reports/stock-on-hand", params={"method": "fifo", "by": "chain"}).json()
    total = chain["rows"][0]
    assert total["value_minor"] == sum(r["value_minor"] for r in stores["rows"])
    assert total["value_minor"] != total["wac_value_minor"]
    assert 0 < total["beyond_receipts"] < total["on_hand"]
    print(f"  chain: {total['on_hand']:,} units, FIFO {total['value_minor']:,}, "
          f"WAC {total['wac_value_minor']:,} (minor units); {total['beyond_receipts']:,} units "
          "beyond every receipt")


BENCHMARKS = {"hq.valuation": bench_valuation}
