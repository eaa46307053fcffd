"""Attaching every breakdown to record-level facts keyed by a referral or by a person.

Referral-keyed records (contacts, assessments) take the breakdowns of their referral
(:func:`workbench.breakdowns.referral_attributes`): age group from the age at
referral, team type from the referral, and the service from the team type. Person-keyed records
(inpatient spells) take the person's breakdowns from the ``persons`` fact: age group from the
MPI's age, and team type and service "Not known" (the records carry no service line). In both,
``provider`` is the record's own provider code, and a record with no referral or person row is
"Not known" throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from workbench.breakdowns import NOT_KNOWN, referral_attributes, service_of
from workbench.geography import geography

if TYPE_CHECKING:
    from workbench.store import Store


REFERRAL_KEY = ("provider_code", "referral_id")
PERSON_KEY = ("provider_code", "person_id")
#: The breakdowns every outcome fact carries, in this order.
BREAKDOWN_COLUMNS = (
    "provider",
    "icb",
    "region",
    "team_type",
    "service",
    "age_group",
    "sex",
    "ethnic_group",
    "imd_decile",
    "imd_quintile",
)
_PERSON_COLUMNS = (
    "icb",
    "region",
    "age_group",
    "sex",
    "ethnic_group",
    "imd_decile",
    "imd_quintile",
)


def referral_breakdowns(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The referral breakdown fact: one row per referral with every breakdown but month and
    service (:func:`workbench.breakdowns.referral_attributes`), resolved once for the
    facts keyed by a referral."""
    return referral_attributes(store["referrals"], store["mpi"], geography(store))


def with_referral_breakdowns(records: ir.Table, attrs: ir.Table) -> ir.Table:
    """``records`` (keyed by provider_code, referral_id) with every breakdown of the referral,
    taken from ``attrs``, the ``referral_breakdowns`` fact (:func:`referral_breakdowns`)."""
    wanted = [c for c in BREAKDOWN_COLUMNS if c not in ("provider", "service")]
    attrs = attrs.select(*REFERRAL_KEY, **{f"_b_{c}": attrs[c] for c in wanted})
    joined = records.left_join(attrs, list(REFERRAL_KEY))
    team = joined["_b_team_type"].fill_null(NOT_KNOWN)
    out = joined.select(
        *[joined[c] for c in records.columns],
        provider=joined.provider_code,
        **{c: joined[f"_b_{c}"].fill_null(NOT_KNOWN) for c in wanted},
        service=service_of(team),
    )
    return out.select(*records.columns, *BREAKDOWN_COLUMNS)


def with_person_breakdowns(records: ir.Table, persons: ir.Table) -> ir.Table:
    """``records`` (keyed by provider_code, person_id) with every breakdown of the person."""
    people = persons.select(*PERSON_KEY, **{f"_b_{c}": persons[c] for c in _PERSON_COLUMNS})
    joined = records.left_join(people, list(PERSON_KEY))
    out = joined.select(
        *[joined[c] for c in records.columns],
        provider=joined.provider_code,
        team_type=ibis.literal(NOT_KNOWN),
        service=ibis.literal(NOT_KNOWN),
        **{c: joined[f"_b_{c}"].fill_null(NOT_KNOWN) for c in _PERSON_COLUMNS},
    )
    return out.select(*records.columns, *BREAKDOWN_COLUMNS)
