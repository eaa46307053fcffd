"""Benchmark: generate a synthetic year, then ingest it; rows per second and peak memory.

Each step runs in a fresh process so its peak memory (resident set, including DuckDB's native
memory and any worker processes) is its own. Timings on a shared machine are noisy, so the script
also times a baseline in the same run: reading every generated file once with pyarrow, the least
any ingest must do. It prints each step's time as a ratio to that baseline.

The identifier guard (MEASURES.md section 1) is timed twice in the same run: inside ingest
(``timings.guard_seconds`` of the load report, printed as a share of ingest time), and alone, on
every file read as ingest reads it (so its cost is known even when ingest refuses the files).

    python benchmarks/generate_ingest.py --scale national --workers 2
    python benchmarks/generate_ingest.py --scale small            # a quick check
    python benchmarks/generate_ingest.py --submissions DIR --guard-only  # the guard alone

The data and the store go to --out (default benchmarks/out/<scale>), removed afterwards unless
--keep is given.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import multiprocessing as mp
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import NamedTuple


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _generate(out: str, scale: str, workers: int) -> tuple[float, float, dict]:
    from workbench.synthetic import SCALES, generate

    start = time.perf_counter()
    summary = generate(out, SCALES[scale], progress=True, workers=workers, overwrite=True)
    seconds = time.perf_counter() - start
    written = summary.to_dict()
    written["bytes"] = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
    return seconds, _peak_mb(), written


def _read_baseline(out: str) -> tuple[float, float, int]:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    start = time.perf_counter()
    rows = 0
    for path in sorted(Path(out).rglob("*")):
        if path.suffix == ".parquet":
            rows += pq.read_table(path).num_rows
        elif path.name.endswith((".csv", ".csv.gz")):
            rows += pacsv.read_csv(path).num_rows
    return time.perf_counter() - start, _peak_mb(), rows


def _ingest(out: str, store: str, memory_limit: str | None) -> tuple[float, float, dict]:
    from workbench.errors import IdentifiableDataError
    from workbench.ingest import ingest

    start = time.perf_counter()
    try:
        report = ingest(out, store, progress=True, memory_limit=memory_limit)
    except IdentifiableDataError as err:  # counts and columns only: the message holds no value
        report = {"refused": str(err)}
    return time.perf_counter() - start, _peak_mb(), report


def _guard_alone(out: str) -> tuple[float, float, float, int, dict]:
    """Read every file as ingest stages it, timing the reading and the guard apart."""
    from workbench.ingest.discover import discover_submissions
    from workbench.ingest.headers import read_header
    from workbench.ingest.stage import _csv_batches, _guard, _parquet_batches
    from workbench.spec import TABLES

    read_s = guard_s = 0.0
    rows = 0
    found: dict[str, list[int]] = {}
    for file in discover_submissions(Path(out)):
        names = list(TABLES[file.table].column_names)
        start = time.perf_counter()
        batches = iter(
            _parquet_batches(file.path, file.table)
            if file.is_parquet
            else _csv_batches(file.path, read_header(file))
        )
        while True:
            batch = next(batches, None)
            read_s += time.perf_counter() - start
            if batch is None:
                break
            batch = batch.select(names)
            rows += batch.num_rows
            counts: dict[str, list[int]] = {}
            start = time.perf_counter()
            _guard(batch, counts)
            guard_s += time.perf_counter() - start
            for column, (nhs, postcodes) in counts.items():
                tally = found.setdefault(f"{file.table}.{column}", [0, 0])
                tally[0] += nhs
                tally[1] += postcodes
            start = time.perf_counter()
    found = {k: v for k, v in found.items() if any(v)}
    return read_s, guard_s, _peak_mb(), rows, found


def _in_fresh_process(fn, *args):
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", default="small", help="generator preset (small, sample, national)"
    )
    parser.add_argument("--workers", type=int, default=2, help="generator processes (default 2)")
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory limit for ingest")
    parser.add_argument("--out", type=Path, help="work folder (default benchmarks/out/<scale>)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and store")
    parser.add_argument(
        "--guard-only",
        action="store_true",
        help="time the identifier guard alone on the submissions; do not ingest",
    )
    parser.add_argument(
        "--submissions",
        type=Path,
        help="ingest these existing submissions instead of generating (the "
        "generate step is then not timed)",
    )
    return parser


class _Measured(NamedTuple):
    """Every step's seconds and peak MB, with what each step counted."""

    gen_s: float
    gen_mb: float
    summary: dict
    base_s: float
    base_mb: float
    base_rows: int
    read_s: float
    guard_s: float
    guard_mb: float
    guard_rows: int
    found: dict
    ing_s: float
    ing_mb: float
    report: dict


def _existing_summary(data: Path) -> dict:
    """Rows, files and bytes of submissions generated earlier (from their generation.json)."""
    return {
        "rows": json.loads((data / "generation.json").read_text())["summary"]["rows"],
        "files": sum(1 for p in data.rglob("*") if p.is_file()) - 1,
        "bytes": sum(p.stat().st_size for p in data.rglob("*") if p.is_file()),
    }


def _measure(args: argparse.Namespace, data: Path, store: Path) -> _Measured:
    """Each step in a fresh process: generate (unless given submissions), the baseline read,
    the guard alone and (unless --guard-only) ingest."""
    nan = float("nan")
    if args.submissions:
        gen = (nan, nan, _existing_summary(data))
    else:
        gen = _in_fresh_process(_generate, str(data), args.scale, args.workers)
    base = _in_fresh_process(_read_baseline, str(data))
    guard = _in_fresh_process(_guard_alone, str(data))
    ing = (nan, nan, {})
    if not args.guard_only:
        ing = _in_fresh_process(_ingest, str(data), str(store), args.memory_limit)
    return _Measured(*gen, *base, *guard, *ing)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    work = args.out or Path(__file__).parent / "out" / args.scale
    data, store = work / "submissions", work / "store"
    work.mkdir(parents=True, exist_ok=True)
    if args.submissions:
        data = args.submissions
    try:
        measured = _measure(args, data, store)
    finally:
        if not args.keep:
            shutil.rmtree(store, ignore_errors=True)
            if not args.submissions:
                shutil.rmtree(work, ignore_errors=True)
    _print_steps(args, measured)
    _print_guard_and_ingest(measured)
    return 0


def _print_steps(args: argparse.Namespace, m: _Measured) -> None:
    """The scale, then each step's seconds, rows per second, peak MB and ratio to baseline."""
    rows = sum(m.summary["rows"].values())
    assert m.guard_rows == rows == m.base_rows, (m.guard_rows, rows, m.base_rows)
    size = m.summary["bytes"] / 1e9
    print()
    print(
        f"scale {args.scale}: {m.summary['files']:,} files, {rows:,} rows, {size:.2f} GB; "
        f"referrals {m.summary['rows'].get('referrals', 0):,}, contacts "
        f"{m.summary['rows'].get('care_contacts', 0):,}"
    )
    print(f"{'step':<34}{'seconds':>10}{'rows/s':>14}{'peak MB':>10}{'x baseline':>12}")
    steps = [("baseline: pyarrow reads every file", m.base_s, m.base_mb)]
    if not args.submissions:
        steps.append((f"generate ({args.workers} workers)", m.gen_s, m.gen_mb))
    steps.append(("read as ingest does, no guard", m.read_s, m.guard_mb))
    steps.append(("identifier guard alone", m.guard_s, m.guard_mb))
    if m.report.get("tables"):
        steps.append(("ingest", m.ing_s, m.ing_mb))
    for name, secs, mb in steps:
        print(f"{name:<34}{secs:>10.1f}{rows / secs:>14,.0f}{mb:>10,.0f}{secs / m.base_s:>12.1f}")


def _print_guard_and_ingest(m: _Measured) -> None:
    """The guard's cost alone and inside ingest, what it found, and what ingest did."""
    rows = sum(m.summary["rows"].values())
    guard_s, read_s, report, ing_s = m.guard_s, m.read_s, m.report, m.ing_s
    print(
        f"identifier guard alone: {guard_s:.1f} s, {guard_s / rows * 1e9:,.0f} ns per row, "
        f"{guard_s / (read_s + guard_s):.1%} of reading + guarding"
    )
    if m.found:
        print(
            "values the guard found (NHS numbers, full postcodes) by column: "
            + ", ".join(f"{k} {v[0]:,}/{v[1]:,}" for k, v in sorted(m.found.items()))
        )
    if "refused" in report:
        print(f"ingest refused the submissions after {ing_s:.1f} s:\n{report['refused']}")
    elif report:
        read = sum(t["read"] for t in report["tables"].values())
        assert read == rows, (read, rows)
        inside = report["timings"]["guard_seconds"]
        print(
            f"identifier guard inside ingest: {inside:.1f} s of {ing_s:.1f} s = "
            f"{inside / ing_s:.1%} of ingest time"
        )
        loaded = sum(t["loaded"] for t in report["tables"].values())
        print(
            f"ingest: {read:,} read = {loaded:,} loaded + "
            f"{sum(t['superseded'] for t in report['tables'].values()):,} superseded + "
            f"{sum(t['rejected'] for t in report['tables'].values()):,} rejected"
        )


if __name__ == "__main__":
    sys.exit(main())
