"""Benchmark results: medians and p99 against a baseline measured in the same run."""

from __future__ import annotations

import json
import os
import platform
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Result:
    name: str
    unit: str
    n: int
    median: float
    p99: float
    baseline: str
    baseline_median: float
    ratio: float
    machine: str


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def machine() -> str:
    return f"{platform.machine()} {os.cpu_count()} cpu, {platform.python_implementation()} {platform.python_version()}"


def summarise(name: str, unit: str, samples: list[float], baseline: str,
              baseline_samples: list[float]) -> Result:
    med = statistics.median(samples)
    base = statistics.median(baseline_samples)
    return Result(name, unit, len(samples), round(med, 3), round(percentile(samples, 99), 3),
                  baseline, round(base, 3), round(med / base, 2) if base else 0.0, machine())


def write(results: list[Result], docs: Path) -> None:
    """Merge into docs/benchmarks.json (a subset run keeps the others) and rewrite the table."""
    path = docs / "benchmarks.json"
    merged = {r["name"]: r for r in (json.loads(path.read_text()) if path.exists() else [])}
    merged.update({r.name: asdict(r) for r in results})
    rows = [merged[k] for k in sorted(merged)]
    path.write_text(json.dumps(rows, indent=2) + "\n")
    lines = [
        "# Benchmarks", "",
        "Written by `make bench` (`make bench BENCH=prefix` for a subset). Each row is measured",
        "against a baseline taken in the same run on the same machine; ratio = median / baseline median.",
        "",
        "| name | unit | n | median | p99 | baseline | baseline median | ratio | machine |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['name']} | {r['unit']} | {r['n']} | {r['median']} | {r['p99']} | {r['baseline']} "
        f"| {r['baseline_median']} | {r['ratio']} | {r['machine']} |" for r in rows
    ]
    (docs / "benchmarks.md").write_text("\n".join(lines) + "\n")
