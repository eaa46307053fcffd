"""Benchmark: `workbench compute` (every aggregate table) against hand-written DuckDB SQL.

The baseline is what an analyst would write by hand for the two headline waiting time tables:
the waiting list at each of 12 month ends (count, wait bands, median, 92nd percentile) and
completed waits by month, at provider, ICB, region and England, with GROUPING SETS, straight
from the store's Parquet tables. The workbench computes all of its aggregate tables (waits,
urgent response, data quality, outcomes) for every level and breakdown. Each run is a fresh
process, so its peak memory (resident set) is its own; the runs share the machine at the same
time of day, so the ratio is the figure to read:

- ``sql``: the hand-written baseline;
- ``compute, facts built``: `workbench compute` on a store without facts, so it builds the
  record-level facts first (what the first compute after a load costs);
- ``compute, facts reused``: `workbench compute` again (what a re-run for another period costs);
- with ``--strategies``, also ``compute`` with every aggregate as a union of group-bys instead
  of one GROUPING SETS query (the choice this benchmark made: see the README).

    python benchmarks/compute_vs_sql.py STORE
    python benchmarks/compute_vs_sql.py --generate 10x20000   # 10 providers x 20,000 a year
    python benchmarks/compute_vs_sql.py data/store --strategies

The waiting list and completed waits of the two are checked equal at every level.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing as mp
import os
import resource
import shutil
import sys
import time
from pathlib import Path

BANDS = ((0, 7), (8, 14), (15, 28), (29, 84), (85, 126), (127, 364), (365, None))


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def baseline_sql(store: str, start: str, end: str, memory: str) -> str:
    """The hand-written SQL: pathways from the raw tables, then two GROUPING SETS queries."""
    bands = ",\n".join(
        f"  count(*) FILTER (WHERE wait >= {lo}"
        + (f" AND wait <= {hi})" if hi is not None else ")")
        + f" AS band_{i}"
        for i, (lo, hi) in enumerate(BANDS)
    )
    from workbench.store_layout import current_version, live_rows_sql

    version = current_version(store)

    def rows(name: str) -> str:  # the table's live rows: its segments less deleted rows
        return f"({live_rows_sql(version, 'tables', name)})"

    return f"""
SET memory_limit = '{memory}';
CREATE TEMP TABLE geo AS SELECT * FROM geography_frame;
CREATE TEMP TABLE pathways AS
WITH r AS (
  SELECT provider_code, referral_id, person_id, referral_received_date AS start,
         least(referral_closure_date, referral_rejection_date, service_discharge_date) AS removal0
  FROM {rows("referrals")} WHERE referral_received_date IS NOT NULL
), stops AS (
  SELECT c.provider_code, c.referral_id, min(c.contact_date) AS stop
  FROM {rows("care_contacts")} c
  JOIN r USING (provider_code, referral_id)
  WHERE c.attendance_status IN ('5', '6') AND c.contact_date >= r.start
  GROUP BY ALL
), p AS (
  SELECT r.*, s.stop,
         CASE WHEN removal0 < start THEN start ELSE removal0 END AS removal
  FROM r LEFT JOIN stops s USING (provider_code, referral_id)
)
SELECT p.provider_code AS provider, coalesce(g.icb, 'Not known') AS icb,
       coalesce(g.region, 'Not known') AS region, start,
       stop IS NOT NULL AND (removal IS NULL OR stop <= removal) AS seen,
       CASE WHEN stop IS NOT NULL AND (removal IS NULL OR stop <= removal) THEN stop
            ELSE removal END AS exit_date
FROM p
LEFT JOIN {rows("mpi")} m USING (provider_code, person_id)
LEFT JOIN geo g ON g.lsoa = m.lsoa_2011;
CREATE TEMP TABLE months AS
SELECT (d + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS census
FROM range(DATE '{start}', DATE '{end}' + INTERVAL 1 DAY, INTERVAL 1 MONTH) r(d);
CREATE TEMP TABLE waiting_list AS
WITH w AS (
  SELECT p.provider, p.icb, p.region, m.census, m.census - p.start AS wait
  FROM pathways p JOIN months m
    ON p.start <= m.census AND (p.exit_date IS NULL OR p.exit_date > m.census)
)
SELECT provider, icb, region, census, grouping(provider, icb, region) AS g,
  count(*) AS waiting,
{bands},
  quantile_cont(wait, 0.5) AS median_days, quantile_cont(wait, 0.92) AS p92_days
FROM w
GROUP BY GROUPING SETS ((provider, census), (icb, census), (region, census), (census));
CREATE TEMP TABLE completed_waits AS
WITH d AS (
  SELECT provider, icb, region, strftime(exit_date, '%Y-%m') AS month, exit_date - start AS wait
  FROM pathways WHERE seen AND exit_date BETWEEN DATE '{start}' AND DATE '{end}'
)
SELECT provider, icb, region, month, grouping(provider, icb, region) AS g, count(*) AS completed,
  avg(wait) AS mean_days, quantile_cont(wait, 0.5) AS median_days,
  quantile_cont(wait, 0.92) AS p92_days, count(*) FILTER (WHERE wait <= 126) AS within_18_weeks
FROM d
GROUP BY GROUPING SETS ((provider, month), (icb, month), (region, month), (month));
"""


def _run_sql(store: str, start: str, end: str, memory: str) -> tuple[float, float, dict]:
    import duckdb

    from workbench.geography import _geography_frame

    began = time.perf_counter()
    con = duckdb.connect()
    con.register("geography_frame", _geography_frame())
    con.execute(baseline_sql(store, start, end, memory))
    frames = {
        name: con.sql(f"SELECT * FROM {name}").df() for name in ("waiting_list", "completed_waits")
    }
    return time.perf_counter() - began, _peak_mb(), frames


def _run_compute(
    store: str, out: str, clear_facts: bool, strategy: str | None
) -> tuple[float, float, dict]:
    if strategy:
        os.environ["WORKBENCH_GROUPING"] = strategy
    from workbench import load_store
    from workbench.compute import compute
    from workbench.facts.cache import facts_folder

    began = time.perf_counter()
    opened = load_store(store)
    if clear_facts:
        shutil.rmtree(facts_folder(opened), ignore_errors=True)
    manifest = compute(opened, out, progress=False)
    return time.perf_counter() - began, _peak_mb(), manifest


def _fresh(fn, *args):
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def _check_equal(sql: dict, out: Path) -> None:
    """The workbench's waiting list at month ends and completed waits by month equal the
    baseline's at every level."""
    import numpy as np
    import pandas as pd

    checks = (
        ("waiting_list", "waiting_list_monthly", ["waiting", "median_days", "p92_days"]),
        ("completed_waits", "completed_waits", ["completed", "median_days", "p92_days"]),
    )
    for name, table, columns in checks:
        base = sql[name]
        ours = pd.read_parquet(out / f"{table}.parquet")
        if table == "completed_waits":
            ours = ours[ours["breakdown"].isin(["month"])]
        # grouping(provider, icb, region): 4, 2 and 1 for each column rolled up
        for bits, level in ((3, "provider"), (5, "icb"), (6, "region"), (7, "england")):
            b = base[base["g"] == bits]
            o = ours[ours["level"] == level]
            assert len(b) == len(o), (table, level, len(b), len(o))
            for col in columns:
                x = np.sort(b[col].to_numpy(dtype=float))
                y = np.sort(o[col].to_numpy(dtype=float))
                assert np.allclose(x, y, atol=1e-9, equal_nan=True), (table, level, col)


def _generate(spec: str, folder: Path) -> Path:
    import dataclasses

    from workbench.ingest import ingest
    from workbench.synthetic import SCALES, generate

    providers, per_year = (int(x) for x in spec.lower().split("x"))
    config = dataclasses.replace(
        SCALES["national"], providers=providers, referrals_per_provider_year=per_year
    )
    generate(folder / "submissions", config, progress=True, workers=2, overwrite=True)
    ingest(folder / "submissions", folder / "store", progress=True)
    return folder / "store"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", nargs="?", type=Path, help="a store from `workbench ingest`")
    parser.add_argument(
        "--generate",
        metavar="PxN",
        help="generate and ingest P providers x N referrals a year first (e.g. 10x20000)",
    )
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / "out" / "compute")
    parser.add_argument("--memory", default="6GB", help="DuckDB memory limit of the SQL baseline")
    parser.add_argument(
        "--strategies", action="store_true", help="also time compute as a union of group-bys"
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    store = args.store
    if args.generate:
        store = _fresh(_generate, args.generate, args.work)
    if store is None:
        parser.error("give a STORE or --generate PxN")
    store = Path(store).resolve()

    from workbench.period import Period
    from workbench.store import load_report

    period = Period.default_for(load_report(store))
    start, end = period.start.isoformat(), period.end.isoformat()
    out = args.work / "aggregates"

    rows = []
    sql_s, sql_mb, sql = _fresh(_run_sql, str(store), start, end, args.memory)
    rows.append(("sql: waiting list at 12 month ends + completed by month", sql_s, sql_mb))
    cold_s, cold_mb, manifest = _fresh(_run_compute, str(store), str(out), True, None)
    rows.append(("compute, facts built", cold_s, cold_mb))
    _check_equal(sql, out)
    warm_s, warm_mb, _ = _fresh(_run_compute, str(store), str(out), False, None)
    rows.append(("compute, facts reused", warm_s, warm_mb))
    if args.strategies:
        union_s, union_mb, _ = _fresh(_run_compute, str(store), str(out), False, "union")
        rows.append(("compute, facts reused, union of group-bys", union_s, union_mb))

    report = load_report(store)
    loaded = {t: v["loaded"] for t, v in report["tables"].items()}
    print()
    print(
        f"store {store}: {loaded.get('referrals', 0):,} referrals, "
        f"{loaded.get('care_contacts', 0):,} contacts; period {start} to {end}; "
        f"{len(manifest['tables'])} aggregate tables"
    )
    print(f"{'run':<58}{'seconds':>9}{'peak MB':>10}{'x sql':>8}")
    for name, secs, mb in rows:
        print(f"{name:<58}{secs:>9.1f}{mb:>10,.0f}{secs / sql_s:>8.2f}")
    print("waiting list and completed waits: workbench = SQL at every level")
    return 0


if __name__ == "__main__":
    sys.exit(main())
