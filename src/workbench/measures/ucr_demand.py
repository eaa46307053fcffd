"""Urgent community response demand: when, why and from whom 2-hour referrals come, and how
each part of the demand is answered (measures.md section 4, "Demand").

Demand is the 2-hour clocks starting in the period (every clock of :mod:`workbench.measures.ucr`,
in scope or not), read from the urgent response fact (:mod:`workbench.facts.ucr_clocks`). Each
demand measure counts ``clocks`` in a cell, their ``share`` of the clocks of the breakdown group
(%), and the cell's 2-hour performance: ``met`` / ``in_scope`` (%, 95% Wilson interval), as
section 4 defines them.

- **By reason**: the referral's clinical condition or need (the nine of the national 2-hour
  guidance, other, not known: sources.md 2a); code "Not known" (label "Missing or invalid
  code") where the referral carries none or a code outside the list.
- **By source**: the referral's source; missing or invalid likewise.
- **By hour and weekday**: the hour (``00`` to ``23``) and weekday (``1`` Monday to ``7``
  Sunday) of the clock start in the provider's local clock time (Europe/London, as the extract
  records times); hour "Not known" with no start time.
- **Outside 8am to 8pm**: of the clocks with a start time, those starting before 08:00 or from
  20:00 on (the guidance's service runs at least 8am to 8pm, 7 days a week), their share and
  their 2-hour performance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import NOT_KNOWN, month_of
from workbench.facts import fact_table
from workbench.measures.declare import AggregateTable, Measure, columns, count, label, percentage
from workbench.measures.grouping_sets import SET_COLUMN, aggregate_by_sets, unique_sets
from workbench.measures.ucr import STANDARD_MINUTES
from workbench.measures.waits import PATHWAY_BREAKDOWNS
from workbench.period import Period
from workbench.spec.value_sets import SOURCE_OF_REFERRAL, UCR_REFERRAL_REASON
from workbench.stats import percentage_with_interval

if TYPE_CHECKING:
    from workbench.store import Store


__all__ = [
    "DAY_END_HOUR",
    "DAY_START_HOUR",
    "MEASURES",
    "WEEKDAYS",
    "demand_by_hour",
    "demand_by_reason",
    "demand_by_source",
    "demand_out_of_hours",
]

#: The guidance's hours of service: at least 8am to 8pm (sources.md 2a).
DAY_START_HOUR = 8
DAY_END_HOUR = 20
#: Weekday codes of the clock start, Monday first.
WEEKDAYS = {
    "1": "Monday",
    "2": "Tuesday",
    "3": "Wednesday",
    "4": "Thursday",
    "5": "Friday",
    "6": "Saturday",
    "7": "Sunday",
}
#: The label of a cell whose code is missing or outside the list (kept apart from a valid
#: "not known" code).
MISSING_LABEL = "Missing or invalid code"
_COUNTS = ("clocks", "in_scope", "met")
_CELL_OUTPUT = (
    "clocks",
    "group_clocks",
    "share",
    "share_lower",
    "share_upper",
    "in_scope",
    "met",
    "performance",
    "performance_lower",
    "performance_upper",
)


def _clocks(store: Store, period: Period) -> ir.Table:
    """The urgent response clocks starting in the period, with the month of the start."""
    clocks = fact_table(store, "ucr_clocks")
    s, e = ibis.literal(period.start), ibis.literal(period.end)
    records = clocks.filter(clocks.clock_start_date >= s, clocks.clock_start_date <= e)
    return records.mutate(month=month_of(records.clock_start_date))


def _code_or_not_known(value: ir.StringValue, codes: Sequence[str]) -> ir.StringValue:
    return ibis.ifelse(value.isin(list(codes)).fill_null(False), value, NOT_KNOWN)


def _performance_counts(records: ir.Table, where: ir.BooleanValue | None = None) -> dict:
    """Clocks, in scope and met (of ``records`` meeting ``where``, when given)."""
    in_scope = records.status == "in_scope"
    if where is not None:
        in_scope = in_scope & where.fill_null(False)
    return {
        "clocks": records.count() if where is None else where.fill_null(False).cast("int64").sum(),
        "in_scope": in_scope.cast("int64").sum(),
        "met": (in_scope & (records.minutes <= STANDARD_MINUTES)).cast("int64").sum(),
    }


def _cells_by_sets(
    records: ir.Table,
    sets: Sequence[Sequence[str]],
    within: Sequence[str],
    labels: Mapping[str, Mapping[str, str]],
) -> pd.DataFrame:
    """Clocks, share of the group and 2-hour performance of every cell ``within`` each set.

    ``labels`` maps a ``within`` column to the labels of its codes (a ``<column>_label``
    column is added). Rows are sorted by set, breakdowns and cell, so every engine gives them
    in the same order."""
    sets = unique_sets(sets)
    cells = [tuple(dict.fromkeys((*s, *within))) for s in sets]
    frame = aggregate_by_sets(records, cells, _performance_counts(records))
    frame[list(_COUNTS)] = frame[list(_COUNTS)].fillna(0).astype("int64")
    keys = list(dict.fromkeys(c for s in sets for c in s))
    groups = [SET_COLUMN, *[k for k in keys if k not in within]]
    frame["group_clocks"] = (
        frame.groupby(groups, dropna=False, sort=False)["clocks"].transform("sum").astype("int64")
    )
    for name, numerator, denominator in (
        ("share", "clocks", "group_clocks"),
        ("performance", "met", "in_scope"),
    ):
        rate, lower, upper = percentage_with_interval(frame[numerator], frame[denominator])
        frame[name], frame[f"{name}_lower"], frame[f"{name}_upper"] = rate, lower, upper
    for column, names in labels.items():
        frame[f"{column}_label"] = frame[column].map({**names, NOT_KNOWN: MISSING_LABEL})
    breakdowns = [k for k in keys if k not in within]
    shown = [*breakdowns, *within, *[f"{c}_label" for c in labels], *_CELL_OUTPUT, SET_COLUMN]
    order = [SET_COLUMN, *breakdowns, *within]
    frame = frame[[c for c in shown if c in frame]]
    return frame.sort_values(order, kind="stable", na_position="last").reset_index(drop=True)


def _demand_by_code(
    store: Store, period: Period, sets: Sequence[Sequence[str]], column: str, value_set: Any
) -> pd.DataFrame:
    """Demand and 2-hour performance by the codes of ``column`` (a code outside
    ``value_set`` counted as not known), for every set."""
    records = _clocks(store, period)
    codes = list(value_set.codes)
    records = records.mutate(**{column: _code_or_not_known(records[column], codes)})
    return _cells_by_sets(records, sets, (column,), {column: value_set.codes})


def demand_by_reason_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Demand and 2-hour performance by urgent response referral reason, for every set."""
    return _demand_by_code(store, period, sets, "ucr_referral_reason", UCR_REFERRAL_REASON)


def demand_by_source_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Demand and 2-hour performance by source of referral, for every set."""
    return _demand_by_code(store, period, sets, "source_of_referral", SOURCE_OF_REFERRAL)


def demand_by_hour_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Demand and 2-hour performance by weekday and hour of the clock start, for every set."""
    records = _clocks(store, period)
    hour = records.start_hour
    records = records.mutate(
        weekday=(records.start_weekday + 1).cast("string"),
        hour=ibis.ifelse(hour.isnull(), NOT_KNOWN, hour.cast("string").lpad(2, "0")),
    )
    return _cells_by_sets(records, sets, ("weekday", "hour"), {"weekday": WEEKDAYS})


def demand_out_of_hours_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Demand outside 8am to 8pm and its 2-hour performance, for every set."""
    records = _clocks(store, period)
    hour = records.start_hour
    outside = (hour < DAY_START_HOUR) | (hour >= DAY_END_HOUR)
    totals = _performance_counts(records)
    out = {f"{k}_out_of_hours": v for k, v in _performance_counts(records, outside).items()}
    frame = aggregate_by_sets(
        records,
        sets,
        {
            "clocks": totals["clocks"],
            "clocks_with_time": hour.notnull().cast("int64").sum(),
            **out,
        },
    )
    counts = ["clocks", "clocks_with_time", *out]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    for name, numerator, denominator in (
        ("share_out_of_hours", "clocks_out_of_hours", "clocks_with_time"),
        ("performance_out_of_hours", "met_out_of_hours", "in_scope_out_of_hours"),
    ):
        rate, lower, upper = percentage_with_interval(frame[numerator], frame[denominator])
        frame[name], frame[f"{name}_lower"], frame[f"{name}_upper"] = rate, lower, upper
    return frame


def demand_by_reason(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """2-hour urgent response clocks starting in the period by referral reason (measures.md
    section 4, "Demand"): the breakdowns, ``ucr_referral_reason`` (the code, "Not known" when
    missing or not in the list) and its label, ``clocks``, ``group_clocks`` (every clock of the
    breakdown group), ``share`` = clocks / group_clocks, and ``in_scope``, ``met`` and
    ``performance`` = met / in scope; percentages with ``_lower``/``_upper`` 95% Wilson limits.
    """
    return BY_REASON.run(store, Period.of(period_start, period_end), by)


def demand_by_source(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """As :func:`demand_by_reason`, by ``source_of_referral`` (measures.md section 4)."""
    return BY_SOURCE.run(store, Period.of(period_start, period_end), by)


def demand_by_hour(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """As :func:`demand_by_reason`, by ``weekday`` (``1`` Monday to ``7`` Sunday, with its
    label) and ``hour`` (``00`` to ``23``, local clock time; "Not known" with no start time) of
    the clock start (measures.md section 4)."""
    return BY_HOUR.run(store, Period.of(period_start, period_end), by)


def demand_out_of_hours(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Clocks starting outside 8am to 8pm local time (measures.md section 4): ``clocks``,
    ``clocks_with_time`` (with a start time), ``clocks_out_of_hours`` (starting before 08:00 or
    from 20:00), ``share_out_of_hours`` = out of hours / with a time, and the 2-hour
    performance of the clocks out of hours (``in_scope_out_of_hours``, ``met_out_of_hours``,
    ``performance_out_of_hours``); percentages with 95% Wilson limits."""
    return OUT_OF_HOURS.run(store, Period.of(period_start, period_end), by)


def _cell_columns(code: str, text: str) -> tuple:
    return columns(
        label(code, f"{text} code"),
        label(f"{code}_label", text),
        count("clocks", "Urgent response clocks", "clocks"),
        count("group_clocks", "All urgent response clocks", "clocks"),
        percentage("share", "% of urgent response clocks", "clocks", "group_clocks"),
        count("in_scope", "Clocks in scope", "clocks"),
        count("met", "Responded within 2 hours", "clocks"),
        percentage("performance", "% responded within 2 hours", "met", "in_scope"),
    )


BY_REASON = Measure(
    family="ucr",
    name="demand_by_reason",
    within=("ucr_referral_reason",),
    title="Urgent community response demand by referral reason",
    section="4",
    function=demand_by_reason,
    grouped=demand_by_reason_by_sets,
    facts=("ucr_clocks",),
    breakdowns=PATHWAY_BREAKDOWNS,
    columns=_cell_columns("ucr_referral_reason", "Referral reason"),
    tables=(AggregateTable("ucr_demand_reason"),),
)

BY_SOURCE = Measure(
    family="ucr",
    name="demand_by_source",
    within=("source_of_referral",),
    title="Urgent community response demand by source of referral",
    section="4",
    function=demand_by_source,
    grouped=demand_by_source_by_sets,
    facts=("ucr_clocks",),
    breakdowns=PATHWAY_BREAKDOWNS,
    columns=_cell_columns("source_of_referral", "Source of referral"),
    tables=(AggregateTable("ucr_demand_source"),),
)

BY_HOUR = Measure(
    family="ucr",
    name="demand_by_hour",
    within=("weekday", "hour"),
    title="Urgent community response demand by weekday and hour",
    section="4",
    function=demand_by_hour,
    grouped=demand_by_hour_by_sets,
    facts=("ucr_clocks",),
    breakdowns=PATHWAY_BREAKDOWNS,
    columns=(
        *_cell_columns("weekday", "Weekday"),
        label("hour", "Hour of the clock start"),
    ),
    tables=(AggregateTable("ucr_demand_hour"),),
)

OUT_OF_HOURS = Measure(
    family="ucr",
    name="demand_out_of_hours",
    title="Urgent community response demand outside 8am to 8pm",
    section="4",
    function=demand_out_of_hours,
    grouped=demand_out_of_hours_by_sets,
    facts=("ucr_clocks",),
    breakdowns=PATHWAY_BREAKDOWNS,
    columns=columns(
        count("clocks", "Urgent response clocks", "clocks"),
        count("clocks_with_time", "Clocks with a start time", "clocks"),
        count("clocks_out_of_hours", "Clocks starting outside 8am to 8pm", "clocks"),
        percentage(
            "share_out_of_hours",
            "% of clocks starting outside 8am to 8pm",
            "clocks_out_of_hours",
            "clocks_with_time",
        ),
        count("in_scope_out_of_hours", "Clocks in scope outside 8am to 8pm", "clocks"),
        count("met_out_of_hours", "Met within 2 hours outside 8am to 8pm", "clocks"),
        percentage(
            "performance_out_of_hours",
            "% responded within 2 hours outside 8am to 8pm",
            "met_out_of_hours",
            "in_scope_out_of_hours",
        ),
    ),
    tables=(AggregateTable("ucr_out_of_hours", extras=(("month",),)),),
)

MEASURES = (BY_REASON, BY_SOURCE, BY_HOUR, OUT_OF_HOURS)
