"""Every record-level fact by name: what it holds and how it is built from the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis.expr.types as ir

from workbench.facts import (
    _attach,
    assessment_pairs,
    contact_counts,
    pathways,
    persons,
    reablement,
    social_care,
    spells,
    transitions,
    ucr_clocks,
)


@dataclass(frozen=True)
class Fact:
    """A record-level fact: its name, one line on what a row is, and its builder.

    ``by_person``: every row depends only on its own person's rows (and reference data), so a
    load updates the fact for the persons it touched (:mod:`workbench.facts.carry`); false for
    a fact that reads other persons' rows, which a load builds whole."""

    name: str
    row: str
    build: Callable[..., ir.Table]
    needs: tuple[str, ...] = ()
    by_person: bool = True


FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        Fact("persons", "a person at a provider (MPI row)", persons.persons),
        Fact(
            "referral_breakdowns",
            "a referral with every breakdown of its own and of its person",
            _attach.referral_breakdowns,
        ),
        Fact(
            "person_months",
            "a person and calendar month with a referral received or a contact",
            persons.person_months,
            needs=("persons",),
        ),
        Fact(
            "pathways",
            "a referral with a clock start",
            pathways.pathways,
            needs=("referral_breakdowns",),
        ),
        Fact(
            "ucr_clocks",
            "an urgent community response clock with a start date",
            ucr_clocks.ucr_clocks,
            needs=("referral_breakdowns",),
        ),
        Fact("spells", "a community inpatient spell", spells.spells, needs=("persons",)),
        Fact(
            "assessment_pairs",
            "a completed assessment after a referral's first with the same tool (a pair)",
            assessment_pairs.assessment_pairs,
            needs=("referral_breakdowns",),
        ),
        Fact(
            "contact_counts",
            "a referral, calendar month and attendance category with its count of contacts",
            contact_counts.contact_counts,
            needs=("referral_breakdowns",),
        ),
        Fact(
            "social_care_events",
            "a live adult social care (CLD) event with its council's breakdowns",
            social_care.social_care_events,
        ),
        Fact(
            "reablement_episodes",
            "a reablement episode (CLD services merged) with its linked discharge",
            reablement.reablement_episodes,
            needs=("social_care_events",),
        ),
        Fact(
            "transitions",
            "an event of a linked person with the person's next event and its outcome",
            transitions.transitions,
            needs=("persons", "ucr_clocks", "spells", "social_care_events", "reablement_episodes"),
        ),
    )
}
