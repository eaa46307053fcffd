"""UCR follow-on: emergency acute admissions after an urgent community response (measures.md
section 5, "UCR follow-on").

Of the in-scope UCR clocks starting in the period (measures.md 4: status ``in_scope``), the
share followed by an emergency acute admission of the same person with an admission date 0 to
2 days, and 0 to 30 days, after the clock start date (both ends included). The person is the
clock's referral's ``person_id``; the acute admissions table is linked on the pseudonymised
``person_id`` only (not on provider). A clock counts once however many admissions follow it.
The flags are those of the urgent response fact (:mod:`workbench.facts.ucr_clocks`).

Decisions where measures.md is silent:

* days are whole calendar days between dates (admission date - clock start date); an admission
  on the day of the clock start is day 0 and counts, whatever its time (the acute extract
  carries no admission time);
* emergency means ``admission_method == "emergency"``; elective and missing methods never count;
* breakdowns are those of the clock's referral (provider: the clock's provider); the month
  breakdown is the clock start month;
* admissions after the period end count, so a recent period's 30-day share is incomplete until
  30 days of later acute data have arrived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench.breakdowns import month_of
from workbench.facts import fact_table
from workbench.measures.declare import AggregateTable, Measure, columns, percentage
from workbench.measures.declare import count as count_column
from workbench.measures.grouping_sets import aggregate_by_sets
from workbench.measures.outcomes._common import (
    OUTCOME_BREAKDOWNS,
    REFERRAL_EXTRAS,
    add_proportion,
    as_counts,
    count,
    in_period,
    ordered,
)
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store


EMERGENCY = "emergency"
WINDOWS = (2, 30)
COUNTS = ("clocks", *[f"admitted_{n}_days" for n in WINDOWS])
OUTPUT = (
    *COUNTS,
    *[f"pct_admitted_{n}_days{suffix}" for n in WINDOWS for suffix in ("", "_lower", "_upper")],
)


def ucr_follow_on_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """UCR follow-on admissions for every grouping set in one pass (month: of the clock start)."""
    clocks = fact_table(store, "ucr_clocks")
    records = clocks.filter(
        clocks.status == "in_scope", in_period(clocks.clock_start_date, period)
    ).mutate(provider=clocks.provider_code, month=month_of(clocks.clock_start_date))
    frame = aggregate_by_sets(
        records,
        sets,
        {
            "clocks": records.count(),
            **{f"admitted_{n}_days": count(records[f"admitted_{n}_days"]) for n in WINDOWS},
        },
    )
    as_counts(frame, COUNTS)
    for n in WINDOWS:
        add_proportion(frame, f"pct_admitted_{n}_days", f"admitted_{n}_days", "clocks")
    return ordered(frame, sets, OUTPUT)


def ucr_follow_on_admissions(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Share of in-scope UCR clocks followed by an emergency acute admission (measures.md 5).

    Returns the breakdown columns, ``clocks`` (in scope, starting in the period),
    ``admitted_2_days`` and ``admitted_30_days`` (clocks with an emergency admission of the
    same person 0-2 and 0-30 days after the clock start date), and ``pct_admitted_2_days``,
    ``pct_admitted_30_days`` (% of clocks) with ``_lower``/``_upper`` 95% Wilson limits.
    """
    return FOLLOW_ON.run(store, Period.of(period_start, period_end), by)


FOLLOW_ON = Measure(
    family="outcomes",
    name="follow_on",
    title="Emergency acute admissions after an urgent community response",
    section="5",
    function=ucr_follow_on_admissions,
    grouped=ucr_follow_on_by_sets,
    facts=("ucr_clocks",),
    breakdowns=OUTCOME_BREAKDOWNS,
    columns=columns(
        count_column("clocks", "In-scope UCR clocks", "clocks"),
        count_column("admitted_2_days", "Emergency admission within 2 days", "clocks"),
        count_column("admitted_30_days", "Emergency admission within 30 days", "clocks"),
        percentage(
            "pct_admitted_2_days",
            "% of UCR clocks with an emergency admission within 2 days",
            "admitted_2_days",
            "clocks",
        ),
        percentage(
            "pct_admitted_30_days",
            "% of UCR clocks with an emergency admission within 30 days",
            "admitted_30_days",
            "clocks",
        ),
    ),
    tables=(AggregateTable("ucr_follow_on", extras=(("month",), *REFERRAL_EXTRAS[1:])),),
)
