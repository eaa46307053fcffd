"""Benchmark: one day's submissions added to a store (``ingest --into``) against rebuilding the
store from every file (``ingest --out``), and the store formats of docs/store_format.md.

The submissions in --submissions are split by submission date: the last --days dates are "the
day", the rest build the store. Timings on a shared machine are noisy, so each is printed as a
ratio to a baseline timed in the same run: DuckDB reading the day's files once (the least any
load of them must do). Then the same day is applied to the other candidate format, a DuckDB
database file (delete the day's keys, insert the day's rows) plus the Parquet export Spark
readers would need, so the two formats are compared on the same data in the same run. Last, what
the day wrote into the store (files not hard-linked from the version before) and how many stored
rows its deletion files name instead of rewriting their segments (docs/store_format.md).

    python benchmarks/daily_load.py --submissions data/synthetic/sample
    python benchmarks/daily_load.py --submissions DIR --days 3 --out /tmp/daily --keep

Everything goes to --out (default benchmarks/out/daily), removed afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy(source, target)


def _split(source: Path, out: Path, days: int) -> tuple[Path, Path, Path, list[Path]]:
    """The files of ``source`` as three folders: the store's (base), the day's, and all."""
    from workbench.ingest.discover import discover_submissions

    files = discover_submissions(source)
    last = sorted({f.submission_date for f in files})[-days:]
    base, day, every = out / "base", out / "day", out / "all"
    day_files = []
    for f in files:
        relative = f.path.relative_to(source)
        target = (day if f.submission_date in last else base) / relative
        _place(f.path, target)
        _place(f.path, every / relative)
        if f.submission_date in last:
            day_files.append(target)
    return base, day, every, day_files


def _timed(step: str, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"  {step:<58}{seconds:>9.2f} s", flush=True)
    return seconds


def _baseline(day_files: list[Path]) -> None:
    import duckdb

    with duckdb.connect() as con:
        for path in day_files:
            reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
            opts = "" if reader == "read_parquet" else ", all_varchar = true"
            con.execute(f"SELECT count(*) FROM {reader}('{path}'{opts})").fetchone()


def _duckdb_file(store: Path, db: Path) -> None:
    """The other format: every loaded table copied into one DuckDB database file."""
    import duckdb

    from workbench.spec import TABLES
    from workbench.store_layout import current_version, live_rows_sql

    version = current_version(store)
    with duckdb.connect(str(db)) as con:
        for name in TABLES:
            con.execute(f"CREATE TABLE {name} AS {live_rows_sql(version, 'tables', name)}")


def _duckdb_file_apply(store: Path, db: Path, load: int) -> None:
    """Apply one load's loaded rows to the DuckDB file: delete their keys, insert them."""
    import duckdb

    from workbench.ingest.validate import quote
    from workbench.spec import TABLES
    from workbench.store_layout import current_version, segment_folder, segment_name

    version = current_version(store)
    with duckdb.connect(str(db)) as con:
        for name, table in TABLES.items():
            segment = segment_folder(version, "tables", name) / segment_name(load)
            if not segment.exists():
                continue
            keys = ", ".join(quote(c) for c in table.key)
            con.execute(f"CREATE TEMP TABLE day AS SELECT * FROM read_parquet('{segment}')")
            con.execute(f"DELETE FROM {name} WHERE ({keys}) IN (SELECT ({keys}) FROM day)")
            con.execute(f"INSERT INTO {name} SELECT * FROM day")
            con.execute("DROP TABLE day")


def _duckdb_file_export(db: Path, out: Path) -> None:
    """What a DuckDB file store must also do for Spark readers: write every table to Parquet."""
    import duckdb

    from workbench.spec import TABLES

    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db), read_only=True) as con:
        for name in TABLES:
            con.execute(f"COPY {name} TO '{out / name}.parquet' (FORMAT parquet)")


def _size_mb(path: Path) -> float:
    seen, total = set(), 0
    for p in [path] if path.is_file() else path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            stat = p.stat()
            if stat.st_ino not in seen:
                seen.add(stat.st_ino)
                total += stat.st_size
    return total / 1e6


def _written_mb(version: Path, suffix: str) -> float:
    """What a load wrote into its version, in files ending ``suffix`` (all when empty): the
    files not hard-linked from the version before."""
    return (
        sum(
            p.stat().st_size
            for p in version.rglob(f"*{suffix}")
            if p.is_file() and not p.is_symlink() and p.stat().st_nlink == 1
        )
        / 1e6
    )


def _deleted_rows(version: Path) -> int:
    """Rows the version's deletion files name (store_layout.py), over every load."""
    import pyarrow.parquet as pq

    from workbench.store_layout import DELETED

    return sum(pq.ParquetFile(p).metadata.num_rows for p in (version / DELETED).rglob("*.parquet"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=Path, required=True)
    parser.add_argument("--days", type=int, default=1, help="submission dates in the day")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/daily"))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("WORKBENCH_PROGRESS", "0")
    from workbench import load_store
    from workbench.facts import build_facts
    from workbench.facts.carry import carry_facts
    from workbench.ingest import ingest
    from workbench.store_layout import current_version

    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    try:
        base, day, every, day_files = _split(args.submissions, args.out, args.days)
        print(f"{len(day_files)} file(s) in the day; the rest build the store")
        store, full = args.out / "store", args.out / "full"
        _timed("store from every file but the day's (--out)", lambda: ingest(base, store, False))
        build_facts(load_store(store))  # as compute leaves them: the day's load keeps them
        baseline = _timed(
            "baseline: DuckDB reads the day's files once", lambda: _baseline(day_files)
        )
        daily = _timed(
            "the day into the store (--into, facts kept)",
            lambda: ingest(day, store, False, into=True, keep_facts=carry_facts),
        )
        rebuild = _timed(
            "the store rebuilt from every file (--out)", lambda: ingest(every, full, False)
        )
        db = args.out / "store.duckdb"
        base_db = args.out / "base_store"
        ingest(base, base_db, False)
        _timed(
            "DuckDB file: made from the store's tables (once)", lambda: _duckdb_file(base_db, db)
        )
        apply = _timed(
            "DuckDB file: the day's loaded rows applied", lambda: _duckdb_file_apply(store, db, 2)
        )
        export = _timed(
            "DuckDB file: Parquet export for Spark",
            lambda: _duckdb_file_export(db, args.out / "export"),
        )
        print()
        print(f"  --into / baseline read of the day   {daily / baseline:8.1f} x")
        print(f"  rebuild / baseline read of the day  {rebuild / baseline:8.1f} x")
        print(f"  --into / rebuild                    {daily / rebuild:8.2f} x")
        print(
            f"  DuckDB file apply + export / --into {(apply + export) / daily:8.2f} x (apply alone "
            f"{apply / daily:.2f} x; the apply does not validate)"
        )
        print(
            f"  sizes: Parquet store version {_size_mb(current_version(store)):.1f} MB (both "
            f"versions {_size_mb(store / 'versions'):.1f} MB, unchanged segments not copied); "
            f"DuckDB "
            f"file {_size_mb(db):.1f} MB + export {_size_mb(args.out / 'export'):.1f} MB"
        )
        version = current_version(store)
        print(
            f"  the day wrote {_written_mb(version, '.parquet'):.2f} MB of Parquet (segments, "
            f"deletion files, pending) and {_written_mb(version, ''):.2f} MB in all into the "
            f"{_size_mb(version):.1f} MB version folder (the rest named where it is); its deletion "
            f"files name {_deleted_rows(version):,} stored rows"
        )
    finally:
        if not args.keep:
            shutil.rmtree(args.out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
