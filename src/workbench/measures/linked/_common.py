"""Shared pieces of the linked pathway measures (measures.md section 9): their breakdowns, the
extra breakdowns of their compute tables, and the people with community activity in a period.

A measure that starts from a community event takes the breakdowns of its fact; one that starts
from an adult social care (CLD) event takes the council as its organisation (the ``council``
level of compute, in place of the provider) and the council breakdowns of
:mod:`workbench.facts.social_care`. The portable-Ibis rules of :mod:`workbench.engine` apply.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from workbench.breakdowns import BREAKDOWNS, COUNCIL, COUNCIL_MEASURE_BREAKDOWNS
from workbench.measures.dq.linkage import active_people, social_care_people, with_flag
from workbench.measures.grouping_sets import SET_COLUMN, unique_sets

#: The breakdowns of a measure that starts from a community event.
COMMUNITY_BREAKDOWNS = BREAKDOWNS
#: The extra breakdowns of the compute tables of people (Core20PLUS5).
PEOPLE_EXTRAS = (
    ("age_group",),
    ("sex",),
    ("ethnic_group",),
    ("imd_quintile",),
    ("imd_decile",),
)
CLD_EXTRAS = (("sex",), ("ethnic_group",), ("imd_quintile",))

__all__ = [
    "COMMUNITY_BREAKDOWNS",
    "COUNCIL",
    "COUNCIL_MEASURE_BREAKDOWNS",
    "active_people",
    "complete_total",
    "social_care_people",
    "with_flag",
]


def complete_total(
    frame: pd.DataFrame, sets: Sequence[Sequence[str]], within: dict[str, Sequence]
) -> pd.DataFrame:
    """``frame`` (from :func:`workbench.measures.grouping_sets.aggregate_by_sets` over
    ``sets``) with a row for every combination of the ``within`` values in the set of the
    ``within`` columns alone (England), where it has none: its counts are missing, to be read
    as 0, so that England always shows every row even over no records."""
    sets = unique_sets(sets)
    wanted = set(within)
    index = next((i for i, s in enumerate(sets) if set(s) == wanted), None)
    if index is None:
        return frame
    grid = pd.MultiIndex.from_product(list(within.values()), names=list(within)).to_frame(
        index=False
    )
    have = frame.loc[frame[SET_COLUMN] == index, list(within)]
    merged = grid.merge(have.drop_duplicates(), how="left", indicator=True)
    missing = merged[merged["_merge"] == "left_only"].drop(columns="_merge")
    if missing.empty:
        return frame
    missing[SET_COLUMN] = index
    return pd.concat([frame, missing], ignore_index=True)
