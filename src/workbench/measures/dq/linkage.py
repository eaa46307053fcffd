"""Linkage quality (measures.md section 9, "Linkage quality"), a data quality measure.

**Per council** (``linkage_councils``): CLD events live in the period (starting in it), the
share with a pseudonym, and of the distinct pseudonyms among them the share also found in the
community extract (an MPI row at any provider, any date). The organisation is the council (the
``council`` level); ICB and region are those of the CLD row's LSOA of residence.

**Per provider** (``linkage_providers``): people with community activity in the period (a
referral received or a contact, measures.md section 2), counted once in each group, and the
share found in CLD (any council, any date, any event).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import (
    BREAKDOWNS,
    COUNCIL_LEVELS,
    COUNCIL_MEASURE_BREAKDOWNS,
    month_of,
)
from workbench.facts import fact_table
from workbench.measures.declare import AggregateTable, Measure, columns, percentage
from workbench.measures.declare import count as count_column
from workbench.measures.dq.population import active_person_facts
from workbench.measures.grouping_sets import aggregate_by_sets
from workbench.measures.outcomes._common import add_proportion, as_counts, count, in_period, ordered
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store


COUNCIL_COUNTS = ("events", "with_pseudonym", "pseudonyms", "linked")
COUNCIL_OUTPUT = (
    "events",
    "with_pseudonym",
    "pct_with_pseudonym",
    "pct_with_pseudonym_lower",
    "pct_with_pseudonym_upper",
    "pseudonyms",
    "linked",
    "pct_linked",
    "pct_linked_lower",
    "pct_linked_upper",
)
PROVIDER_OUTPUT = ("persons", "in_cld", "pct_in_cld", "pct_in_cld_lower", "pct_in_cld_upper")
#: The breakdowns of a count of people: the person's at the provider (no service line).
PEOPLE_BREAKDOWNS = tuple(b for b in BREAKDOWNS if b not in ("month", "team_type", "service"))


def active_people(store: Store, period: Period) -> ir.Table:
    """Rows of the ``persons`` fact (a person at a provider, with its breakdowns) of people with
    community activity in the period: a referral received or a contact (measures.md 2)."""
    return active_person_facts(store, period.start, period.end)


def social_care_people(store: Store, period: Period | None = None) -> ir.Table:
    """``person_id`` (distinct) of people with a CLD Service of any type but unpaid carer
    support active on some day of ``period`` (starting on or before its end and not ending
    before its start); with no period, of people with any CLD event at all."""
    events = fact_table(store, "social_care_events")
    events = events.filter(events.person_id.notnull())
    if period is not None:
        events = events.filter(
            events.service,
            events.event_start_date <= period.end,
            events.event_end_date.isnull() | (events.event_end_date >= period.start),
        )
    return events.select(_linked_person=events.person_id).distinct()


def with_flag(people: ir.Table, linked: ir.Table, name: str) -> ir.Table:
    """``people`` with the boolean ``name``: its person is one of ``linked``
    (:func:`social_care_people`)."""
    joined = people.left_join(linked, people.person_id == linked._linked_person)
    return joined.mutate(**{name: joined._linked_person.notnull()}).drop("_linked_person")


def councils_by_sets(store: Store, period: Period, sets: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Linkage quality per council for every grouping set in one pass."""
    events = fact_table(store, "social_care_events")
    records = events.filter(in_period(events.event_start_date, period)).mutate(
        month=month_of(events.event_start_date)
    )
    linked = ibis.ifelse(records.in_community, records.person_id, ibis.null("string"))
    frame = aggregate_by_sets(
        records,
        sets,
        {
            "events": records.count(),
            "with_pseudonym": count(records.person_id.notnull()),
            "pseudonyms": records.person_id.nunique(),
            "linked": linked.nunique(),
        },
    )
    as_counts(frame, COUNCIL_COUNTS)
    add_proportion(frame, "pct_with_pseudonym", "with_pseudonym", "events")
    add_proportion(frame, "pct_linked", "linked", "pseudonyms")
    return ordered(frame, sets, COUNCIL_OUTPUT)


def linkage_quality_councils(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """CLD events of the period with a pseudonym, and pseudonyms found in the community extract
    (measures.md section 9).

    Returns the breakdowns, ``events``, ``with_pseudonym``, ``pct_with_pseudonym``,
    ``pseudonyms`` (distinct), ``linked`` and ``pct_linked`` (% of pseudonyms), each
    percentage with ``_lower``/``_upper`` 95% Wilson limits.
    """
    return LINKAGE_COUNCILS.run(store, Period.of(period_start, period_end), by)


def providers_by_sets(store: Store, period: Period, sets: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Linkage quality per provider for every grouping set in one pass."""
    people = with_flag(active_people(store, period), social_care_people(store), "_in_cld")
    found = ibis.ifelse(people._in_cld, people.person_id, ibis.null("string"))
    frame = aggregate_by_sets(
        people, sets, {"persons": people.person_id.nunique(), "in_cld": found.nunique()}
    )
    as_counts(frame, ("persons", "in_cld"))
    add_proportion(frame, "pct_in_cld", "in_cld", "persons")
    return ordered(frame, sets, PROVIDER_OUTPUT)


def linkage_quality_providers(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """People with community activity in the period found in CLD (measures.md section 9).

    Returns the breakdowns, ``persons``, ``in_cld`` and ``pct_in_cld`` with ``_lower``/
    ``_upper`` 95% Wilson limits.
    """
    return LINKAGE_PROVIDERS.run(store, Period.of(period_start, period_end), by)


LINKAGE_COUNCILS = Measure(
    family="dq",
    name="linkage_councils",
    title="Linkage quality per council: CLD events with a pseudonym, pseudonyms linked",
    section="9",
    function=linkage_quality_councils,
    grouped=councils_by_sets,
    facts=("social_care_events",),
    breakdowns=COUNCIL_MEASURE_BREAKDOWNS,
    columns=columns(
        count_column("events", "CLD events starting in the period", "events"),
        count_column("with_pseudonym", "With a pseudonym", "events"),
        percentage(
            "pct_with_pseudonym", "% of events with a pseudonym", "with_pseudonym", "events"
        ),
        count_column("pseudonyms", "Distinct pseudonyms", "people"),
        count_column("linked", "Found in the community extract", "people"),
        percentage("pct_linked", "% of pseudonyms found in community data", "linked", "pseudonyms"),
    ),
    tables=(AggregateTable("linkage_quality_councils", levels=COUNCIL_LEVELS),),
)

LINKAGE_PROVIDERS = Measure(
    family="dq",
    name="linkage_providers",
    title="Linkage quality per provider: people with community activity found in CLD",
    section="9",
    function=linkage_quality_providers,
    grouped=providers_by_sets,
    facts=("persons", "person_months", "social_care_events"),
    breakdowns=PEOPLE_BREAKDOWNS,
    columns=columns(
        count_column("persons", "People with community activity", "people"),
        count_column("in_cld", "Found in CLD", "people"),
        percentage("pct_in_cld", "% of people found in CLD", "in_cld", "persons"),
    ),
    tables=(AggregateTable("linkage_quality_providers"),),
)
