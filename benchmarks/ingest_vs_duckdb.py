"""Benchmark: generate, full ingest and one day's load, each against a plain DuckDB read of the
same files, timed in the same run.

Every step runs the ``workbench`` command in a fresh process (``python -m workbench``, the code
on the current PYTHONPATH), so its time includes start-up and its peak memory is its own: the
peak resident set of the largest single process of the step (a generator worker or the ingest
process, from wait4; worker processes are not added together). The baseline of each step is
DuckDB reading every file of that step once (read_parquet / read_csv, all columns as text) and
counting its rows, also in a fresh process: the least any ingest must do. Each step prints, as
it ends, wall seconds, rows per second, CPU seconds (user + system, worker processes included;
steadier than wall time on a shared machine), each time as a ratio to its baseline's, and peak MB.

Steps:
  generate   ``workbench generate DATA --scale SCALE --providers N --workers W``
  full       ``workbench ingest REST --out STORE``: every file except those of the last
             submission date (REST and DAY are hard links into DATA, no copies)
  day        ``workbench ingest DAY --into STORE``: the files of the last submission date
             (with the daily cadence a 365th of the year with its resends) added to that store;
             skipped, with a note, when this ``workbench ingest`` has no ``--into`` option

    python benchmarks/ingest_vs_duckdb.py --providers 10               # a fraction of national
    python benchmarks/ingest_vs_duckdb.py --providers 10 --cadence daily
    python benchmarks/ingest_vs_duckdb.py --scale national --workers 2  # the full year: 200
    python benchmarks/ingest_vs_duckdb.py --submissions DIR             # skip generating
    python benchmarks/ingest_vs_duckdb.py --submissions DIR --day-parts 30 --keep --out W
    python benchmarks/ingest_vs_duckdb.py --submissions DIR --day-parts 30 --out W --reuse-store

With the monthly cadence the last submission date holds a month. ``--day-parts N`` cuts that
date's files into N parts by referral (rows without a referral by person), so that a referral
travels with its contacts, clocks and assessments, and takes one part as the day: with N = 30 a
365th of the year with its resends, as a daily flow sends it. ``--reuse-store`` keeps the store
of an earlier ``--keep`` run in W (skipping the full ingest) and loads the day into a hard-linked
copy of it, so that the day can be measured again, on new code, against the same store.

After each ingest step, its breakdown: the wall seconds of staging (the identifier guard's own
share in brackets), each table's load, the facts (when the load keeps them), the export, the
providers' feedback pages and the rest (start-up, file checks, history, switch), read from the
"step timings" message the ingest logs to its ``--log-file`` (ingest/report.py).

Work goes to --out (default benchmarks/out/ingest_vs_duckdb), removed afterwards unless --keep,
except steps.log (what each step printed). Exit code 0 when every step that ran ended with 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

#: What each step printed, in the work folder (kept).
LOG = "steps.log"
#: The exit code shown for a step that was not run.
SKIPPED = -1
#: Submission files: <table>_<org>_<YYYYMMDD>.<csv|csv.gz|parquet> (workbench.synthetic.writer).
SUFFIXES = (".parquet", ".csv", ".csv.gz")


@dataclass
class Step:
    """One timed step: what ran, how long, its peak memory and how it ended."""

    name: str
    seconds: float
    peak_mb: float
    exit_code: int
    cpu_seconds: float = 0.0
    rows: int | None = None
    note: str = ""


def _submission_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))


def _submission_date(path: Path) -> str:
    stem = path.name
    for suffix in SUFFIXES:
        stem = stem.removesuffix(suffix)
    return stem.rsplit("_", 1)[-1]


def _run(name: str, command: list[str], log: Path) -> Step:
    """Run ``command`` in a fresh process (its output appended to ``log``); time it and read its
    peak memory from wait4."""
    start = time.perf_counter()
    with log.open("a") as handle:
        handle.write(f"$ {' '.join(command)}\n")
        handle.flush()
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime  # with the step's worker processes
    return Step(name, seconds, usage.ru_maxrss / 1024, process.returncode, cpu)


def duckdb_count_rows(folder: Path) -> int:
    """Rows in every submission file below ``folder``, read by DuckDB file by file."""
    import duckdb

    con = duckdb.connect()
    rows = 0
    for path in _submission_files(folder):
        if path.name.endswith(".parquet"):
            query = "SELECT count(*) FROM read_parquet(?)"
        else:
            query = "SELECT count(*) FROM read_csv(?, header = true, all_varchar = true)"
        result = con.execute(query, [str(path)]).fetchone()
        rows += int(result[0]) if result else 0
    return rows


def _baseline(name: str, folder: Path, work: Path) -> Step:
    counted = work / "rows.json"
    command = [sys.executable, __file__, "--count-rows", str(folder), "--rows-to", str(counted)]
    step = _run(name, command, work / LOG)
    if step.exit_code:
        raise SystemExit(f"the DuckDB baseline on {folder} failed (exit code {step.exit_code})")
    step.rows = int(json.loads(counted.read_text())["rows"])
    counted.unlink()
    return step


def _split(data: Path, work: Path) -> tuple[Path, Path, str]:
    """Hard-link the files of the last submission date into DAY and every other file into
    REST; returns (REST, DAY, that date)."""
    files = _submission_files(data)
    if not files:
        raise SystemExit(f"no submission files below {data}")
    last = max(_submission_date(p) for p in files)
    rest, day = work / "rest", work / "day"
    for folder in (rest, day):
        shutil.rmtree(folder, ignore_errors=True)
    for path in files:
        target = (day if _submission_date(path) == last else rest) / path.relative_to(data)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)
    return rest, day, last


def _day_part(day: Path, parts: int) -> None:
    """Keep, in every file below ``day`` (hard links, replaced by new files), one part in
    ``parts`` of its rows, chosen by a hash of the referral id (or the person id)."""
    import duckdb

    con = duckdb.connect()
    for path in _submission_files(day):
        parquet = path.name.endswith(".parquet")
        source = (
            f"read_parquet('{path}')"
            if parquet
            else f"read_csv('{path}', header = true, all_varchar = true)"
        )
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        group = "referral_id" if "referral_id" in columns else "person_id"
        kept = path.with_name("." + path.name)
        options = "FORMAT parquet" if parquet else "FORMAT csv, HEADER true"
        if path.name.endswith(".csv.gz"):
            options += ", COMPRESSION gzip"
        con.execute(
            f"COPY (SELECT * FROM {source} WHERE hash({group}) % {parts} = 0) "
            f"TO '{kept}' ({options})"
        )
        path.unlink()  # a hard link into the submissions: never written through
        kept.rename(path)


def _has_into(workbench: list[str]) -> bool:
    shown = subprocess.run(
        [*workbench, "ingest", "--help"], capture_output=True, text=True, check=False
    )
    return "--into" in shown.stdout


HEADER = (
    f"{'step':<40}{'rows':>12}{'seconds':>9}{'rows/s':>11}{'x base':>8}"
    f"{'CPU s':>8}{'x base':>8}{'peak MB':>9}{'exit':>5}"
)


def _print(step: Step, baseline: Step) -> None:
    """A step and its baseline: wall seconds and CPU seconds (user + system, with worker
    processes), each also as a ratio to the baseline's, and peak memory."""
    rows = baseline.rows or 0
    print(
        f"{baseline.name:<40}{rows:>12,}{baseline.seconds:>9.1f}"
        f"{rows / baseline.seconds:>11,.0f}{1:>8.2f}{baseline.cpu_seconds:>8.1f}{1:>8.2f}"
        f"{baseline.peak_mb:>9,.0f}{baseline.exit_code:>5}"
    )
    if step.exit_code == SKIPPED:
        print(f"{step.name:<40}  {step.note}")
    else:
        print(
            f"{step.name:<40}{rows:>12,}{step.seconds:>9.1f}{rows / step.seconds:>11,.0f}"
            f"{step.seconds / baseline.seconds:>8.2f}{step.cpu_seconds:>8.1f}"
            f"{step.cpu_seconds / max(baseline.cpu_seconds, 1e-9):>8.2f}"
            f"{step.peak_mb:>9,.0f}{step.exit_code:>5}"
        )
    sys.stdout.flush()


#: The start of the log message with an ingest's step timings (workbench.ingest.report).
TIMINGS_LOG = "step timings: "


def step_timings(log_file: Path) -> dict | None:
    """The last step timings an ingest logged to ``log_file`` (None: none logged)."""
    if not log_file.is_file():
        return None
    found = None
    for line in log_file.read_text(encoding="utf-8").splitlines():
        if TIMINGS_LOG in line:
            found = json.loads(line.split(TIMINGS_LOG, 1)[1])
    return found


def breakdown(timings: dict, total: float) -> list[tuple[str, float]]:
    """An ingest's steps and their wall seconds, in the order they run, from its step timings;
    the last is the rest of the step's ``total`` seconds."""
    guard = timings.get("guard_seconds", 0.0)
    rows = [(f"staging (guard {guard:.1f} s)", timings.get("staging_seconds", 0.0))]
    rows += [(f"load {name}", s) for name, s in timings.get("load_seconds", {}).items()]
    for key in ("facts", "export", "feedback"):
        if f"{key}_seconds" in timings:
            rows.append((key, timings[f"{key}_seconds"]))
    rows.append(("rest: start-up, checks, history, switch", total - sum(s for _, s in rows)))
    return rows


def _print_breakdown(step: Step, log_file: Path) -> None:
    """Print ``step``'s breakdown (an ingest that logged its step timings to ``log_file``)."""
    timings = step_timings(log_file)
    if timings is None:
        print(f"  {step.name}: no step timings in {log_file}")
        return
    for name, seconds in breakdown(timings, step.seconds):
        print(f"  {name:<38}{seconds:>21.1f}{seconds / max(step.seconds, 1e-9):>11.0%}")
    sys.stdout.flush()


def _record(steps: list[tuple[Step, Step]], step: Step, baseline: Step) -> None:
    steps.append((step, baseline))
    _print(step, baseline)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="national", help="generator preset (default national)")
    parser.add_argument(
        "--providers", type=int, help="generate only this many providers (default: the preset's)"
    )
    parser.add_argument("--workers", type=int, default=2, help="generator processes (default 2)")
    parser.add_argument("--cadence", choices=("daily", "monthly"), help="default: the preset's")
    parser.add_argument("--memory-limit", help="DuckDB memory limit for ingest, e.g. 8GB")
    parser.add_argument("--out", type=Path, help="work folder")
    parser.add_argument("--keep", action="store_true", help="keep the data and stores")
    parser.add_argument(
        "--submissions", type=Path, help="use these submissions instead of generating"
    )
    parser.add_argument(
        "--day-parts",
        type=int,
        default=1,
        help="cut the last date's files into this many parts and load one (30: a day)",
    )
    parser.add_argument(
        "--reuse-store",
        action="store_true",
        help="skip the full ingest: load the day into a copy of the store a --keep run left",
    )
    parser.add_argument("--count-rows", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rows-to", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.count_rows:  # the baseline, run in its own process by _baseline
        args.rows_to.write_text(json.dumps({"rows": duckdb_count_rows(args.count_rows)}))
        return 0

    workbench = [sys.executable, "-m", "workbench"]
    work = args.out or Path(__file__).parent / "out" / "ingest_vs_duckdb"
    work.mkdir(parents=True, exist_ok=True)
    (work / LOG).unlink(missing_ok=True)
    data = args.submissions or work / "submissions"
    steps: list[tuple[Step, Step]] = []
    print(HEADER)
    try:
        if not _generate_or_count(args, workbench, data, work, steps):
            return 1
        rest, day, last = _split(data, work)
        if args.day_parts > 1:
            _day_part(day, args.day_parts)
            last = f"{last}, 1 part in {args.day_parts}"
        limit = ["--memory-limit", args.memory_limit] if args.memory_limit else []
        full, into, reused = _full_ingest(args, workbench, rest, work, limit, steps)
        day_rows = _day_load(workbench, day, last, into, full, work, limit, steps)
        if not reused:  # the store's rows were counted in this run
            total = sum(b.rows or 0 for _, b in steps[-2:])
            print(
                f"\nlast submission date {last}: {day_rows:,} of {total:,} rows "
                f"({day_rows / max(total, 1):.2%}; a 365th is 0.27%)"
            )
    finally:
        if not args.keep:
            for name in ("rest", "day", "store", "store-day"):
                shutil.rmtree(work / name, ignore_errors=True)
            if not args.submissions:
                shutil.rmtree(data, ignore_errors=True)
    print(f"what each step printed: {work / LOG}")
    return 0 if all(step.exit_code in (0, SKIPPED) for step, _ in steps) else 1


def _generate_or_count(
    args: argparse.Namespace,
    workbench: list[str],
    data: Path,
    work: Path,
    steps: list[tuple[Step, Step]],
) -> bool:
    """Generate the submissions (a step against its baseline), or count the given ones;
    False when generating failed."""
    if args.submissions:
        whole = _baseline("baseline: DuckDB reads every file", data, work)
        print(f"{len(_submission_files(data)):,} files, {whole.rows:,} rows")
        return True
    command = [*workbench, "generate", str(data), "--scale", args.scale, "--overwrite"]
    command += ["--workers", str(args.workers), "--quiet"]
    if args.providers:
        command += ["--providers", str(args.providers)]
    if args.cadence:
        command += ["--cadence", args.cadence]
    generated = _run(f"generate ({args.workers} workers)", command, work / LOG)
    if generated.exit_code:
        print(f"generate failed (exit code {generated.exit_code}): see {work / LOG}")
        return False
    _record(steps, generated, _baseline("baseline: DuckDB reads every file", data, work))
    return True


def _full_ingest(
    args: argparse.Namespace,
    workbench: list[str],
    rest: Path,
    work: Path,
    limit: list[str],
    steps: list[tuple[Step, Step]],
) -> tuple[Step, Path, bool]:
    """The full ingest of all but the last date (or, with --reuse-store, the store an earlier
    run kept); returns that step, the store the day goes into and whether it was reused."""
    store = work / "store"
    if args.reuse_store and ((store / "CURRENT").is_file() or (store / "current").is_symlink()):
        into = work / "store-day"
        shutil.rmtree(into, ignore_errors=True)
        subprocess.run(["cp", "-al", str(store), str(into)], check=True)
        print(f"reusing {store}; the day goes into a hard-linked copy, {into}")
        return Step("full ingest (reused)", 0.0, 0.0, 0), into, True
    shutil.rmtree(store, ignore_errors=True)
    log_file = work / "ingest-full.log"
    log_file.unlink(missing_ok=True)
    full = _run(
        "full ingest (all but the last date)",
        [*workbench, "ingest", str(rest), "--out", str(store), "--quiet", *limit]
        + ["--log-file", str(log_file)],
        work / LOG,
    )
    _record(steps, full, _baseline("baseline: DuckDB reads those files", rest, work))
    _print_breakdown(full, log_file)
    if args.keep:  # the store as built, for --reuse-store
        shutil.rmtree(work / "store-day", ignore_errors=True)
        subprocess.run(["cp", "-al", str(store), str(work / "store-day")], check=True)
        return full, work / "store-day", False
    return full, store, False


def _day_load(
    workbench: list[str],
    day: Path,
    last: str,
    into: Path,
    full: Step,
    work: Path,
    limit: list[str],
    steps: list[tuple[Step, Step]],
) -> int:
    """The last date's files loaded --into the store against their baseline (skipped, with a
    note, when the full ingest failed or ``ingest`` has no --into); returns the day's rows."""
    day_baseline = _baseline(f"baseline: DuckDB reads the {last} files", day, work)
    if full.exit_code != 0:
        note = f"skipped: the full ingest ended with exit code {full.exit_code}"
        skipped = Step("one day --into the store", 0.0, 0.0, SKIPPED, note=note)
        _record(steps, skipped, day_baseline)
    elif not _has_into(workbench):
        note = "skipped: this workbench's `ingest` has no --into option (incremental loads)"
        skipped = Step("one day --into the store", 0.0, 0.0, SKIPPED, note=note)
        _record(steps, skipped, day_baseline)
    else:
        log_file = work / "ingest-day.log"
        log_file.unlink(missing_ok=True)
        day_step = _run(
            f"one day ({last}) --into the store",
            [*workbench, "ingest", str(day), "--into", str(into), "--quiet", *limit]
            + ["--log-file", str(log_file)],
            work / LOG,
        )
        _record(steps, day_step, day_baseline)
        _print_breakdown(day_step, log_file)
    return day_baseline.rows or 0


if __name__ == "__main__":
    sys.exit(main())
