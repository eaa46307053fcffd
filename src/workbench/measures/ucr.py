"""Urgent community response: 2-hour performance (measures.md section 4).

Clocks are response-time clocks with measurement type ``05``, one per referral (the store
already holds the latest version of each), read from the urgent response fact
(:mod:`workbench.facts.ucr_clocks`). A clock is in the period when its start date is in
[period_start, period_end]. In scope: start and end date and time all present and the end not
before the start. Out of scope, counted by reason: ``missing_start`` (no start time),
``missing_end`` (no end date or time), ``end_before_start``. Minutes = end - start; met =
minutes <= 120. Performance = met / in scope with a 95% Wilson interval, against the 70% standard.
A clock with no start date cannot be placed in a period and is not counted (the data quality
report counts it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import pandas as pd

from workbench.breakdowns import month_of
from workbench.facts import fact_table
from workbench.facts.ucr_clocks import UCR_MEASUREMENT_TYPE
from workbench.measures.declare import AggregateTable, Measure, average, columns, count, percentage
from workbench.measures.declare import value as value_column
from workbench.measures.grouping_sets import aggregate_by_sets
from workbench.measures.waits import PATHWAY_BREAKDOWNS
from workbench.period import Period
from workbench.stats import wilson_interval

if TYPE_CHECKING:
    from workbench.store import Store


__all__ = [
    "MEASURES",
    "STANDARD_MINUTES",
    "STANDARD_PERFORMANCE",
    "UCR_MEASUREMENT_TYPE",
    "two_hour_performance",
    "two_hour_performance_by_sets",
]

STANDARD_MINUTES = 120
STANDARD_PERFORMANCE = 70.0
COUNTS = ("clocks", "in_scope", "met", "missing_start", "missing_end", "end_before_start")


def two_hour_performance_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """2-hour performance for every grouping set in one pass (month: of the clock start)."""
    clocks = fact_table(store, "ucr_clocks")
    s, e = ibis.literal(period.start), ibis.literal(period.end)
    records = clocks.filter(clocks.clock_start_date >= s, clocks.clock_start_date <= e)
    records = records.mutate(month=month_of(records.clock_start_date))
    in_scope = records.status == "in_scope"
    frame = aggregate_by_sets(
        records,
        sets,
        {
            "clocks": records.count(),
            "in_scope": in_scope.cast("int64").sum(),
            "met": (in_scope & (records.minutes <= STANDARD_MINUTES)).cast("int64").sum(),
            "missing_start": (records.status == "missing_start").cast("int64").sum(),
            "missing_end": (records.status == "missing_end").cast("int64").sum(),
            "end_before_start": (records.status == "end_before_start").cast("int64").sum(),
            "median_minutes": records.minutes.quantile(0.5, where=in_scope),
        },
    )
    frame[list(COUNTS)] = frame[list(COUNTS)].fillna(0).astype("int64")
    lower, upper = wilson_interval(frame["met"].to_numpy(), frame["in_scope"].to_numpy())
    frame["performance"] = frame["met"] / frame["in_scope"].where(frame["in_scope"] > 0) * 100
    frame["performance_lower"] = lower * 100
    frame["performance_upper"] = upper * 100
    frame["standard"] = STANDARD_PERFORMANCE
    return frame


def two_hour_performance(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """2-hour UCR performance by the breakdowns (the month breakdown is the clock start month).

    Returns ``clocks`` (starting in the period), ``in_scope``, ``met``, ``missing_start``,
    ``missing_end``, ``end_before_start``, ``performance`` (% met of in scope),
    ``performance_lower``, ``performance_upper`` (95% Wilson), ``standard`` (70) and
    ``median_minutes`` of in-scope clocks.
    """
    return TWO_HOUR_PERFORMANCE.run(store, Period.of(period_start, period_end), by)


TWO_HOUR_PERFORMANCE = Measure(
    family="ucr",
    name="performance",
    title="Urgent community response within 2 hours",
    section="4",
    function=two_hour_performance,
    grouped=two_hour_performance_by_sets,
    facts=("ucr_clocks",),
    breakdowns=PATHWAY_BREAKDOWNS,
    columns=columns(
        count("clocks", "Urgent response clocks starting in the period", "clocks"),
        count("in_scope", "Clocks in scope", "clocks"),
        count("met", "Responded within 2 hours", "clocks"),
        count("missing_start", "Out of scope: no start time", "clocks"),
        count("missing_end", "Out of scope: no end date or time", "clocks"),
        count("end_before_start", "Out of scope: end before start", "clocks"),
        average("median_minutes", "Median response time (minutes)", "in_scope", "minutes"),
        percentage("performance", "% responded within 2 hours", "met", "in_scope"),
        value_column("standard", "Standard (% within 2 hours)", "%"),
    ),
    tables=(
        AggregateTable(
            "ucr_performance",
            extras=(("month",), ("age_group",), ("sex",), ("ethnic_group",), ("imd_quintile",)),
        ),
    ),
)

MEASURES = (TWO_HOUR_PERFORMANCE,)
