"""`make bench` keeps working: every recorded benchmark is still registered, the report has the
fields docs/benchmarks.json promises, and the ingest benchmark runs end to end at a tiny size
(HQ in its own uvicorn processes, 2 tills, one push each). Speed itself is measured only by
`make bench`, never asserted here."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bench import hq_ingest, run
from tests.bench.report import Result, write

DOCS = Path(__file__).resolve().parents[2] / "docs"
FIELDS = ["name", "unit", "n", "median", "p99", "baseline", "baseline_median", "ratio", "machine"]


def test_every_recorded_benchmark_is_still_registered_under_its_name():
    recorded = {row["name"] for row in json.loads((DOCS / "benchmarks.json").read_text())}
    registered = set(run.BENCHMARKS) | set(run._discovered())
    assert recorded and recorded <= registered, sorted(recorded - registered)
    assert {"hq.ingest_rate", "sync.backlog_drain", "sync.sale_to_hq", "sync.price_to_till",
            "hq.mixed_reads"} <= registered


def test_a_subset_run_merges_into_the_report_and_keeps_the_other_rows(tmp_path):
    (tmp_path / "benchmarks.json").write_text((DOCS / "benchmarks.json").read_text())
    before = json.loads((tmp_path / "benchmarks.json").read_text())
    fresh = Result("hq.ingest_rate", "events/s", 5, 3100.0, 3300.0, "pg.copy_same_rows",
                   12000.0, 0.26, "test machine")

    write([fresh], tmp_path)

    rows = json.loads((tmp_path / "benchmarks.json").read_text())
    assert [list(row) for row in rows] == [FIELDS] * len(rows)
    assert {row["name"] for row in rows} == {row["name"] for row in before} | {fresh.name}
    assert next(r for r in rows if r["name"] == "hq.ingest_rate")["machine"] == "test machine"
    table = (tmp_path / "benchmarks.md").read_text()
    assert "| hq.ingest_rate | events/s | 5 | 3100.0 | 3300.0 | pg.copy_same_rows | 12000.0 | 0.26 |" in table


def test_the_ingest_benchmark_runs_end_to_end_at_a_tiny_size(monkeypatch, capsys):
    monkeypatch.setattr(hq_ingest, "DEVICES", 2)
    monkeypatch.setattr(hq_ingest, "EVENTS_PER_DEVICE", hq_ingest.BATCH)
    monkeypatch.setattr(hq_ingest, "ROUNDS", 1)

    result = hq_ingest.bench_ingest_rate()

    assert (result.name, result.unit, result.n, result.baseline) == (
        "hq.ingest_rate", "events/s", 1, "pg.copy_same_rows")
    assert result.median > 0 and result.baseline_median > 0
    assert result.ratio == round(result.median / result.baseline_median, 2)
    said = capsys.readouterr().out
    assert "0 oversell exceptions for 800 sale lines" in said  # stocked: nothing oversells
    assert "CPU per push of 100: HQ" in said
