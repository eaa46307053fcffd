"""Urgent community response: 2-hour performance (MEASURES.md section 4).

Clocks are response-time clocks with measurement type ``05``, one per referral (the store
already holds the latest version of each). A clock is in the period when its start date is in
[period_start, period_end]. In scope: start and end date and time all present and the end not
before the start. Out of scope, counted by reason: ``missing_start`` (no start time),
``missing_end`` (no end date or time), ``end_before_start``. Minutes = end - start; met =
minutes <= 120. Performance = met / in scope with a 95% Wilson interval, against the 70% standard.
A clock with no start date cannot be placed in a period and is not counted (the data quality
report counts it).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.measures.grouping import breakdowns, reduce, with_breakdowns
from workbench.period import parse_date
from workbench.stats import wilson_interval

UCR_MEASUREMENT_TYPE = "05"
STANDARD_MINUTES = 120
STANDARD_PERFORMANCE = 70.0


def _seconds(time: ir.StringValue) -> ir.IntegerValue:
    """Seconds since midnight of an ``HH:MM:SS`` time (the store keeps times as text)."""
    return (
        time.substr(0, 2).cast("int64") * 3600
        + time.substr(3, 2).cast("int64") * 60
        + time.substr(6, 2).cast("int64")
    )


def _elapsed_seconds(t: ir.Table) -> ir.IntegerValue:
    days = t.clock_end_date.delta(t.clock_start_date, unit="day")
    return days * 86400 + _seconds(t.clock_end_time) - _seconds(t.clock_start_time)


def response_clocks(clocks: ir.Table, period_start, period_end) -> ir.Table:
    """UCR clocks starting in the period with ``minutes`` and their ``status``: in_scope,
    missing_start, missing_end or end_before_start."""
    s, e = (
        ibis.literal(parse_date(period_start, "period start")),
        ibis.literal(parse_date(period_end, "period end")),
    )
    ucr = clocks.filter(
        clocks.measurement_type == UCR_MEASUREMENT_TYPE,
        clocks.clock_start_date >= s,
        clocks.clock_start_date <= e,
    )
    seconds = _elapsed_seconds(ucr)
    status = ibis.cases(
        (ucr.clock_start_time.isnull(), "missing_start"),
        (ucr.clock_end_date.isnull() | ucr.clock_end_time.isnull(), "missing_end"),
        (seconds < 0, "end_before_start"),
        else_="in_scope",
    )
    return ucr.mutate(minutes=seconds / 60, status=status)


def two_hour_performance(store, period_start, period_end, by=None) -> pd.DataFrame:
    """2-hour UCR performance by the breakdowns (the month breakdown is the clock start month).

    Returns ``clocks`` (starting in the period), ``in_scope``, ``met``, ``missing_start``,
    ``missing_end``, ``end_before_start``, ``performance`` (% met of in scope),
    ``performance_lower``, ``performance_upper`` (95% Wilson), ``standard`` (70) and
    ``median_minutes`` of in-scope clocks.
    """
    by = breakdowns(by)
    clocks = response_clocks(store["rtt_clocks"], period_start, period_end)
    records = with_breakdowns(clocks, store, by, month=clocks.clock_start_date.strftime("%Y-%m"))
    in_scope = records.status == "in_scope"
    frame = reduce(
        records,
        by,
        clocks=records.count(),
        in_scope=in_scope.cast("int64").sum(),
        met=(in_scope & (records.minutes <= STANDARD_MINUTES)).cast("int64").sum(),
        missing_start=(records.status == "missing_start").cast("int64").sum(),
        missing_end=(records.status == "missing_end").cast("int64").sum(),
        end_before_start=(records.status == "end_before_start").cast("int64").sum(),
        median_minutes=records.minutes.quantile(0.5, where=in_scope),
    )
    counts = ["clocks", "in_scope", "met", "missing_start", "missing_end", "end_before_start"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    lower, upper = wilson_interval(frame["met"].to_numpy(), frame["in_scope"].to_numpy())
    frame["performance"] = frame["met"] / frame["in_scope"].where(frame["in_scope"] > 0) * 100
    frame["performance_lower"] = lower * 100
    frame["performance_upper"] = upper * 100
    frame["standard"] = STANDARD_PERFORMANCE
    return frame
