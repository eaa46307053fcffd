"""The urgent community response fact: one row per 2-hour clock (measures.md sections 4 and 5).

Clocks are response-time clocks with measurement type ``05`` and a start date (a clock with no
start date cannot be placed in a period; the data quality report counts it). ``status`` is
``in_scope`` (start and end date and time present, end not before start), ``missing_start`` (no
start time), ``missing_end`` (no end date or time) or ``end_before_start``; ``minutes`` = end -
start. ``admitted_2_days`` and ``admitted_30_days`` flag an in-scope clock followed by an
emergency acute admission of the same person 0 to 2 and 0 to 30 days after the clock start date
(linked on the pseudonymised person only). ``start_hour`` (0 to 23, NULL with no start time)
and ``start_weekday`` (0 Monday to 6 Sunday) place the clock start in the provider's local clock
time (Europe/London), in which the extract records times; ``source_of_referral`` and
``ucr_referral_reason`` are the referral's (NULL when the referral is not loaded). Each row
carries the breakdowns of its referral.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from workbench.facts._attach import with_referral_breakdowns

if TYPE_CHECKING:
    from workbench.store import Store


KEY = ("provider_code", "referral_id")
UCR_MEASUREMENT_TYPE = "05"
EMERGENCY = "emergency"
FOLLOW_ON_DAYS = (2, 30)


def _seconds(time: ir.StringValue) -> ir.IntegerValue:
    """Seconds since midnight of an ``HH:MM:SS`` time (the store keeps times as text)."""
    return (
        time.substr(0, 2).cast("int64") * 3600
        + time.substr(3, 2).cast("int64") * 60
        + time.substr(6, 2).cast("int64")
    )


def clock_status(clocks: ir.Table) -> tuple[ir.Value, ir.Value]:
    """``(minutes, status)`` of each response clock (see the module docstring)."""
    days = clocks.clock_end_date.delta(clocks.clock_start_date, unit="day")
    seconds = days * 86400 + _seconds(clocks.clock_end_time) - _seconds(clocks.clock_start_time)
    status = ibis.cases(
        (clocks.clock_start_time.isnull(), "missing_start"),
        (clocks.clock_end_date.isnull() | clocks.clock_end_time.isnull(), "missing_end"),
        (seconds < 0, "end_before_start"),
        else_="in_scope",
    )
    return seconds / 60, status


def _follow_on(clocks: ir.Table, acute: ir.Table) -> ir.Table:
    emergency = acute.filter(
        acute.person_id.notnull(),
        acute.admission_date.notnull(),
        (acute.admission_method == EMERGENCY).fill_null(False),
    ).select(_person=acute.person_id, _admitted=acute.admission_date)
    linked = clocks.filter(clocks.person_id.notnull(), clocks.status == "in_scope")
    linked = linked.join(emergency, linked.person_id == emergency._person)
    days = linked._admitted.delta(linked.clock_start_date, unit="day")
    return linked.group_by(list(KEY)).aggregate(
        **{
            f"_within_{n}": ibis.ifelse((days >= 0) & (days <= n), 1, 0).max()
            for n in FOLLOW_ON_DAYS
        }
    )


def _referral_columns(referrals: ir.Table) -> ir.Table:
    """The referral's person, source and urgent response reason (a store loaded before the
    reason was in the extract has none: NULL)."""
    reason = (
        referrals.ucr_referral_reason
        if "ucr_referral_reason" in referrals.columns
        else ibis.null("string")
    )
    return referrals.select(
        *KEY, "person_id", "source_of_referral", ucr_referral_reason=reason.cast("string")
    )


def ucr_clocks(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The urgent response fact of ``store`` (see the module docstring)."""
    raw = store["rtt_clocks"]
    ucr = raw.filter(raw.measurement_type == UCR_MEASUREMENT_TYPE, raw.clock_start_date.notnull())
    minutes, status = clock_status(ucr)
    owners = _referral_columns(store["referrals"])
    clocks = ucr.select(
        *KEY,
        "clock_start_date",
        minutes=minutes,
        status=status,
        start_hour=ucr.clock_start_time.substr(0, 2).cast("int64"),
        start_weekday=ucr.clock_start_date.day_of_week.index().cast("int64"),
    )
    clocks = clocks.left_join(owners, list(KEY)).drop(*[f"{k}_right" for k in KEY])
    flags = _follow_on(clocks, store["acute_admissions"])
    joined = clocks.left_join(flags, list(KEY))
    records = joined.select(
        *[clocks[c] for c in clocks.columns],
        **{f"admitted_{n}_days": joined[f"_within_{n}"].fill_null(0) == 1 for n in FOLLOW_ON_DAYS},
    )
    return with_referral_breakdowns(records, facts("referral_breakdowns"))
