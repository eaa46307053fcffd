"""Waiting-list dynamics, week by week (measures.md section 8): what joins the list, what leaves
it (seen, or removed without being seen), how big it is, the load on the service and the waits
of those on it, for each week of the period.

The list is the one of measures.md section 3 (:mod:`workbench.measures.waits`), read from the
pathway fact. Weeks run back from the period end in whole weeks of seven days, so the last week
ends on the period end (the census date of the list when it is the default) and a week never
straddles it; a part week at the period start is left out. Adult and children and young
people's services are kept apart by the ``service`` breakdown, service lines by ``team_type``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.facts import fact_table
from workbench.measures.declare import (
    AggregateTable,
    Measure,
    average,
    columns,
    count,
    label,
    percentage,
)
from workbench.measures.grouping_sets import SET_COLUMN, aggregate_by_sets, unique_sets
from workbench.measures.waits import PATHWAY_BREAKDOWNS
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store

#: The column every row carries: the last day of its week.
WEEK = "week_ending"
#: Counts of the weekly dynamics, in the order tables show them.
DYNAMICS_COUNTS = ("list_start", "additions", "seen", "removed", "removals", "waiting")
#: The wait percentiles of those waiting at the week's end, by column.
_QUANTILES = {"median_days": 0.5, "p92_days": 0.92}
_WAIT_QUANTILES = "_wait_quantiles"


def weeks_frame(start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per whole week of [start, end], counted back from ``end``: ``week_ending`` (the
    week's last day) and ``first_day`` (six days before it), oldest week first. A WorkbenchError
    when the period is shorter than a week."""
    count_of_weeks = ((end - start).days + 1) // 7
    if count_of_weeks < 1:
        raise WorkbenchError(
            f"the period {start} to {end} is shorter than a week; weekly list dynamics need at "
            "least seven days"
        )
    ends = [end - dt.timedelta(days=7 * k) for k in reversed(range(count_of_weeks))]
    frame = pd.DataFrame({WEEK: ends, "first_day": [e - dt.timedelta(days=6) for e in ends]})
    for col in (WEEK, "first_day"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


def _weeks_table(store: Store, start: dt.date, end: dt.date) -> ir.Table:
    name = f"weeks_{start:%Y%m%d}_{end:%Y%m%d}"
    return store.reference(name, lambda: weeks_frame(start, end))


def _pathway_weeks(store: Store, period: Period) -> ir.Table:
    """Each pathway joined to every week in which it is on the list at some moment (from the
    end of the day before the week to the week's end) or joins or leaves it."""
    p = fact_table(store, "pathways")
    weeks = _weeks_table(store, period.start, period.end)
    touches = (p.clock_start <= weeks[WEEK]) & (
        p.exit_date.isnull() | (p.exit_date >= weeks.first_day)
    )
    return p.join(weeks, touches)


def _aggregates(j: ir.Table) -> dict[str, ir.Value]:
    first, last = j.first_day, j[WEEK]
    exits = j.exit_date.between(first, last)
    on_list_at_end = (j.clock_start <= last) & (j.exit_date.isnull() | (j.exit_date > last))
    on_list_before = (j.clock_start < first) & (j.exit_date.isnull() | (j.exit_date >= first))
    wait = ibis.ifelse(on_list_at_end, last.delta(j.clock_start, unit="day"), ibis.null("int64"))

    def total(flag: ir.BooleanValue) -> ir.IntegerValue:
        return flag.cast("int64").sum()

    return {
        "list_start": total(on_list_before),
        "additions": total(j.clock_start.between(first, last)),
        "seen": total(exits & j.seen),
        "removed": total(exits & ~j.seen),
        "waiting": total(on_list_at_end),
        "mean_days": wait.mean(),
        # both percentiles from one sort of each group's waits (the engine keeps one state)
        _WAIT_QUANTILES: wait.quantile(list(_QUANTILES.values())),
    }


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray) and len(value) > 0


def _split_quantiles(frame: pd.DataFrame) -> None:
    """The list of wait percentiles of each row as one column per percentile (NaN where the
    group has no one waiting)."""
    lists = frame.pop(_WAIT_QUANTILES).to_numpy(dtype=object)
    for i, name in enumerate(_QUANTILES):
        frame[name] = np.array([v[i] if _is_list(v) else np.nan for v in lists], dtype="float64")


def list_dynamics_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """The weekly dynamics for every grouping set in one pass (always by week)."""
    if any("month" in s for s in sets):
        raise WorkbenchError("list dynamics are weekly; leave out the month breakdown")
    joined = _pathway_weeks(store, period)
    chosen = [tuple(dict.fromkeys((*s, WEEK))) for s in unique_sets(sets)]
    frame = aggregate_by_sets(joined, chosen, _aggregates(joined))
    _split_quantiles(frame)
    frame[WEEK] = pd.to_datetime(frame[WEEK]).dt.date
    # weeks in order within each group, whatever order the engine returned them in
    frame = frame.sort_values([SET_COLUMN, WEEK], kind="stable", ignore_index=True)
    counts = [c for c in DYNAMICS_COUNTS if c != "removals"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    frame["removals"] = frame["seen"] + frame["removed"]
    frame["load"] = (frame["additions"] / frame["removals"].where(frame["removals"] > 0)).astype(
        "float64"
    )
    waits = ["mean_days", "median_days", "p92_days"]
    for col in waits:
        frame[col] = frame[col].astype("float64")
    measured = [*DYNAMICS_COUNTS, "load", *waits]
    return frame[[c for c in frame.columns if c not in measured] + measured]


def list_dynamics(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The waiting list's movements and waits for each whole week of the period, counted back
    from ``period_end`` (measures.md section 8; the list as section 3 defines it).

    For the week [first day, week ending]: ``list_start``, on the list at the end of the day
    before the week; ``additions``, clock starts in the week (referrals accepted onto the list);
    ``seen``, clock stops in the week (first attended contact); ``removed``, removed without
    being seen in the week; ``removals`` = seen + removed; ``waiting``, on the list at the end of
    the week, so waiting = list_start + additions - removals; ``load`` = additions / removals
    (demand over capacity, NHSRwaitinglist's queue load; empty with no removals); and the
    ``mean_days``, ``median_days`` and ``p92_days`` wait of those waiting at the week's end
    (week ending - received date, in days). One row per breakdown group and week.
    """
    return LIST_DYNAMICS.run(store, Period.of(period_start, period_end), by)


LIST_DYNAMICS = Measure(
    family="dynamics",
    name="weekly",
    title="Weekly dynamics of the waiting list",
    section="8",
    function=list_dynamics,
    grouped=list_dynamics_by_sets,
    facts=("pathways",),
    breakdowns=tuple(b for b in PATHWAY_BREAKDOWNS if b != "month"),
    within=(WEEK,),
    columns=columns(
        label(WEEK, "Week ending"),
        count("list_start", "On the list at the start of the week", "people"),
        count("additions", "Added to the list (referrals accepted)", "pathways"),
        count("seen", "Seen (clock stops)", "pathways"),
        count("removed", "Removed without being seen", "pathways"),
        count("removals", "Removals (seen or not)", "pathways"),
        count("waiting", "On the list at the end of the week", "people"),
        percentage(
            "load",
            "Load (additions / removals)",
            "additions",
            "removals",
            interval=False,
            multiplier=1.0,
            unit="",
        ),
        average("mean_days", "Mean wait of those waiting (days)", "waiting"),
        average("median_days", "Median wait of those waiting (days)", "waiting"),
        average("p92_days", "92nd percentile wait of those waiting (days)", "waiting"),
    ),
    tables=(
        AggregateTable("list_dynamics_weekly", extras=(("service",), ("service", "team_type"))),
    ),
    notes="Weeks of seven days counted back from the period end; a part week at the start is "
    "left out.",
)

MEASURES = (LIST_DYNAMICS,)
