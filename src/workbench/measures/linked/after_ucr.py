"""After urgent response (measures.md section 9, "After urgent response").

Of the in-scope UCR clocks starting in the period (section 4) of a person (a clock whose
referral names no person cannot link and is left out), the share followed within 7 days, and
within 30 days, of the clock start (days 0 to 7 and 0 to 30, both ends included) first by an
emergency admission, first by a social care request (a CLD Request), or by neither. The three
add up to the clocks. On the same day an admission comes first. The days are those of the
``transitions`` fact (``days_to_admission``, ``days_to_request``); breakdowns are the clock's
referral's, the month is the clock start's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import month_of
from workbench.facts import fact_table
from workbench.measures.declare import AggregateTable, Measure, columns, percentage
from workbench.measures.declare import count as count_column
from workbench.measures.grouping_sets import aggregate_by_sets
from workbench.measures.linked._common import COMMUNITY_BREAKDOWNS
from workbench.measures.outcomes._common import (
    PERSON_EXTRAS,
    add_proportion,
    as_counts,
    count,
    in_period,
    ordered,
)
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store


WINDOWS = (7, 30)
FIRSTS = ("admission", "request", "neither")
COUNTS = ("clocks", *[f"{first}_{n}_days" for n in WINDOWS for first in FIRSTS])
OUTPUT = (
    *COUNTS,
    *[
        f"pct_{first}_{n}_days{suffix}"
        for n in WINDOWS
        for first in FIRSTS
        for suffix in ("", "_lower", "_upper")
    ],
)


def first_within(records: ir.Table, n: int) -> tuple[ir.BooleanValue, ir.BooleanValue]:
    """(admission first, request first) within ``n`` days of each clock start."""
    admission = records.days_to_admission
    request = records.days_to_request
    admitted = (admission <= n) & (request.isnull() | (admission <= request))
    requested = (request <= n) & (admission.isnull() | (request < admission))
    return admitted.fill_null(False), requested.fill_null(False)


def after_ucr_by_sets(store: Store, period: Period, sets: Sequence[Sequence[str]]) -> pd.DataFrame:
    """After urgent response for every grouping set in one pass (month: of the clock start)."""
    events = fact_table(store, "transitions")
    records = events.filter(
        events.setting == "urgent response", in_period(events.event_date, period)
    ).mutate(month=month_of(events.event_date))
    aggregates = {"clocks": records.count()}
    for n in WINDOWS:
        admitted, requested = first_within(records, n)
        aggregates[f"admission_{n}_days"] = count(admitted)
        aggregates[f"request_{n}_days"] = count(requested)
    frame = aggregate_by_sets(records, sets, aggregates)
    for n in WINDOWS:
        frame[f"neither_{n}_days"] = (
            frame["clocks"].fillna(0)
            - frame[f"admission_{n}_days"].fillna(0)
            - frame[f"request_{n}_days"].fillna(0)
        )
    as_counts(frame, COUNTS)
    for n in WINDOWS:
        for first in FIRSTS:
            add_proportion(frame, f"pct_{first}_{n}_days", f"{first}_{n}_days", "clocks")
    return ordered(frame, sets, OUTPUT)


def linked_after_ucr(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Urgent response clocks followed first by an emergency admission, first by a social care
    request, or by neither, within 7 and 30 days (measures.md section 9).

    Returns the breakdowns, ``clocks`` (in scope, of a person, starting in the period), for n
    in 7 and 30 ``admission_{n}_days``, ``request_{n}_days`` and ``neither_{n}_days`` (adding
    up to the clocks) and each as ``pct_..._{n}_days`` (% of clocks) with ``_lower``/``_upper``
    95% Wilson limits.
    """
    return AFTER_UCR.run(store, Period.of(period_start, period_end), by)


_LABELS = {
    "admission": "first by an emergency admission",
    "request": "first by a social care request",
    "neither": "by neither",
}

AFTER_UCR = Measure(
    family="linked",
    name="after_ucr",
    title="After an urgent community response: emergency admission, social care request or neither",
    section="9",
    function=linked_after_ucr,
    grouped=after_ucr_by_sets,
    facts=("transitions",),
    breakdowns=COMMUNITY_BREAKDOWNS,
    columns=columns(
        count_column("clocks", "In-scope UCR clocks", "clocks"),
        *[
            count_column(
                f"{first}_{n}_days", f"Followed {_LABELS[first]} within {n} days", "clocks"
            )
            for n in WINDOWS
            for first in FIRSTS
        ],
        *[
            percentage(
                f"pct_{first}_{n}_days",
                f"% of UCR clocks followed {_LABELS[first]} within {n} days",
                f"{first}_{n}_days",
                "clocks",
            )
            for n in WINDOWS
            for first in FIRSTS
        ],
    ),
    tables=(AggregateTable("linked_after_ucr", extras=(("month",), *PERSON_EXTRAS)),),
)
