"""People receiving both (measures.md section 9, "People receiving both").

Of people with community health activity in the period (a referral received or a contact: the
persons of measures.md section 2), the share who also had a CLD Service (any type but unpaid
carer support) active on some day of the period (starting on or before the period end and not
ending before its start), linked on the pseudonym alone. People are counted once in each group
(distinct pseudonyms); a person active at two providers counts at each provider and once above
them. Breakdowns are the person's at the provider (the ``persons`` fact), for Core20PLUS5: age
group, sex, broad ethnic group, IMD quintile and decile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import pandas as pd

from workbench.measures.declare import AggregateTable, Measure, columns, percentage
from workbench.measures.declare import count as count_column
from workbench.measures.dq.linkage import PEOPLE_BREAKDOWNS
from workbench.measures.grouping_sets import aggregate_by_sets
from workbench.measures.linked._common import (
    PEOPLE_EXTRAS,
    active_people,
    social_care_people,
    with_flag,
)
from workbench.measures.outcomes._common import add_proportion, as_counts, ordered
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store


OUTPUT = (
    "persons",
    "with_social_care",
    "pct_with_social_care",
    "pct_with_social_care_lower",
    "pct_with_social_care_upper",
)


def both_by_sets(store: Store, period: Period, sets: Sequence[Sequence[str]]) -> pd.DataFrame:
    """People receiving both for every grouping set in one pass."""
    people = with_flag(active_people(store, period), social_care_people(store, period), "_both")
    frame = aggregate_by_sets(
        people,
        sets,
        {
            "persons": people.person_id.nunique(),
            "with_social_care": ibis.ifelse(
                people._both, people.person_id, ibis.null("string")
            ).nunique(),
        },
    )
    as_counts(frame, ("persons", "with_social_care"))
    add_proportion(frame, "pct_with_social_care", "with_social_care", "persons")
    return ordered(frame, sets, OUTPUT)


def people_with_both_services(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """People with community health activity who also had an adult social care service in the
    period (measures.md section 9).

    Returns the breakdowns, ``persons`` (with community activity), ``with_social_care`` and
    ``pct_with_social_care`` with ``_lower``/``_upper`` 95% Wilson limits.
    """
    return BOTH.run(store, Period.of(period_start, period_end), by)


BOTH = Measure(
    family="linked",
    name="both_services",
    title="People receiving both community health services and adult social care",
    section="9",
    function=people_with_both_services,
    grouped=both_by_sets,
    facts=("persons", "person_months", "social_care_events"),
    breakdowns=PEOPLE_BREAKDOWNS,
    columns=columns(
        count_column("persons", "People with community health activity", "people"),
        count_column("with_social_care", "Also with an adult social care service", "people"),
        percentage(
            "pct_with_social_care",
            "% of people also receiving adult social care",
            "with_social_care",
            "persons",
        ),
    ),
    tables=(AggregateTable("linked_both_services", extras=PEOPLE_EXTRAS),),
)
