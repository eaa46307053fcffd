"""UCR follow-on: emergency acute admissions after an urgent community response (MEASURES.md
section 5, "UCR follow-on").

Of the in-scope UCR clocks starting in the period (:func:`workbench.measures.ucr.response_clocks`,
status ``in_scope``, MEASURES.md 4), the share followed by an emergency acute admission of the
same person with an admission date 0 to 2 days, and 0 to 30 days, after the clock start date
(both ends included). The person is the clock's referral's ``person_id``; the acute admissions
table is linked on the pseudonymised ``person_id`` only (not on provider). A clock counts once
however many admissions follow it.

Decisions where MEASURES.md is silent:

* days are whole calendar days between dates (admission date - clock start date); an admission
  on the day of the clock start is day 0 and counts, whatever its time (the acute extract
  carries no admission time);
* emergency means ``admission_method == "emergency"``; elective and missing methods never count;
* breakdowns are those of the clock's referral; the month breakdown is the clock start month;
* admissions after the period end count, so a recent period's 30-day share is incomplete until
  30 days of later acute data have arrived.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.measures.grouping import breakdowns, reduce, with_breakdowns
from workbench.measures.outcomes._common import (
    REFERRAL_KEY,
    add_proportion,
    as_counts,
    count,
    month_expr,
)
from workbench.measures.ucr import response_clocks

EMERGENCY = "emergency"
WINDOWS = (2, 30)


def clocks_with_admissions(store, period_start: dt.date | str, period_end: dt.date | str):
    """In-scope UCR clocks starting in the period, one row per clock, with ``person_id`` and
    ``admitted_2_days`` / ``admitted_30_days`` flags."""
    clocks = response_clocks(store["rtt_clocks"], period_start, period_end)
    clocks = clocks.filter(clocks.status == "in_scope").select(*REFERRAL_KEY, "clock_start_date")
    refs = store["referrals"].select(*REFERRAL_KEY, "person_id")
    clocks = clocks.left_join(refs, list(REFERRAL_KEY)).drop(*[f"{k}_right" for k in REFERRAL_KEY])
    acute = store["acute_admissions"]
    emergency = acute.filter(
        acute.person_id.notnull(),
        acute.admission_date.notnull(),
        (acute.admission_method == EMERGENCY).fill_null(False),
    ).select(_person=acute.person_id, _admitted=acute.admission_date)
    linked = clocks.filter(clocks.person_id.notnull())
    linked = linked.join(emergency, linked.person_id == emergency._person)
    days = linked._admitted.delta(linked.clock_start_date, unit="day")
    flags: dict[str, ir.Value] = {
        f"_within_{n}": ibis.ifelse((days >= 0) & (days <= n), 1, 0).max() for n in WINDOWS
    }
    per_clock = linked.group_by(list(REFERRAL_KEY)).aggregate(**flags)
    joined = clocks.left_join(per_clock, list(REFERRAL_KEY))
    joined = joined.drop(*[f"{k}_right" for k in REFERRAL_KEY])
    return joined.mutate(
        **{f"admitted_{n}_days": joined[f"_within_{n}"].fill_null(0) == 1 for n in WINDOWS}
    ).drop(*[f"_within_{n}" for n in WINDOWS])


def ucr_follow_on_admissions(
    store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Share of in-scope UCR clocks followed by an emergency acute admission (MEASURES.md 5).

    Returns the breakdown columns, ``clocks`` (in scope, starting in the period),
    ``admitted_2_days`` and ``admitted_30_days`` (clocks with an emergency admission of the
    same person 0-2 and 0-30 days after the clock start date), and ``pct_admitted_2_days``,
    ``pct_admitted_30_days`` (% of clocks) with ``_lower``/``_upper`` 95% Wilson limits.
    """
    by = breakdowns(by)
    clocks = clocks_with_admissions(store, period_start, period_end)
    records = with_breakdowns(clocks, store, by, month=month_expr(clocks.clock_start_date))
    frame = reduce(
        records,
        by,
        clocks=records.count(),
        **{f"admitted_{n}_days": count(records[f"admitted_{n}_days"]) for n in WINDOWS},
    )
    as_counts(frame, ["clocks", *[f"admitted_{n}_days" for n in WINDOWS]])
    for n in WINDOWS:
        add_proportion(frame, f"pct_admitted_{n}_days", f"admitted_{n}_days", "clocks")
    return frame
