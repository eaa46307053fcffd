"""Shared pieces of the linked pathway measures (measures.md section 9): their breakdowns, the
extra breakdowns of their compute tables, and the people with community activity in a period.

A measure that starts from a community event takes the breakdowns of its fact; one that starts
from an adult social care (CLD) event takes the council as its organisation (the ``council``
level of compute, in place of the provider) and the council breakdowns of
:mod:`workbench.facts.social_care`. The portable-Ibis rules of :mod:`workbench.engine` apply.
"""

from __future__ import annotations

from workbench.breakdowns import BREAKDOWNS, COUNCIL, COUNCIL_MEASURE_BREAKDOWNS
from workbench.measures.dq.linkage import active_people, social_care_people, with_flag

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
    "social_care_people",
    "with_flag",
]
