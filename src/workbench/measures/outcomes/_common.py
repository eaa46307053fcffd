"""Shared helpers of the outcome measures: periods, breakdowns of referral-keyed and
person-keyed records, the extra ``imd_decile`` breakdown, and percentages with Wilson intervals.

Portable-Ibis rules the outcome measures follow, so the same code runs on DuckDB and Spark:

* cast timestamps to dates before day differences, and take day differences with
  ``later.delta(earlier, unit="day")`` on dates;
* no ``first(order_by=...)``: a "first" or "last" row is picked with min/max of the date and a
  join back on a unique key, or a window ``row_number()`` ordered by date then identifier, so
  ties are broken the same way on every engine;
* exact quantiles only (``.quantile(q)``), never approximate ones, and never a median of a
  date column (medians are of whole-day numbers);
* NULL keys are filtered out before any window function or join on them;
* everything is reduced on the engine; only small aggregates (and, for the Wilcoxon test, the
  per-pair change column) are fetched into pandas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.measures.breakdowns import (
    BREAKDOWNS,
    NOT_KNOWN,
    age_group,
    month_of,
    person_attributes,
)
from workbench.measures.grouping import with_breakdowns
from workbench.measures.reference_tables import geography
from workbench.period import parse_date
from workbench.stats import wilson_interval

#: The breakdowns outcome measures accept: the standard ones plus the IMD decile.
IMD_DECILE = "imd_decile"
OUTCOME_BREAKDOWNS = (*BREAKDOWNS, IMD_DECILE)
REFERRAL_KEY = ("provider_code", "referral_id")
PERSON_KEY = ("provider_code", "person_id")


def period(period_start: dt.date | str, period_end: dt.date | str) -> tuple[ir.Value, ir.Value]:
    """The period's first and last day as Ibis date literals (both ends included)."""
    start = parse_date(period_start, "period start")
    end = parse_date(period_end, "period end")
    if end < start:
        raise WorkbenchError(f"the period ends ({end}) before it starts ({start})")
    return ibis.literal(start), ibis.literal(end)


def outcome_breakdowns(by: str | Iterable[str] | None) -> list[str]:
    """The breakdowns asked for: any standard breakdown or ``imd_decile``; WorkbenchError naming
    any unknown one."""
    if by is None:
        return []
    names = [b.strip() for b in by.split(",")] if isinstance(by, str) else list(by)
    names = [b for b in names if b]
    unknown = [b for b in names if b not in OUTCOME_BREAKDOWNS]
    if unknown:
        raise WorkbenchError(
            f"unknown breakdown {', '.join(unknown)}; choose from: {', '.join(OUTCOME_BREAKDOWNS)}"
        )
    return names


def person_deciles(store) -> ir.Table:
    """One MPI row per (provider_code, person_id) with ``imd_decile``: the IMD 2019 decile ("1" =
    most deprived ... "10") of the person's 2011 LSOA through the shipped lookup, "Not known"
    where the LSOA is missing or not in the lookup (2021 LSOAs are never crossed to IMD 2019)."""
    mpi = store["mpi"]
    geo = geography(store)
    lookup = geo.select(_lsoa=geo.lsoa, _decile=geo.imd_decile.cast("int64").cast("string"))
    joined = mpi.left_join(lookup, mpi.lsoa_2011 == lookup._lsoa)
    return joined.select(
        provider_code=mpi.provider_code,
        person_id=mpi.person_id,
        imd_decile=joined._decile.fill_null(NOT_KNOWN),
    )


def referral_deciles(store) -> ir.Table:
    """One row per referral (provider_code, referral_id) with the person's ``imd_decile``."""

    def build(s) -> ir.Table:
        refs = s["referrals"].select("provider_code", "referral_id", "person_id")
        deciles = person_deciles(s)
        joined = refs.left_join(deciles, list(PERSON_KEY))
        return joined.select(
            "provider_code", "referral_id", imd_decile=joined.imd_decile.fill_null(NOT_KNOWN)
        )

    return store.derived("outcomes_referral_deciles", build)


def with_referral_breakdowns(
    records: ir.Table, store, by: list[str], month: ir.Value | str | None = None
) -> ir.Table:
    """``records`` keyed by (provider_code, referral_id) with the breakdowns in ``by``: the
    standard ones through :func:`workbench.measures.grouping.with_breakdowns`, and
    ``imd_decile`` through the referral's person. Records with no match are "Not known"."""
    standard = [b for b in by if b != IMD_DECILE]
    records = with_breakdowns(records, store, standard, month=month)
    if IMD_DECILE in by and IMD_DECILE not in records.columns:
        deciles = referral_deciles(store)
        joined = records.left_join(deciles, list(REFERRAL_KEY))
        records = joined.drop(*[f"{k}_right" for k in REFERRAL_KEY]).mutate(
            imd_decile=joined.imd_decile.fill_null(NOT_KNOWN)
        )
    return records


def with_person_record_breakdowns(
    records: ir.Table, store, by: list[str], month: ir.Value | str | None = None
) -> ir.Table:
    """``records`` keyed by (provider_code, person_id), e.g. inpatient spells, with the
    breakdowns in ``by``.

    provider is the record's provider_code; sex, ethnic_group, imd_quintile, icb and region come
    from :func:`workbench.measures.breakdowns.person_attributes` (the person's MPI row at the
    same provider); age_group is from the MPI's age at the end of the reporting period (the
    records carry no age of their own); team_type does not apply to these records and is "Not
    known"; imd_decile as :func:`person_deciles`; month is ``month`` (an expression or a fixed
    ``YYYY-MM`` label). A record whose person has no MPI row is "Not known" throughout.
    """
    mpi = store["mpi"]
    person_cols = [b for b in by if b in ("sex", "ethnic_group", "imd_quintile", "icb", "region")]
    extra: dict[str, ir.Table] = {}
    if person_cols:
        people = person_attributes(mpi, geography(store))
        extra["attrs"] = people.select(*PERSON_KEY, *person_cols)
    if "age_group" in by:
        ages = mpi.select(*PERSON_KEY, _age=mpi.age_years)
        extra["age"] = ages.select(*PERSON_KEY, age_group=age_group(ages._age))
    if IMD_DECILE in by:
        extra["decile"] = person_deciles(store)
    for table in extra.values():
        cols = [c for c in table.columns if c not in PERSON_KEY]
        joined = records.left_join(table, list(PERSON_KEY))
        records = joined.drop(*[f"{k}_right" for k in PERSON_KEY]).mutate(
            **{c: joined[c].fill_null(NOT_KNOWN) for c in cols}
        )
    if "provider" in by:
        records = records.mutate(provider=records.provider_code)
    if "team_type" in by:
        records = records.mutate(team_type=ibis.literal(NOT_KNOWN))
    if "month" in by:
        value = ibis.literal(month) if isinstance(month, str) else month
        records = records.mutate(month=value)
    return records


def month_expr(date: ir.DateValue) -> ir.StringValue:
    """The ``YYYY-MM`` month of a date (NULL dates are "Not known")."""
    return month_of(date).fill_null(NOT_KNOWN)


def count(condition: ir.BooleanValue) -> ir.IntegerValue:
    """How many rows meet ``condition`` (NULL counts as not met)."""
    return ibis.ifelse(condition.fill_null(False), 1, 0).sum()


def _decile_key(values: pd.Series) -> pd.Series:
    return values.map(lambda v: (1, 0) if v == NOT_KNOWN else (0, int(v)))


def sort_groups(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``frame`` sorted by the breakdown columns, with IMD deciles in numeric order and "Not
    known" last."""
    if not by or frame.empty:
        return frame.reset_index(drop=True)
    key = {IMD_DECILE: _decile_key}
    return frame.sort_values(
        by, kind="stable", key=lambda s: key[s.name](s) if s.name in key else s
    ).reset_index(drop=True)


def reduce_sorted(table: ir.Table, by: list[str], /, **aggregates: ir.Value) -> pd.DataFrame:
    """Aggregate ``table`` by ``by`` on the engine into a pandas frame sorted by the groups."""
    expr = table.group_by(by).aggregate(**aggregates) if by else table.aggregate(**aggregates)
    return sort_groups(expr.to_pandas(), by)


def as_counts(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    """Make ``columns`` int64 counts in place (an empty sum is 0)."""
    columns = list(columns)
    frame[columns] = frame[columns].fillna(0).astype("int64")


def add_proportion(frame: pd.DataFrame, name: str, numerator: str, denominator: str) -> None:
    """Add ``name`` (numerator / denominator as a percentage, NaN when the denominator is 0)
    and its 95% Wilson interval ``name_lower`` / ``name_upper`` (percentages), in place."""
    x = frame[numerator].to_numpy(dtype="float64")
    n = frame[denominator].to_numpy(dtype="float64")
    lower, upper = wilson_interval(x, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame[name] = np.where(n > 0, x / np.where(n > 0, n, 1.0) * 100.0, np.nan)
    frame[f"{name}_lower"] = np.asarray(lower, dtype="float64") * 100.0
    frame[f"{name}_upper"] = np.asarray(upper, dtype="float64") * 100.0
