"""Benchmark: the workbench's waits and data quality measures against two baselines.

The same three measures, by provider, computed three ways over the same store, each in a fresh
process (so peak memory is its own), with their results checked equal:

1. the workbench (Ibis on DuckDB: ``waiting_list``, ``completed_waits``, ``ethnicity_quality``);
2. idiomatic plain pandas (read the Parquet tables, merge, group by);
3. hand-written DuckDB SQL over the same Parquet files.

Machines here are shared and noisy, so the script prints ratios between the three timed in the
same run: pandas time / workbench time (target: at least 5) and workbench time / SQL time
(target: at most 1.5), with each one's peak memory (target: under 8 GB).

    python benchmarks/measures_vs_baselines.py STORE [--period-start D --period-end D]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

import pandas as pd

KEY = ["provider_code", "referral_id"]


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return own / 1024


# ---------------------------------------------------------------- the workbench
def run_workbench(store: str, start: str, end: str) -> dict[str, pd.DataFrame]:
    from workbench import load_store
    from workbench.measures import dq, waits

    s = load_store(store)
    wl = waits.waiting_list(s, end, by="provider")
    cw = waits.completed_waits(s, start, end, by="provider")
    eq = dq.ethnicity_quality(s, start, end, by="provider")
    return {
        "waiting_list": wl[["provider", "waiting", "over_52_weeks", "median_days", "p92_days"]],
        "completed_waits": cw[
            ["provider", "completed", "within_18_weeks", "median_days", "p92_days"]
        ],
        "ethnicity": eq[
            ["provider", "records", "known", "not_stated", "not_known", "missing", "invalid"]
        ],
    }


# ---------------------------------------------------------------- plain pandas
def run_pandas(store: str, start: str, end: str) -> dict[str, pd.DataFrame]:
    tables = Path(store) / "tables"
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    refs, paths = _pandas_paths(tables)
    rename = {"provider_code": "provider"}
    return {
        "waiting_list": _pandas_waiting_list(paths, e).rename(columns=rename),
        "completed_waits": _pandas_completed_waits(paths, s, e).rename(columns=rename),
        "ethnicity": _pandas_ethnicity(tables, refs, s, e).rename(columns=rename),
    }


def _pandas_paths(tables: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Referrals with dates, and each referral's pathway: its clock stop (first attended
    contact on or after receipt), removal, whether it was seen and the day it left the list."""
    refs = pd.read_parquet(
        tables / "referrals",
        columns=[
            *KEY,
            "person_id",
            "referral_received_date",
            "referral_closure_date",
            "referral_rejection_date",
            "service_discharge_date",
        ],
    )
    for col in refs.columns[3:]:
        refs[col] = pd.to_datetime(refs[col])
    refs = refs[refs["referral_received_date"].notna()]
    contacts = pd.read_parquet(
        tables / "care_contacts", columns=[*KEY, "contact_date", "attendance_status"]
    )
    contacts = contacts[contacts["attendance_status"].isin(["5", "6"])]
    contacts["contact_date"] = pd.to_datetime(contacts["contact_date"])
    seen = contacts.merge(refs[[*KEY, "referral_received_date"]], on=KEY)
    seen = seen[seen["contact_date"] >= seen["referral_received_date"]]
    stops = seen.groupby(KEY, as_index=False)["contact_date"].min()
    stops = stops.rename(columns={"contact_date": "clock_stop"})
    paths = refs.merge(stops, on=KEY, how="left")
    removal = paths[
        ["referral_closure_date", "referral_rejection_date", "service_discharge_date"]
    ].min(axis=1)
    removal = removal.where(
        removal >= paths["referral_received_date"],
        paths["referral_received_date"].where(removal.notna()),
    )
    paths["seen"] = paths["clock_stop"].notna() & (
        removal.isna() | (paths["clock_stop"] <= removal)
    )
    paths["exit"] = paths["clock_stop"].where(paths["seen"], removal)
    return refs, paths


def _pandas_waiting_list(paths: pd.DataFrame, e: pd.Timestamp) -> pd.DataFrame:
    """Waiting at the end of the period, by provider: count, over 52 weeks, median, 92nd."""
    waiting = paths[
        (paths["referral_received_date"] <= e) & (paths["exit"].isna() | (paths["exit"] > e))
    ].copy()
    waiting["wait"] = (e - waiting["referral_received_date"]).dt.days
    return (
        waiting.groupby("provider_code")["wait"]
        .agg(
            waiting="size",
            over_52_weeks=lambda w: int((w >= 365).sum()),
            median_days="median",
            p92_days=lambda w: w.quantile(0.92),
        )
        .reset_index()
    )


def _pandas_completed_waits(paths: pd.DataFrame, s: pd.Timestamp, e: pd.Timestamp) -> pd.DataFrame:
    """Waits completed in the period, by provider: count, within 18 weeks, median, 92nd."""
    done = paths[paths["seen"] & paths["clock_stop"].between(s, e)].copy()
    done["wait"] = (done["clock_stop"] - done["referral_received_date"]).dt.days
    return (
        done.groupby("provider_code")["wait"]
        .agg(
            completed="size",
            within_18_weeks=lambda w: int((w <= 126).sum()),
            median_days="median",
            p92_days=lambda w: w.quantile(0.92),
        )
        .reset_index()
    )


def _pandas_ethnicity(
    tables: Path, refs: pd.DataFrame, s: pd.Timestamp, e: pd.Timestamp
) -> pd.DataFrame:
    """Ethnic category of the people active in the period (referred or in contact), by
    provider: records, known, not stated, not known, missing, invalid."""
    mpi = pd.read_parquet(tables / "mpi", columns=["provider_code", "person_id", "ethnic_category"])
    received = refs[refs["referral_received_date"].between(s, e)][["provider_code", "person_id"]]
    all_contacts = pd.read_parquet(tables / "care_contacts", columns=[*KEY, "contact_date"])
    all_contacts = all_contacts[pd.to_datetime(all_contacts["contact_date"]).between(s, e)]
    contacted = all_contacts.merge(refs[[*KEY, "person_id"]], on=KEY)[
        ["provider_code", "person_id"]
    ]
    active = pd.concat([received, contacted]).drop_duplicates()
    people = mpi.merge(active, on=["provider_code", "person_id"])
    code = people["ethnic_category"]
    missing = code.isna() | (code.str.strip() == "")
    people = people.assign(
        known=code.isin(list("ABCDEFGHJKLMNPRS")),
        not_stated=code.eq("Z"),
        not_known=code.eq("99"),
        missing=missing,
        invalid=~missing & ~code.isin(list("ABCDEFGHJKLMNPRS") + ["Z", "99"]),
    )
    return (
        people.groupby("provider_code")
        .agg(
            records=("person_id", "size"),
            known=("known", "sum"),
            not_stated=("not_stated", "sum"),
            not_known=("not_known", "sum"),
            missing=("missing", "sum"),
            invalid=("invalid", "sum"),
        )
        .reset_index()
    )


# ---------------------------------------------------------------- hand-written SQL
SQL_PATHS = """
CREATE TEMP TABLE paths AS
WITH refs AS (
  SELECT provider_code, referral_id, person_id, referral_received_date AS received,
         least(referral_closure_date, referral_rejection_date, service_discharge_date) AS r
  FROM read_parquet('{t}/referrals/*.parquet') WHERE referral_received_date IS NOT NULL
), stops AS (
  SELECT c.provider_code, c.referral_id, min(c.contact_date) AS stop
  FROM read_parquet('{t}/care_contacts/*.parquet') c
  JOIN refs USING (provider_code, referral_id)
  WHERE c.attendance_status IN ('5', '6') AND c.contact_date >= refs.received
  GROUP BY ALL
), j AS (
  SELECT refs.*, stops.stop, CASE WHEN r < received THEN received ELSE r END AS removal
  FROM refs LEFT JOIN stops USING (provider_code, referral_id)
)
SELECT *, stop IS NOT NULL AND (removal IS NULL OR stop <= removal) AS seen,
       CASE WHEN stop IS NOT NULL AND (removal IS NULL OR stop <= removal) THEN stop
            ELSE removal END AS exit_date
FROM j
"""


def run_sql(store: str, start: str, end: str) -> dict[str, pd.DataFrame]:
    import duckdb

    t = Path(store) / "tables"
    from workbench.engine import duckdb_memory_limit

    con = duckdb.connect(config={"memory_limit": duckdb_memory_limit()})
    con.execute(SQL_PATHS.format(t=t))
    wl = con.execute(f"""
        SELECT provider_code AS provider, count(*) AS waiting,
               count(*) FILTER (WHERE w >= 365) AS over_52_weeks,
               quantile_cont(w, 0.5) AS median_days, quantile_cont(w, 0.92) AS p92_days
        FROM (SELECT provider_code, DATE '{end}' - received AS w FROM paths
              WHERE received <= DATE '{end}' AND (exit_date IS NULL OR exit_date > DATE '{end}'))
        GROUP BY ALL ORDER BY 1""").df()
    cw = con.execute(f"""
        SELECT provider_code AS provider, count(*) AS completed,
               count(*) FILTER (WHERE w <= 126) AS within_18_weeks,
               quantile_cont(w, 0.5) AS median_days, quantile_cont(w, 0.92) AS p92_days
        FROM (SELECT provider_code, stop - received AS w FROM paths
              WHERE seen AND stop BETWEEN DATE '{start}' AND DATE '{end}')
        GROUP BY ALL ORDER BY 1""").df()
    eq = con.execute(f"""
        WITH active AS (
          SELECT provider_code, person_id FROM read_parquet('{t}/referrals/*.parquet')
          WHERE referral_received_date BETWEEN DATE '{start}' AND DATE '{end}'
          UNION
          SELECT c.provider_code, r.person_id FROM read_parquet('{t}/care_contacts/*.parquet') c
          JOIN read_parquet('{t}/referrals/*.parquet') r USING (provider_code, referral_id)
          WHERE c.contact_date BETWEEN DATE '{start}' AND DATE '{end}'
        )
        SELECT provider_code AS provider, count(*) AS records,
          count(*) FILTER (WHERE e IN ('A','B','C','D','E','F','G','H','J','K','L','M','N','P',
                                       'R','S')) AS known,
          count(*) FILTER (WHERE e = 'Z') AS not_stated,
          count(*) FILTER (WHERE e = '99') AS not_known,
          count(*) FILTER (WHERE e IS NULL OR trim(e) = '') AS missing,
          count(*) FILTER (WHERE e IS NOT NULL AND trim(e) <> '' AND e NOT IN
            ('A','B','C','D','E','F','G','H','J','K','L','M','N','P','R','S','Z','99'))
            AS invalid
        FROM (SELECT m.provider_code, m.ethnic_category AS e
              FROM read_parquet('{t}/mpi/*.parquet') m SEMI JOIN active
              USING (provider_code, person_id))
        GROUP BY ALL ORDER BY 1""").df()
    return {"waiting_list": wl, "completed_waits": cw, "ethnicity": eq}


def _timed(name: str, store: str, start: str, end: str):
    fn = {"workbench": run_workbench, "pandas": run_pandas, "sql": run_sql}[name]
    import duckdb  # noqa: F401  (imports are not what is being timed)

    import workbench.measures.dq  # noqa: F401
    import workbench.measures.waits  # noqa: F401

    began = time.perf_counter()
    result = fn(store, start, end)
    return time.perf_counter() - began, _peak_mb(), result


def _fresh(name: str, store: str, start: str, end: str):
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(_timed, name, store, start, end).result()


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    a = a.sort_values("provider").reset_index(drop=True).astype("float64", errors="ignore")
    b = b.sort_values("provider").reset_index(drop=True)[list(a.columns)]
    b = b.astype("float64", errors="ignore")
    pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False, rtol=1e-9)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="a store written by `workbench ingest`")
    parser.add_argument("--period-start", help="default: the store's last 12 whole months")
    parser.add_argument("--period-end")
    parser.add_argument(
        "--skip-pandas", action="store_true", help="leave out pandas (it needs the most memory)"
    )
    args = parser.parse_args(argv)
    from workbench.spec import TABLES
    from workbench.store_layout import current_version, deletion_files

    if any(deletion_files(current_version(args.store), "tables", t) for t in TABLES):
        parser.error(  # its pandas and SQL baselines read the segment files as they are
            f"{args.store} has had daily loads (deletion files); run this benchmark on a "
            "store built in one go with `workbench ingest SRC --out STORE`"
        )
    if args.period_start and args.period_end:
        start, end = args.period_start, args.period_end
    else:
        from workbench import load_store
        from workbench.period import Period

        period = Period.default_for(load_store(args.store).report)
        start, end = period.start.isoformat(), period.end.isoformat()

    runs = {}
    for name in ("sql", "workbench", *(() if args.skip_pandas else ("pandas",))):
        runs[name] = _fresh(name, args.store, start, end)
        print(f"{name}: {runs[name][0]:.1f} s, peak {runs[name][1]:,.0f} MB", flush=True)
    for other in runs:
        for table in runs["workbench"][2]:
            _same(runs["workbench"][2][table], runs[other][2][table])
    wb = runs["workbench"][0]
    print(f"\nperiod {start} to {end}; results identical across {', '.join(runs)}")
    print(f"{'implementation':<16}{'seconds':>10}{'peak MB':>10}{'ratio':>30}")
    print(f"{'workbench':<16}{wb:>10.1f}{runs['workbench'][1]:>10,.0f}")
    print(
        f"{'DuckDB SQL':<16}{runs['sql'][0]:>10.1f}{runs['sql'][1]:>10,.0f}"
        f"{'workbench / SQL = ' + format(wb / runs['sql'][0], '.2f'):>30}"
    )
    if "pandas" in runs:
        print(
            f"{'pandas':<16}{runs['pandas'][0]:>10.1f}{runs['pandas'][1]:>10,.0f}"
            f"{'pandas / workbench = ' + format(runs['pandas'][0] / wb, '.1f'):>30}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
