"""Waiting times (MEASURES.md section 3): the waiting list at a census date, completed waits
in a period, removals without being seen, and the monthly reconciliation of list movements.

Every function takes the store, dates, and ``by=`` any breakdowns, and returns a tidy pandas
frame. Waits are whole days; percentiles are linear interpolation between order statistics
(type 7) and exact at every level.
"""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd

from workbench.measures.grouping import breakdowns, reduce, with_breakdowns
from workbench.measures.pathways import pathway_facts
from workbench.period import parse_date

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


def _pct(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole > 0) * 100).astype("float64")


def waiting_list(store, census_date, by=None) -> pd.DataFrame:
    """The waiting list (incomplete pathways) at the end of ``census_date``.

    On the list: received on or before C; no attended contact on or before C; not closed,
    rejected or discharged on or before C. Wait = C - received date, in days.

    Returns one row per breakdown group with ``waiting``, one column per wait band
    (:data:`WAIT_BANDS`), ``over_18_weeks``, ``over_52_weeks``, ``over_104_weeks`` (729 days or
    more, inside the >52 band), ``median_days``, ``p92_days`` and ``pct_over_18_weeks``.
    """
    by = breakdowns(by)
    census = parse_date(census_date, "census date")
    c = ibis.literal(census)
    p = pathway_facts(store)
    on_list = p.filter(p.clock_start <= c, p.exit_date.isnull() | (p.exit_date > c))
    on_list = on_list.mutate(wait=c.delta(on_list.clock_start, unit="day"))
    records = with_breakdowns(on_list, store, by, month=census.strftime("%Y-%m"))
    w = records.wait
    bands = {
        col: ((w >= lo) & (w <= hi) if hi is not None else (w >= lo)).cast("int64").sum()
        for col, _, lo, hi in WAIT_BANDS
    }
    frame = reduce(
        records,
        by,
        waiting=records.count(),
        **bands,
        over_18_weeks=(w > EIGHTEEN_WEEKS).cast("int64").sum(),
        over_52_weeks=(w >= OVER_52_WEEKS).cast("int64").sum(),
        over_104_weeks=(w >= OVER_104_WEEKS).cast("int64").sum(),
        median_days=w.quantile(0.5),
        p92_days=w.quantile(0.92),
    )
    count_cols = ["waiting", *bands, "over_18_weeks", "over_52_weeks", "over_104_weeks"]
    frame[count_cols] = frame[count_cols].fillna(0).astype("int64")
    frame["pct_over_18_weeks"] = _pct(frame["over_18_weeks"], frame["waiting"])
    frame.insert(0, "census_date", census)
    return frame


def completed_waits(store, period_start, period_end, by=None) -> pd.DataFrame:
    """Completed waits: pathways whose clock stopped in [period_start, period_end].

    Wait = clock stop - clock start, in days. Returns ``completed``, ``mean_days``,
    ``median_days``, ``p92_days``, ``within_18_weeks`` (126 days or fewer) and
    ``pct_within_18_weeks``; the month breakdown is the month of the clock stop.
    """
    by = breakdowns(by)
    s, e = (
        ibis.literal(parse_date(period_start, "period start")),
        ibis.literal(parse_date(period_end, "period end")),
    )
    p = pathway_facts(store)
    done = p.filter(p.seen, p.clock_stop >= s, p.clock_stop <= e)
    done = done.mutate(wait=done.clock_stop.delta(done.clock_start, unit="day"))
    records = with_breakdowns(done, store, by, month=done.clock_stop.strftime("%Y-%m"))
    w = records.wait
    frame = reduce(
        records,
        by,
        completed=records.count(),
        mean_days=w.mean(),
        median_days=w.quantile(0.5),
        p92_days=w.quantile(0.92),
        within_18_weeks=(w <= EIGHTEEN_WEEKS).cast("int64").sum(),
    )
    frame[["completed", "within_18_weeks"]] = (
        frame[["completed", "within_18_weeks"]].fillna(0).astype("int64")
    )
    frame["pct_within_18_weeks"] = _pct(frame["within_18_weeks"], frame["completed"])
    return frame


def removals_without_being_seen(store, period_start, period_end, by=None) -> pd.DataFrame:
    """Pathways closed, rejected or discharged in [period_start, period_end] before any
    attended contact: ``removed``, and the median wait to removal in days."""
    by = breakdowns(by)
    s, e = (
        ibis.literal(parse_date(period_start, "period start")),
        ibis.literal(parse_date(period_end, "period end")),
    )
    p = pathway_facts(store)
    gone = p.filter(~p.seen, p.exit_date >= s, p.exit_date <= e)
    gone = gone.mutate(wait=gone.exit_date.delta(gone.clock_start, unit="day"))
    records = with_breakdowns(gone, store, by, month=gone.exit_date.strftime("%Y-%m"))
    frame = reduce(records, by, removed=records.count(), median_days=records.wait.quantile(0.5))
    frame["removed"] = frame["removed"].fillna(0).astype("int64")
    return frame


def list_movements(store, period_start, period_end, by=None) -> pd.DataFrame:
    """The monthly reconciliation of the waiting list, for each month in the period.

    list_end = list_start + received - clock_stops - removals, where list_start is the list
    at the end of the day before the month, received counts clock starts in the month, and
    clock stops and removals count exits in the month. ``reconciles`` checks the identity.
    """
    by = [b for b in breakdowns(by) if b != "month"]
    p = with_breakdowns(pathway_facts(store), store, by)
    first = parse_date(period_start, "period start").replace(day=1)
    last = parse_date(period_end, "period end")
    frames = []
    month = first
    while month <= last:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        start, end = ibis.literal(month), ibis.literal(following - dt.timedelta(days=1))
        before = ibis.literal(month - dt.timedelta(days=1))
        records = p
        exit_in = records.exit_date.between(start, end)
        frame = reduce(
            records,
            by,
            list_start=(
                (records.clock_start <= before)
                & (records.exit_date.isnull() | (records.exit_date > before))
            )
            .cast("int64")
            .sum(),
            received=records.clock_start.between(start, end).cast("int64").sum(),
            clock_stops=(exit_in & records.seen).cast("int64").sum(),
            removals=(exit_in & ~records.seen).cast("int64").sum(),
            list_end=(
                (records.clock_start <= end)
                & (records.exit_date.isnull() | (records.exit_date > end))
            )
            .cast("int64")
            .sum(),
        )
        frame.insert(0, "month", month.strftime("%Y-%m"))
        frames.append(frame)
        month = following
    out = pd.concat(frames, ignore_index=True)
    counts = ["list_start", "received", "clock_stops", "removals", "list_end"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out["reconciles"] = out["list_end"] == (
        out["list_start"] + out["received"] - out["clock_stops"] - out["removals"]
    )
    return out
