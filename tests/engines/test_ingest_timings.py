"""A load's step timings: in its load report, and logged once its feedback pages are written,
in the form benchmarks/ingest_vs_duckdb.py reads to print each step's share."""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

from submission_files import person, referral, write_submission
from workbench.ingest import ingest
from workbench.ingest.report import TIMINGS_LOG
from workbench.spec import EXTRACT_TABLES

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "ingest_vs_duckdb.py"


def _benchmark(monkeypatch):
    spec = importlib.util.spec_from_file_location("ingest_vs_duckdb", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    return module


def test_a_load_logs_its_step_timings_and_the_benchmark_breaks_them_down(
    tmp_path, caplog, monkeypatch
):
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", [person("P1"), person("P2")])
    write_submission(tmp_path / "src", "referrals", "RXA", "20250201", [referral("R1", "P1")])
    caplog.set_level(logging.INFO, logger="workbench")
    report = ingest(tmp_path / "src", tmp_path / "store", progress=False)
    assert set(report["timings"]["load_seconds"]) == set(EXTRACT_TABLES)
    assert report["timings"]["staging_seconds"] >= report["timings"]["guard_seconds"] >= 0
    assert report["timings"]["facts_seconds"] >= 0  # a first load keeps no facts: ~0
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith(TIMINGS_LOG)]
    assert len(logged) == 1
    log_file = tmp_path / "ingest.log"
    log_file.write_text("2026-01-01 INFO workbench.ingest.report: " + logged[0] + "\n")
    benchmark = _benchmark(monkeypatch)
    assert benchmark.TIMINGS_LOG == TIMINGS_LOG
    timings = benchmark.step_timings(log_file)
    assert timings["load_seconds"] == report["timings"]["load_seconds"]
    rows = benchmark.breakdown(timings, total=100.0)
    names = [name for name, _ in rows]
    assert names[0].startswith("staging") and names[-1].startswith("rest")
    assert [f"load {t}" for t in EXTRACT_TABLES] == names[1 : 1 + len(EXTRACT_TABLES)]
    assert {"facts", "export", "feedback"} <= set(names)
    assert abs(sum(seconds for _, seconds in rows) - 100.0) < 1e-6
    assert benchmark.step_timings(tmp_path / "none.log") is None
