"""Benchmark: generate a synthetic year, then ingest it; rows per second and peak memory.

Each step runs in a fresh process so its peak memory (resident set, including DuckDB's native
memory and any worker processes) is its own. Timings on a shared machine are noisy, so the script
also times a baseline in the same run: reading every generated file once with pyarrow, the least
any ingest must do. It prints each step's time as a ratio to that baseline.

    python benchmarks/generate_ingest.py --scale national --workers 2
    python benchmarks/generate_ingest.py --scale small            # a quick check

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
        elif path.suffix == ".csv":
            rows += pacsv.read_csv(path).num_rows
    return time.perf_counter() - start, _peak_mb(), rows


def _ingest(out: str, store: str, memory_limit: str | None) -> tuple[float, float, dict]:
    from workbench.ingest import ingest

    start = time.perf_counter()
    report = ingest(out, store, progress=True, memory_limit=memory_limit)
    return time.perf_counter() - start, _peak_mb(), report


def _in_fresh_process(fn, *args):
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", default="small", help="generator preset (small, sample, national)"
    )
    parser.add_argument("--workers", type=int, default=2, help="generator processes (default 2)")
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory limit for ingest")
    parser.add_argument("--out", type=Path, help="work folder (default benchmarks/out/<scale>)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and store")
    parser.add_argument(
        "--submissions",
        type=Path,
        help="ingest these existing submissions instead of generating (the "
        "generate step is then not timed)",
    )
    args = parser.parse_args(argv)

    work = args.out or Path(__file__).parent / "out" / args.scale
    data, store = work / "submissions", work / "store"
    work.mkdir(parents=True, exist_ok=True)
    if args.submissions:
        data = args.submissions
    try:
        if args.submissions:
            gen_s, gen_mb = float("nan"), float("nan")
            summary = {
                "rows": json.loads((data / "generation.json").read_text())["summary"]["rows"],
                "files": sum(1 for p in data.rglob("*") if p.is_file()) - 1,
                "bytes": sum(p.stat().st_size for p in data.rglob("*") if p.is_file()),
            }
        else:
            gen_s, gen_mb, summary = _in_fresh_process(
                _generate, str(data), args.scale, args.workers
            )
        base_s, base_mb, base_rows = _in_fresh_process(_read_baseline, str(data))
        ing_s, ing_mb, report = _in_fresh_process(_ingest, str(data), str(store), args.memory_limit)
    finally:
        if not args.keep:
            shutil.rmtree(store, ignore_errors=True)
            if not args.submissions:
                shutil.rmtree(work, ignore_errors=True)

    rows = sum(summary["rows"].values())
    read = sum(t["read"] for t in report["tables"].values())
    assert read == rows == base_rows, (read, rows, base_rows)
    size = summary["bytes"] / 1e9
    print()
    print(
        f"scale {args.scale}: {summary['files']:,} files, {rows:,} rows, {size:.2f} GB; "
        f"referrals {summary['rows'].get('referrals', 0):,}, contacts "
        f"{summary['rows'].get('care_contacts', 0):,}"
    )
    print(f"{'step':<34}{'seconds':>10}{'rows/s':>14}{'peak MB':>10}{'x baseline':>12}")
    steps = [("baseline: pyarrow reads every file", base_s, base_mb)]
    if not args.submissions:
        steps.append((f"generate ({args.workers} workers)", gen_s, gen_mb))
    steps.append(("ingest", ing_s, ing_mb))
    for name, secs, mb in steps:
        print(f"{name:<34}{secs:>10.1f}{rows / secs:>14,.0f}{mb:>10,.0f}{secs / base_s:>12.1f}")
    loaded = sum(t["loaded"] for t in report["tables"].values())
    print(
        f"ingest: {read:,} read = {loaded:,} loaded + "
        f"{sum(t['superseded'] for t in report['tables'].values()):,} superseded + "
        f"{sum(t['rejected'] for t in report['tables'].values()):,} rejected"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
