"""Shared helpers of the outcome measures: periods, breakdowns of person-keyed records, and
percentages with Wilson intervals.

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
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.measures.breakdowns import NOT_KNOWN, age_group, month_of, person_attributes
from workbench.measures.grouping import PERSON_ATTRIBUTES
from workbench.measures.reference_tables import geography
from workbench.period import parse_date
from workbench.stats import percentage_with_interval

REFERRAL_KEY = ("provider_code", "referral_id")
PERSON_KEY = ("provider_code", "person_id")


def period(period_start: dt.date | str, period_end: dt.date | str) -> tuple[ir.Value, ir.Value]:
    """The period's first and last day as Ibis date literals (both ends included)."""
    start = parse_date(period_start, "period start")
    end = parse_date(period_end, "period end")
    if end < start:
        raise WorkbenchError(f"the period ends ({end}) before it starts ({start})")
    return ibis.literal(start), ibis.literal(end)


def with_person_record_breakdowns(
    records: ir.Table, store, by: list[str], month: ir.Value | str | None = None
) -> ir.Table:
    """``records`` keyed by (provider_code, person_id), e.g. inpatient spells, with the
    breakdowns in ``by``.

    provider is the record's provider_code; the person breakdowns (sex, ethnic group, IMD
    quintile and decile, ICB, region) come from the person's MPI row at the same provider;
    age_group is from the MPI's age at the end of the reporting period (the records carry no
    age of their own); team_type does not apply to these records and is "Not known"; month is
    ``month`` (an expression or a fixed ``YYYY-MM`` label). A record whose person has no MPI row
    is "Not known" throughout.
    """
    mpi = store["mpi"]
    person_cols = [b for b in by if b in PERSON_ATTRIBUTES]
    if person_cols or "age_group" in by:
        people = person_attributes(mpi, geography(store)).select(*PERSON_KEY, *person_cols)
        ages = mpi.select(*PERSON_KEY, age_group=age_group(mpi.age_years))
        people = people.join(ages, list(PERSON_KEY))
        cols = [*person_cols, *(["age_group"] if "age_group" in by else [])]
        joined = records.left_join(people.select(*PERSON_KEY, *cols), list(PERSON_KEY))
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


def as_counts(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    """Make ``columns`` int64 counts in place (an empty sum is 0)."""
    columns = list(columns)
    frame[columns] = frame[columns].fillna(0).astype("int64")


def add_proportion(frame: pd.DataFrame, name: str, numerator: str, denominator: str) -> None:
    """Add ``name`` (numerator / denominator as a percentage, NaN when the denominator is 0)
    and its 95% Wilson interval ``name_lower`` / ``name_upper`` (percentages), in place."""
    frame[name], frame[f"{name}_lower"], frame[f"{name}_upper"] = percentage_with_interval(
        frame[numerator], frame[denominator]
    )
