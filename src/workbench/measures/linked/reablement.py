"""Reablement: still at home (ASCOF 2D) and its coverage (measures.md section 9).

Read from the ``reablement_episodes`` fact (:mod:`workbench.facts.reablement`): episodes of
people aged 65 and over at the episode start.

**Still at home.** Of the episodes that link to a hospital discharge, the share who remain in
the community for 84 days after that discharge, and (the legacy measure) for 91 days: did not
die, had no emergency admission, and started no long-term nursing or residential care service
in the days 1 to 84 (or 91) after the discharge date. Counted by the linked discharge date,
only for discharges whose whole follow-up lies in the period (discharge date from the period
start to the period end - 84, or - 91, days), for acute discharges, community bed discharges and
both (``discharge_setting``: ``acute``, ``community bed``, ``any``); month: of the discharge.

**Coverage.** Episodes starting in the period, and of them those that link to a discharge
(episodes with no pseudonym cannot link and count in the denominator); month: of the start.

The organisation is the council (the ``council`` level), the other breakdowns the council
breakdowns of the episode's first service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import COUNCIL_LEVELS, month_of
from workbench.facts import fact_table
from workbench.measures.declare import AggregateTable, Measure, columns, label, percentage
from workbench.measures.declare import count as count_column
from workbench.measures.grouping_sets import aggregate_by_sets
from workbench.measures.linked._common import (
    CLD_EXTRAS,
    COUNCIL_MEASURE_BREAKDOWNS,
    complete_total,
)
from workbench.measures.outcomes._common import (
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


OLDER = 65
FOLLOW_UPS = (84, 91)
SETTINGS = ("acute", "community bed", "any")
AT_HOME_COUNTS = tuple(name for n in FOLLOW_UPS for name in (f"episodes_{n}", f"at_home_{n}_days"))
AT_HOME_OUTPUT = (
    *AT_HOME_COUNTS,
    *[f"pct_at_home_{n}_days{s}" for n in FOLLOW_UPS for s in ("", "_lower", "_upper")],
)


def _older(store: Store) -> ir.Table:
    episodes = fact_table(store, "reablement_episodes")
    return episodes.filter((episodes.age_at_start >= OLDER).fill_null(False))


def at_home(records: ir.Table, n: int) -> ir.BooleanValue:
    """No death, emergency admission or long-term care service 1 to ``n`` days after the
    linked discharge."""
    died = (records.days_to_death >= 1) & (records.days_to_death <= n)
    admitted = records.days_to_admission <= n
    cared = records.days_to_long_term_care <= n
    return ~(died.fill_null(False) | admitted.fill_null(False) | cared.fill_null(False))


def _followed(records: ir.Table, period: Period, n: int) -> ir.BooleanValue:
    last = period.end - dt.timedelta(days=n)
    return (records.discharge_date >= period.start) & (records.discharge_date <= last)


def at_home_by_sets(store: Store, period: Period, sets: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Still at home for every grouping set and discharge setting in one pass."""
    episodes = _older(store)
    linked = episodes.filter(
        episodes.discharge_date.notnull(), _followed(episodes, period, min(FOLLOW_UPS))
    ).mutate(month=month_of(episodes.discharge_date))
    records = linked.union(linked.mutate(discharge_setting=ibis.literal("any")))
    aggregates = {}
    for n in FOLLOW_UPS:
        followed = _followed(records, period, n)
        aggregates[f"episodes_{n}"] = count(followed)
        aggregates[f"at_home_{n}_days"] = count(followed & at_home(records, n))
    chosen = sets_with(sets, "discharge_setting")
    frame = aggregate_by_sets(records, chosen, aggregates)
    frame = complete_total(frame, chosen, {"discharge_setting": SETTINGS})
    as_counts(frame, AT_HOME_COUNTS)
    for n in FOLLOW_UPS:
        add_proportion(frame, f"pct_at_home_{n}_days", f"at_home_{n}_days", f"episodes_{n}")
    return ordered(frame, chosen, AT_HOME_OUTPUT)


def reablement_at_home(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """People 65 and over still at home 84 (ASCOF 2D) and 91 days after the hospital discharge
    their reablement episode links to (measures.md section 9).

    Returns the breakdowns, ``discharge_setting`` (acute, community bed, any), and for n in 84
    and 91: ``episodes_{n}`` (linked episodes whose discharge's follow-up lies in the period),
    ``at_home_{n}_days`` and ``pct_at_home_{n}_days`` with ``_lower``/``_upper`` limits.
    """
    return AT_HOME.run(store, Period.of(period_start, period_end), by)


def coverage_by_sets(store: Store, period: Period, sets: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Reablement coverage for every grouping set in one pass (month: of the episode start)."""
    episodes = _older(store)
    records = episodes.filter(in_period(episodes.episode_start, period)).mutate(
        month=month_of(episodes.episode_start)
    )
    frame = aggregate_by_sets(
        records,
        sets,
        {"episodes": records.count(), "linked": count(records.discharge_date.notnull())},
    )
    as_counts(frame, ("episodes", "linked"))
    add_proportion(frame, "pct_linked", "linked", "episodes")
    names = ("episodes", "linked", "pct_linked", "pct_linked_lower", "pct_linked_upper")
    return ordered(frame, sets, names)


def reablement_coverage(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Reablement episodes of people 65 and over starting in the period, and the share that
    link to a hospital discharge (measures.md section 9).

    Returns the breakdowns, ``episodes``, ``linked`` and ``pct_linked`` with
    ``_lower``/``_upper`` 95% Wilson limits.
    """
    return COVERAGE.run(store, Period.of(period_start, period_end), by)


AT_HOME = Measure(
    family="linked",
    name="reablement_at_home",
    title="Reablement: people 65 and over still at home 84 and 91 days after discharge",
    section="9",
    function=reablement_at_home,
    grouped=at_home_by_sets,
    facts=("reablement_episodes",),
    breakdowns=COUNCIL_MEASURE_BREAKDOWNS,
    within=("discharge_setting",),
    columns=columns(
        label("discharge_setting", "Discharged from (acute, community bed or any)"),
        *[
            column
            for n in FOLLOW_UPS
            for column in (
                count_column(
                    f"episodes_{n}", f"Reablement episodes ({n}-day follow-up)", "episodes"
                ),
                count_column(f"at_home_{n}_days", f"Still at home after {n} days", "episodes"),
                *percentage(
                    f"pct_at_home_{n}_days",
                    f"% still at home {n} days after discharge",
                    f"at_home_{n}_days",
                    f"episodes_{n}",
                ),
            )
        ],
    ),
    tables=(AggregateTable("linked_reablement_at_home", levels=COUNCIL_LEVELS, extras=CLD_EXTRAS),),
)

COVERAGE = Measure(
    family="linked",
    name="reablement_coverage",
    title="Reablement episodes of people 65 and over linked to a hospital discharge",
    section="9",
    function=reablement_coverage,
    grouped=coverage_by_sets,
    facts=("reablement_episodes",),
    breakdowns=COUNCIL_MEASURE_BREAKDOWNS,
    columns=columns(
        count_column("episodes", "Reablement episodes, 65 and over", "episodes"),
        count_column("linked", "Linked to a hospital discharge", "episodes"),
        percentage("pct_linked", "% of episodes linked to a discharge", "linked", "episodes"),
    ),
    tables=(
        AggregateTable(
            "linked_reablement_coverage", levels=COUNCIL_LEVELS, extras=(("month",), *CLD_EXTRAS)
        ),
    ),
)
