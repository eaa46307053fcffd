"""Discharge to social care (measures.md section 9, "Discharge to social care").

Of community inpatient spells discharged in the period, alive (discharge destination not
``06``; a missing destination counts as alive), the share whose person has a CLD Service (any
type but unpaid carer support) starting from 7 days before to 90 days after the discharge date;
the days to that service are the first such start - the discharge date, read as 0 when the
service started before the discharge (``days_to_service`` of the ``transitions`` fact). The
median and 90th percentile days (linear interpolation, section 3) are given only on 8 or more
discharges with a service. The time-to-service curve is the cumulative share with a service by
each day 0 to 90. Breakdowns are the spell's person's at the spell's provider; the month is
the discharge month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from workbench.breakdowns import month_of
from workbench.facts import fact_table
from workbench.measures.declare import (
    AggregateTable,
    Measure,
    average,
    columns,
    label,
    percentage,
)
from workbench.measures.declare import count as count_column
from workbench.measures.grouping_sets import aggregate_by_sets
from workbench.measures.linked._common import COMMUNITY_BREAKDOWNS, complete_total
from workbench.measures.outcomes._common import (
    PERSON_EXTRAS,
    add_proportion,
    as_counts,
    count,
    in_period,
    ordered,
    sets_with,
)
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store


DIED = "06"
CURVE_DAYS = 90
#: The fewest discharges with a service a median or 90th percentile is given on (section 3).
MIN_FOR_PERCENTILES = 8


def discharges(store: Store, period: Period) -> ir.Table:
    """Community bed discharges of the period, alive, from the ``transitions`` fact, with the
    discharge ``month``."""
    events = fact_table(store, "transitions")
    alive = (events.discharge_destination != DIED).fill_null(True)
    return events.filter(
        events.setting == "community bed", in_period(events.event_date, period), alive
    ).mutate(month=month_of(events.event_date))


def discharge_to_service_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Discharge to social care for every grouping set in one pass."""
    records = discharges(store, period)
    days = records.days_to_service
    frame = aggregate_by_sets(
        records,
        sets,
        {
            "discharges": records.count(),
            "with_service": count(days.notnull()),
            "median_days": days.quantile(0.5),
            "p90_days": days.quantile(0.9),
        },
    )
    as_counts(frame, ("discharges", "with_service"))
    add_proportion(frame, "pct_with_service", "with_service", "discharges")
    few = (frame["with_service"] < MIN_FOR_PERCENTILES).to_numpy()
    for name in ("median_days", "p90_days"):
        frame[name] = np.where(few, np.nan, frame[name].astype("float64"))
    names = ("discharges", "with_service", *_pct("pct_with_service"), "median_days", "p90_days")
    return ordered(frame, sets, names)


def _pct(name: str) -> tuple[str, str, str]:
    return (name, f"{name}_lower", f"{name}_upper")


def discharge_to_social_care(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Community inpatient discharges followed by a social care service (measures.md 9).

    Returns the breakdowns, ``discharges`` (alive, in the period), ``with_service`` (a CLD
    Service but unpaid carer support starting 7 days before to 90 days after the discharge),
    ``pct_with_service`` with ``_lower``/``_upper`` 95% Wilson limits, and ``median_days`` and
    ``p90_days`` to the service (NaN on fewer than 8 discharges with a service).
    """
    return DISCHARGE_TO_SERVICE.run(store, Period.of(period_start, period_end), by)


def service_curve_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """The time-to-service curve for every grouping set in one pass: one row per day 0 to 90."""
    records = discharges(store, period)
    days = store.reference(
        "linked_curve_days", lambda: pd.DataFrame({"day": np.arange(CURVE_DAYS + 1)})
    )
    days = days.select(day=days.day.cast("int64"))
    rows = records.cross_join(days)
    by_day = sets_with(sets, "day")
    frame = aggregate_by_sets(
        rows,
        by_day,
        {
            "discharges": rows.count(),
            "with_service_by_day": count(rows.days_to_service <= rows.day),
        },
    )
    frame = complete_total(frame, by_day, {"day": range(CURVE_DAYS + 1)})
    as_counts(frame, ("discharges", "with_service_by_day"))
    frame["day"] = frame["day"].astype("int64")
    add_proportion(frame, "pct_with_service_by_day", "with_service_by_day", "discharges")
    names = ("discharges", "with_service_by_day", *_pct("pct_with_service_by_day"))
    return ordered(frame, by_day, names, sort=("day",))


def time_to_social_care_curve(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """The cumulative share of community inpatient discharges with a social care service
    started by each day 0 to 90 after the discharge (measures.md 9).

    Returns the breakdowns, ``day``, ``discharges`` (the same on every day), and
    ``with_service_by_day`` and ``pct_with_service_by_day`` (with ``_lower``/``_upper``).
    """
    return SERVICE_CURVE.run(store, Period.of(period_start, period_end), by)


_DISCHARGES = count_column("discharges", "Community inpatient discharges (alive)", "discharges")

DISCHARGE_TO_SERVICE = Measure(
    family="linked",
    name="discharge_to_service",
    title="Community inpatient discharges followed by a social care service",
    section="9",
    function=discharge_to_social_care,
    grouped=discharge_to_service_by_sets,
    facts=("transitions",),
    breakdowns=COMMUNITY_BREAKDOWNS,
    columns=columns(
        _DISCHARGES,
        count_column("with_service", "With a social care service within 90 days", "discharges"),
        percentage(
            "pct_with_service",
            "% of discharges with a social care service within 90 days",
            "with_service",
            "discharges",
        ),
        average("median_days", "Median days to the service", "with_service"),
        average("p90_days", "90th percentile days to the service", "with_service"),
    ),
    tables=(AggregateTable("linked_discharge_to_service", extras=(("month",), *PERSON_EXTRAS)),),
)

SERVICE_CURVE = Measure(
    family="linked",
    name="service_curve",
    title="Time from community inpatient discharge to a social care service",
    section="9",
    function=time_to_social_care_curve,
    grouped=service_curve_by_sets,
    facts=("transitions",),
    breakdowns=tuple(b for b in COMMUNITY_BREAKDOWNS if b != "month"),
    within=("day",),
    columns=columns(
        label("day", "Days after the discharge"),
        _DISCHARGES,
        count_column(
            "with_service_by_day", "Discharges with a service started by the day", "discharges"
        ),
        percentage(
            "pct_with_service_by_day",
            "% of discharges with a service started by the day",
            "with_service_by_day",
            "discharges",
        ),
    ),
    tables=(AggregateTable("linked_service_curve"),),
)
