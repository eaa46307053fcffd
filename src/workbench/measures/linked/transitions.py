"""Pathway transitions (measures.md section 9, "Events" and the transitions).

Of the starting events of the period (an urgent response clock start, a community bed
discharge, an acute discharge; counted by the starting event's date), how many lead to each
outcome: the first later event within 30 days of the ``transitions`` fact (emergency admission,
reablement, long-term care, social care request, died), or home when none follows. For each
group and starting setting with a start, a row for every outcome (0 where none):
``transitions``, ``starts`` (the starting events of that setting) and the percentage of
starts; England has all 18 rows, over no records too. Breakdowns are the starting event's (see
:mod:`workbench.facts.transitions`); the month is the starting event's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench.breakdowns import month_of
from workbench.facts import fact_table
from workbench.facts.transitions import HOME, OUTCOMES, STARTS
from workbench.measures.declare import AggregateTable, Measure, columns, label, percentage
from workbench.measures.declare import count as count_column
from workbench.measures.grouping_sets import SET_COLUMN, aggregate_by_sets
from workbench.measures.linked._common import COMMUNITY_BREAKDOWNS, complete_total
from workbench.measures.outcomes._common import (
    PERSON_EXTRAS,
    add_proportion,
    in_period,
    ordered,
    set_columns,
    sets_with,
)
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store


TO_OUTCOMES = tuple(dict.fromkeys([*OUTCOMES.values(), HOME]))
OUTPUT = (
    "transitions",
    "starts",
    "pct_transitions",
    "pct_transitions_lower",
    "pct_transitions_upper",
)


def with_every_outcome(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` (counts by ``keys``, ``from_setting`` and ``to_outcome``) with a row of 0 for
    every outcome a group's starting setting did not reach, and ``starts``."""
    group = [*keys, "from_setting"]
    present = frame[group].drop_duplicates()
    grid = present.merge(pd.DataFrame({"to_outcome": TO_OUTCOMES}), how="cross")
    out = grid.merge(frame, on=[*group, "to_outcome"], how="left")
    out["transitions"] = out["transitions"].fillna(0).astype("int64")
    starts = out.groupby(group, dropna=False)["transitions"].transform("sum")
    out["starts"] = starts.astype("int64")
    return out


def transitions_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Pathway transitions for every grouping set in one pass."""
    events = fact_table(store, "transitions")
    records = events.filter(
        events.setting.isin(list(STARTS)), in_period(events.event_date, period)
    ).mutate(
        month=month_of(events.event_date), from_setting=events.setting, to_outcome=events.outcome
    )
    chosen = sets_with(sets, "from_setting", "to_outcome")
    frame = aggregate_by_sets(records, chosen, {"transitions": records.count()})
    frame = complete_total(frame, chosen, {"from_setting": STARTS, "to_outcome": TO_OUTCOMES})
    keys = [c for c in set_columns(sets) if c in frame and c not in ("from_setting", "to_outcome")]
    frame = with_every_outcome(frame, [*keys, SET_COLUMN])
    frame["from_setting"] = pd.Categorical(frame["from_setting"], categories=list(STARTS))
    frame["to_outcome"] = pd.Categorical(frame["to_outcome"], categories=list(TO_OUTCOMES))
    add_proportion(frame, "pct_transitions", "transitions", "starts")
    out = ordered(frame, chosen, OUTPUT)
    for name in ("from_setting", "to_outcome"):
        out[name] = out[name].astype("object")
    return out


def pathway_transitions(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Transitions from urgent response, community bed and acute discharge to the first
    outcome within 30 days (measures.md section 9).

    Returns the breakdowns, ``from_setting``, ``to_outcome``, ``transitions``, ``starts`` and
    ``pct_transitions`` (% of starts) with ``_lower``/``_upper`` 95% Wilson limits.
    """
    return TRANSITIONS.run(store, Period.of(period_start, period_end), by)


TRANSITIONS = Measure(
    family="linked",
    name="transitions",
    title="Pathway transitions: where people go within 30 days of urgent response, a community "
    "bed or an acute discharge",
    section="9",
    function=pathway_transitions,
    grouped=transitions_by_sets,
    facts=("transitions",),
    breakdowns=COMMUNITY_BREAKDOWNS,
    within=("from_setting", "to_outcome"),
    columns=columns(
        label("from_setting", "From"),
        label("to_outcome", "To (first within 30 days)"),
        count_column("transitions", "Transitions", "transitions"),
        count_column("starts", "Starting events", "events"),
        percentage("pct_transitions", "% of starting events", "transitions", "starts"),
    ),
    tables=(AggregateTable("linked_transitions", extras=(("month",), *PERSON_EXTRAS)),),
)
