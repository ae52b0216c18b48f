"""`make bench`: run the benchmarks whose name starts with --filter and write docs/benchmarks.*"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path

from .hq_ingest import bench_ingest_rate
from .report import Result, write
from .sync_backlog import bench_backlog_drain
from .sync_price import bench_price_to_till
from .sync_sale_to_hq import bench_sync_sale_to_hq
from .till_catalogue import (
    bench_rss,
    bench_sale_commit,
    bench_scan_to_line,
    bench_search,
    bench_startup,
)

BENCHMARKS: dict[str, Callable[[], Result]] = {
    "sync.sale_to_hq": bench_sync_sale_to_hq,
    "sync.backlog_drain": bench_backlog_drain,
    "sync.price_to_till": bench_price_to_till,
    "hq.ingest_rate": bench_ingest_rate,
    "till.scan_to_line": bench_scan_to_line,
    "till.search": bench_search,
    "till.sale_commit": bench_sale_commit,
    "till.startup": bench_startup,
    "till.rss": bench_rss,
}


def _discovered() -> dict[str, Callable[[], Result]]:
    """Benchmarks declared by other modules here as `BENCHMARKS = {name: function}`."""
    found: dict[str, Callable[[], Result]] = {}
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name in {"run", "report"}:
            continue
        declared = getattr(importlib.import_module(f"{__package__}.{module.name}"), "BENCHMARKS", {})
        found.update(declared)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--filter", default="", help="run benchmarks whose name starts with this")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # a till without a printer warns on every sale
    benchmarks = {**BENCHMARKS, **_discovered()}
    chosen = [name for name in benchmarks if name.startswith(args.filter)]
    if not chosen:
        print(f"no benchmark starts with {args.filter!r}; known: {', '.join(benchmarks)}")
        return 2
    results = []
    for name in chosen:
        print(f"bench {name} ...", flush=True)
        result = benchmarks[name]()
        print(f"  median {result.median} {result.unit}, p99 {result.p99} {result.unit}, "
              f"baseline {result.baseline} {result.baseline_median} -> ratio {result.ratio}")
        results.append(result)
    write(results, Path(__file__).resolve().parents[2] / "docs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
