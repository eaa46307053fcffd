"""Benchmark: render the default batch of reports (England and the 7 regions; with --all-icbs,
the 42 ICBs) and compare the time per report with the least any report can cost: starting a
bare Jupyter kernel and running one trivial cell through papermill, timed in the same run.

    python benchmarks/report_batch.py                 # reports/schedule.yml
    python benchmarks/report_batch.py --all-icbs      # reports/schedule_all_icbs.yml
    python benchmarks/report_batch.py --workers 1     # serial, for the cost of one report

The aggregates are brought up to date first (timed apart: that is the batch's record-level
work, done once); the reports go to a temporary folder (or --out), so nothing is skipped.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]


def bare_kernel_seconds(folder: Path, repeat: int) -> float:
    """Median seconds for papermill to start a kernel and run ``x = 1`` (one-cell notebook)."""
    import papermill as pm

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    path = folder / "trivial.ipynb"
    nbformat.write(nb, path)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        pm.execute_notebook(
            str(path),
            str(folder / "trivial.out.ipynb"),
            kernel_name="python3",
            language="python",
            progress_bar=False,
            log_output=False,
            cwd=str(ROOT),
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all-icbs", action="store_true", help="the all-ICB schedule")
    parser.add_argument("--schedule", type=Path, help="another schedule file")
    parser.add_argument("--workers", type=int, help="override the schedule's workers")
    parser.add_argument("--out", type=Path, help="folder for the reports (default: temporary)")
    parser.add_argument("--repeat", type=int, default=3, help="bare-kernel runs (median)")
    args = parser.parse_args(argv)

    from workbench.publish.aggregates import ensure_aggregates
    from workbench.publish.batch import run_schedule
    from workbench.publish.schedule import load_schedule

    name = "schedule_all_icbs.yml" if args.all_icbs else "schedule.yml"
    source = (args.schedule or ROOT / "reports" / name).resolve()
    schedule = load_schedule(source)  # checks it (and its notebooks) before any timing
    work = Path(tempfile.mkdtemp(prefix="report-batch-"))
    out = (args.out or work / "reports").resolve()
    try:
        config = yaml.safe_load(source.read_text(encoding="utf-8"))
        config.update(
            store=str(schedule.store),
            aggregates=str(schedule.aggregates),
            output=str(out),
            notebooks_dir=str(schedule.notebooks[0].parent),
        )
        if args.workers:
            config["workers"] = args.workers
        copy = work / name
        copy.write_text(yaml.safe_dump(config), encoding="utf-8")

        start = time.perf_counter()
        ensure_aggregates(schedule.store, schedule.aggregates, schedule.period)
        compute_s = time.perf_counter() - start

        baseline = bare_kernel_seconds(work, args.repeat)

        start = time.perf_counter()
        summary = run_schedule(copy, progress=True)
        wall = time.perf_counter() - start
        manifest = json.loads(summary.manifest.read_text(encoding="utf-8"))
        rendered = [r for r in manifest["reports"] if r["status"] != "skipped"]
        n = max(len(rendered), 1)
        each = statistics.mean(r["seconds"] for r in rendered) if rendered else 0.0
        workers = config.get("workers", 2)

        print()
        shown = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source
        print(f"schedule                     {shown} ({workers} workers)")
        print(f"aggregates up to date in     {compute_s:8.1f} s (once per batch)")
        print(f"bare kernel + 1 cell         {baseline:8.2f} s (median of {args.repeat})")
        print(
            f"reports                      {len(manifest['reports']):8d} "
            f"({summary.counts.get('ok', 0)} ok, {summary.counts.get('failed', 0)} failed)"
        )
        print(f"batch wall time              {wall:8.1f} s")
        per = wall / n
        print(f"per report, wall / reports   {per:8.2f} s   = {per / baseline:5.1f} x bare kernel")
        print(
            f"per report, own time (mean)  {each:8.2f} s   = {each / baseline:5.1f} x bare kernel"
        )
        for r in summary.failures:
            print(f"  failed: {r['notebook']} {r['level']} {r['org_code']}: {r['error']}")
        return summary.exit_code
    finally:
        if args.out is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
