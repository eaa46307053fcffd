"""Waiting times (measures.md section 3): the waiting list at a census date, completed waits
in a period, removals without being seen, and the monthly reconciliation of list movements.

Every measure reads the pathway fact (:mod:`workbench.facts.pathways`), takes ``by=`` any of
its breakdowns and returns a tidy pandas frame; compute runs the same definitions for every
level and breakdown in one pass (:mod:`workbench.measures.grouping_sets`). Waits are whole days;
percentiles are linear interpolation between order statistics (type 7) and exact at every level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import BREAKDOWNS, check_breakdowns, month_of
from workbench.facts import fact_table
from workbench.measures.calendar import months_table
from workbench.measures.declare import (
    AggregateTable,
    Measure,
    average,
    columns,
    count,
    label,
    percentage,
)
from workbench.measures.grouping_sets import aggregate_by_sets, by_month_or_period, one_set
from workbench.period import Period, month_ends, parse_date

if TYPE_CHECKING:
    from workbench.store import Store


#: The community waiting list collection's wait bands: (column, label, first day, last day).
WAIT_BANDS = (
    ("weeks_0_1", "0-1 weeks", 0, 7),
    ("weeks_1_2", ">1-2 weeks", 8, 14),
    ("weeks_2_4", ">2-4 weeks", 15, 28),
    ("weeks_4_12", ">4-12 weeks", 29, 84),
    ("weeks_12_18", ">12-18 weeks", 85, 126),
    ("weeks_18_52", ">18-52 weeks", 127, 364),
    ("weeks_over_52", ">52 weeks", 365, None),
)
EIGHTEEN_WEEKS = 126
OVER_52_WEEKS = 365
OVER_104_WEEKS = 729

#: Breakdowns of a pathway: every breakdown.
PATHWAY_BREAKDOWNS = BREAKDOWNS
REFERRAL_EXTRAS = (("team_type",), ("age_group",), ("sex",), ("ethnic_group",), ("imd_quintile",))


def _pct(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole > 0) * 100).astype("float64")


def _as_counts(frame: pd.DataFrame, names: Sequence[str]) -> None:
    names = list(names)
    frame[names] = frame[names].fillna(0).astype("int64")


def _pathways(store: Store) -> ir.Table:
    return fact_table(store, "pathways")


# --- the waiting list ------------------------------------------------------------------------


def _list_aggregates(records: ir.Table) -> dict[str, ir.Value]:
    w = records.wait
    bands = {
        col: ((w >= lo) & (w <= hi) if hi is not None else (w >= lo)).cast("int64").sum()
        for col, _, lo, hi in WAIT_BANDS
    }
    return {
        "waiting": records.count(),
        **bands,
        "over_18_weeks": (w > EIGHTEEN_WEEKS).cast("int64").sum(),
        "over_52_weeks": (w >= OVER_52_WEEKS).cast("int64").sum(),
        "over_104_weeks": (w >= OVER_104_WEEKS).cast("int64").sum(),
        "median_days": w.quantile(0.5),
        "p92_days": w.quantile(0.92),
    }


def _on_list(p: ir.Table, census: ir.Value) -> ir.BooleanValue:
    return (p.clock_start <= census) & (p.exit_date.isnull() | (p.exit_date > census))


def waiting_list_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """The waiting list for every grouping set in one pass. At ``period.census``; a set with
    ``month`` gives the list at each month end from the period start to the census date."""

    def run(chosen: list[tuple[str, ...]], monthly: bool) -> pd.DataFrame:
        p = _pathways(store)
        if monthly:
            months = months_table(store, period.start, period.census)
            joined = p.join(months, _on_list(p, months.last_day))
            records = joined.mutate(
                wait=joined.last_day.delta(joined.clock_start, unit="day"),
                census_date=joined.last_day,
            )
            chosen = [(*s, "census_date") for s in chosen]
        else:
            c = ibis.literal(period.census)
            records = p.filter(_on_list(p, c)).mutate(
                wait=c.delta(p.clock_start, unit="day"),
                month=ibis.literal(f"{period.census:%Y-%m}"),
            )
        frame = aggregate_by_sets(records, chosen, _list_aggregates(records))
        if not monthly:
            frame.insert(0, "census_date", period.census)
        else:
            frame["census_date"] = pd.to_datetime(frame["census_date"]).dt.date
        return frame

    frame = by_month_or_period(sets, run)
    _as_counts(frame, WAITING_LIST.names("count"))
    frame["pct_over_18_weeks"] = _pct(frame["over_18_weeks"], frame["waiting"])
    return frame


def waiting_list(
    store: Store, census_date: dt.date | str, by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """The waiting list (incomplete pathways) at the end of ``census_date``.

    On the list: received on or before C; no attended contact on or before C; not closed,
    rejected or discharged on or before C. Wait = C - received date, in days. With a ``month``
    breakdown: the list at each month end of the 12 months to C.

    Returns one row per breakdown group with ``census_date``, ``waiting``, one column per wait
    band (:data:`WAIT_BANDS`), ``over_18_weeks``, ``over_52_weeks``, ``over_104_weeks`` (729
    days or more, inside the >52 band), ``median_days``, ``p92_days`` and
    ``pct_over_18_weeks``.
    """
    by = WAITING_LIST.check_breakdowns(check_breakdowns(by))
    census = parse_date(census_date, "census date")
    period = Period(_twelve_months_to(census), census, census)
    frame = waiting_list_by_sets(store, period, [tuple(by)])
    return one_set(frame, by)


def _twelve_months_to(day: dt.date) -> dt.date:
    """The first day of the 12-month window ending with ``day``'s month."""
    month = day.month - 11
    year = day.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


# --- completed waits -------------------------------------------------------------------------


def completed_waits_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Completed waits for every grouping set in one pass (month: of the clock stop)."""
    s, e = ibis.literal(period.start), ibis.literal(period.end)
    p = _pathways(store)
    done = p.filter(p.seen, p.clock_stop >= s, p.clock_stop <= e)
    done = done.mutate(
        wait=done.clock_stop.delta(done.clock_start, unit="day"), month=month_of(done.clock_stop)
    )
    w = done.wait
    frame = aggregate_by_sets(
        done,
        sets,
        {
            "completed": done.count(),
            "mean_days": w.mean(),
            "median_days": w.quantile(0.5),
            "p92_days": w.quantile(0.92),
            "within_18_weeks": (w <= EIGHTEEN_WEEKS).cast("int64").sum(),
        },
    )
    _as_counts(frame, ["completed", "within_18_weeks"])
    frame["pct_within_18_weeks"] = _pct(frame["within_18_weeks"], frame["completed"])
    return frame


def completed_waits(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Completed waits: pathways whose clock stopped in [period_start, period_end].

    Wait = clock stop - clock start, in days. Returns ``completed``, ``mean_days``,
    ``median_days``, ``p92_days``, ``within_18_weeks`` (126 days or fewer) and
    ``pct_within_18_weeks``; the month breakdown is the month of the clock stop.
    """
    return COMPLETED_WAITS.run(store, Period.of(period_start, period_end), by)


# --- removals without being seen -------------------------------------------------------------


def removals_by_sets(store: Store, period: Period, sets: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Removals without being seen for every grouping set in one pass (month: of the removal)."""
    s, e = ibis.literal(period.start), ibis.literal(period.end)
    p = _pathways(store)
    gone = p.filter(~p.seen, p.exit_date >= s, p.exit_date <= e)
    gone = gone.mutate(
        wait=gone.exit_date.delta(gone.clock_start, unit="day"), month=month_of(gone.exit_date)
    )
    frame = aggregate_by_sets(
        gone, sets, {"removed": gone.count(), "median_days": gone.wait.quantile(0.5)}
    )
    _as_counts(frame, ["removed"])
    return frame


def removals_without_being_seen(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Pathways closed, rejected or discharged in [period_start, period_end] before any
    attended contact: ``removed``, and the median wait to removal in days."""
    return REMOVALS.run(store, Period.of(period_start, period_end), by)


# --- list movements --------------------------------------------------------------------------


def list_movements_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """The monthly reconciliation for every grouping set in one pass (always by month)."""
    p = _pathways(store)
    first = period.start.replace(day=1)
    last = month_ends(period.end, period.end + dt.timedelta(days=31))[0]
    joined = p.cross_join(months_table(store, first, last))
    start_of = joined.first_day
    end_of = joined.last_day
    exit_in = joined.exit_date.between(start_of, end_of)
    on_list_before = (joined.clock_start < start_of) & (
        joined.exit_date.isnull() | (joined.exit_date >= start_of)
    )
    sets = [tuple(dict.fromkeys(("month", *s))) for s in sets]
    frame = aggregate_by_sets(
        joined,
        sets,
        {
            "list_start": on_list_before.cast("int64").sum(),
            "received": joined.clock_start.between(start_of, end_of).cast("int64").sum(),
            "clock_stops": (exit_in & joined.seen).cast("int64").sum(),
            "removals": (exit_in & ~joined.seen).cast("int64").sum(),
            "list_end": _on_list(joined, end_of).cast("int64").sum(),
        },
    )
    counts = ["list_start", "received", "clock_stops", "removals", "list_end"]
    _as_counts(frame, counts)
    frame["reconciles"] = frame["list_end"] == (
        frame["list_start"] + frame["received"] - frame["clock_stops"] - frame["removals"]
    )
    return frame


def list_movements(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """The monthly reconciliation of the waiting list, for each month in the period.

    list_end = list_start + received - clock_stops - removals, where list_start is the list
    at the end of the day before the month, received counts clock starts in the month, and
    clock stops and removals count exits in the month. ``reconciles`` checks the identity.
    """
    by = [b for b in check_breakdowns(by) if b != "month"]
    by = LIST_MOVEMENTS.check_breakdowns(by)
    period = Period.of(period_start, period_end)
    return one_set(list_movements_by_sets(store, period, [("month", *by)]), ["month", *by])


# --- the registry ----------------------------------------------------------------------------

_BAND_COLUMNS = tuple(count(col, text, "people") for col, text, _, _ in WAIT_BANDS)

WAITING_LIST = Measure(
    family="waits",
    name="list",
    title="Waiting list at the census date",
    section="3",
    function=waiting_list,
    grouped=waiting_list_by_sets,
    facts=("pathways",),
    breakdowns=PATHWAY_BREAKDOWNS,
    period="census",
    columns=columns(
        label("census_date", "Census date"),
        count("waiting", "Waiting", "people"),
        *_BAND_COLUMNS,
        count("over_18_weeks", "Waiting over 18 weeks", "people"),
        count("over_52_weeks", "Waiting over 52 weeks", "people"),
        count("over_104_weeks", "Waiting over 104 weeks", "people"),
        average("median_days", "Median wait (days)", "waiting"),
        average("p92_days", "92nd percentile wait (days)", "waiting"),
        percentage(
            "pct_over_18_weeks", "% waiting over 18 weeks", "over_18_weeks", "waiting", False
        ),
    ),
    tables=(
        AggregateTable("waiting_list", extras=REFERRAL_EXTRAS),
        AggregateTable("waiting_list_monthly", repeat="month"),
    ),
)

COMPLETED_WAITS = Measure(
    family="waits",
    name="completed",
    title="Completed waits in the period",
    section="3",
    function=completed_waits,
    grouped=completed_waits_by_sets,
    facts=("pathways",),
    breakdowns=PATHWAY_BREAKDOWNS,
    columns=columns(
        count("completed", "Completed waits", "pathways"),
        average("mean_days", "Mean wait (days)", "completed"),
        average("median_days", "Median wait (days)", "completed"),
        average("p92_days", "92nd percentile wait (days)", "completed"),
        count("within_18_weeks", "Seen within 18 weeks", "pathways"),
        percentage(
            "pct_within_18_weeks", "% seen within 18 weeks", "within_18_weeks", "completed", False
        ),
    ),
    tables=(AggregateTable("completed_waits", extras=(("month",), *REFERRAL_EXTRAS)),),
)

REMOVALS = Measure(
    family="waits",
    name="removals",
    title="Removed from the list without being seen",
    section="3",
    function=removals_without_being_seen,
    grouped=removals_by_sets,
    facts=("pathways",),
    breakdowns=PATHWAY_BREAKDOWNS,
    columns=columns(
        count("removed", "Removed without being seen", "pathways"),
        average("median_days", "Median wait to removal (days)", "removed"),
    ),
    tables=(AggregateTable("removals"),),
)

LIST_MOVEMENTS = Measure(
    family="waits",
    name="movements",
    title="Monthly movements of the waiting list",
    section="3",
    function=list_movements,
    grouped=list_movements_by_sets,
    facts=("pathways",),
    breakdowns=tuple(b for b in PATHWAY_BREAKDOWNS if b != "month"),
    columns=columns(
        count("list_start", "On the list at the start of the month", "people"),
        count("received", "Referrals received", "referrals"),
        count("clock_stops", "Clock stops (first attended contact)", "pathways"),
        count("removals", "Removed without being seen", "pathways"),
        count("list_end", "On the list at the end of the month", "people"),
        label("reconciles", "Start + received - stops - removals = end"),
    ),
    tables=(AggregateTable("list_movements", repeat="month"),),
)

MEASURES = (WAITING_LIST, COMPLETED_WAITS, REMOVALS, LIST_MOVEMENTS)
