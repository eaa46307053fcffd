"""Shared helpers of the outcome measures: the breakdowns they take, sets of breakdowns, counts
and percentages with Wilson intervals.

Every outcome measure reads a record-level fact (:mod:`workbench.facts`) whose rows already
carry every breakdown, filters it to the period and reduces it for every grouping set in one
query (:func:`workbench.measures.grouping_sets.aggregate_by_sets`); only small aggregates are
fetched into pandas. The portable-Ibis rules of :mod:`workbench.engine` apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import BREAKDOWNS
from workbench.measures.grouping_sets import SET_COLUMN, unique_sets
from workbench.period import Period
from workbench.stats import percentage_with_interval

if TYPE_CHECKING:
    pass

#: The breakdowns of every outcome fact: all the standard ones (month is the month the measure
#: places a record in).
OUTCOME_BREAKDOWNS = BREAKDOWNS
#: The extra breakdowns of the person-keyed and referral-keyed compute tables.
PERSON_EXTRAS = (("age_group",), ("sex",), ("ethnic_group",), ("imd_quintile",))
REFERRAL_EXTRAS = (("team_type",), *PERSON_EXTRAS)


def sets_with(sets: Sequence[Sequence[str]], *columns: str) -> list[tuple[str, ...]]:
    """Each grouping set with ``columns`` added (once) at its end."""
    return [tuple(dict.fromkeys((*s, *columns))) for s in unique_sets(sets)]


def set_columns(sets: Sequence[Sequence[str]]) -> list[str]:
    """The union of the columns of ``sets``, in order of first appearance."""
    return list(dict.fromkeys(c for s in sets for c in s))


def in_period(date: ir.DateValue, period: Period) -> ir.BooleanValue:
    """``date`` falls in the period (both ends included; NULL is not in it)."""
    return (date >= ibis.literal(period.start)) & (date <= ibis.literal(period.end))


def count(condition: ir.BooleanValue) -> ir.IntegerValue:
    """How many rows meet ``condition`` (NULL counts as not met)."""
    return ibis.ifelse(condition.fill_null(False), 1, 0).sum()


def as_counts(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    """Make ``columns`` int64 counts in place (an empty sum is 0)."""
    columns = list(columns)
    frame[columns] = frame[columns].fillna(0).astype("int64")


def add_proportion(frame: pd.DataFrame, name: str, numerator: str, denominator: str) -> None:
    """Add ``name`` (numerator / denominator as a percentage, NaN when the denominator is 0)
    and its 95% Wilson interval ``name_lower`` / ``name_upper`` (percentages), in place."""
    if frame.empty:
        for col in (name, f"{name}_lower", f"{name}_upper"):
            frame[col] = pd.Series(dtype="float64")
        return
    frame[name], frame[f"{name}_lower"], frame[f"{name}_upper"] = percentage_with_interval(
        frame[numerator], frame[denominator]
    )


def ordered(
    frame: pd.DataFrame,
    sets: Sequence[Sequence[str]],
    names: Sequence[str],
    sort: Sequence[str] = (),
) -> pd.DataFrame:
    """``frame`` with the set columns first, then ``names``, then ``_set``; rows sorted by set,
    set columns and ``sort``, so that every engine gives the rows in the same order."""
    keys = [c for c in set_columns(sets) if c in frame]
    out = frame[[*keys, *names, SET_COLUMN]]
    order = [SET_COLUMN, *keys, *[c for c in sort if c not in keys]]
    return out.sort_values(order, kind="stable", na_position="last").reset_index(drop=True)
