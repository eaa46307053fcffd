"""The pathway fact: one row per referral with a clock start (measures.md section 3).

A referral is a pathway whose clock starts on the referral received date. The clock stops at the
first care contact on or after the clock start with attendance status 5 or 6 (attended); an
attended contact dated before the referral was received does not stop it. A pathway is removed
without being seen when it is closed, rejected or discharged (the earliest of the three dates)
before any attended contact. Its exit is the earlier of the stop and the removal; a stop and a
removal on the same day count as seen. A removal dated before the clock start is read as on the
day of the clock start, so the pathway never joins the list. Referrals with no received date
have no clock and take no part in waiting times.

Each row also carries every breakdown of its referral (:func:`workbench.breakdowns.
referral_attributes`), the service (adult or children and young people's, from the team type),
the person, the age at referral and whether a primary diagnosis is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from workbench.facts._attach import with_referral_breakdowns
from workbench.spec.value_sets import ATTENDED

if TYPE_CHECKING:
    from workbench.store import Store


KEY = ("provider_code", "referral_id")


def clock_stops(referrals: ir.Table, contacts: ir.Table) -> ir.Table:
    """The clock stop date of every referral that has one: ``provider_code, referral_id,
    clock_stop``."""
    attended = contacts.filter(
        contacts.attendance_status.isin(list(ATTENDED)), contacts.contact_date.notnull()
    )
    joined = attended.join(referrals.select(*KEY, "referral_received_date"), list(KEY)).filter(
        lambda t: t.contact_date >= t.referral_received_date
    )
    return joined.group_by(list(KEY)).aggregate(clock_stop=joined.contact_date.min())


def pathway_clocks(referrals: ir.Table, contacts: ir.Table) -> ir.Table:
    """One row per referral with a clock start: ``provider_code, referral_id, person_id,
    age_at_referral, clock_start, clock_stop, removal, exit_date, seen`` (seen: the exit is a
    clock stop)."""
    started = referrals.filter(referrals.referral_received_date.notnull())
    stops = clock_stops(started, contacts)
    joined = started.left_join(stops, list(KEY))
    removal = ibis.least(
        joined.referral_closure_date,
        joined.referral_rejection_date,
        joined.service_discharge_date,
    )
    removal = ibis.ifelse(
        removal < joined.referral_received_date, joined.referral_received_date, removal
    )
    seen = joined.clock_stop.notnull() & (removal.isnull() | (joined.clock_stop <= removal))
    return joined.select(
        provider_code=started.provider_code,
        referral_id=started.referral_id,
        person_id=started.person_id,
        age_at_referral=started.age_at_referral,
        clock_start=joined.referral_received_date,
        clock_stop=joined.clock_stop,
        removal=removal,
        exit_date=ibis.ifelse(seen, joined.clock_stop, removal),
        seen=seen,
    )


def pathways(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The pathway fact of ``store`` (see the module docstring)."""
    clocks = pathway_clocks(store["referrals"], store["care_contacts"])
    primary = (
        store["diagnoses"]
        .filter(lambda t: t.primary == 1)
        .select(*KEY)
        .distinct()
        .mutate(_primary=ibis.literal(True))
    )
    joined = clocks.left_join(primary, list(KEY))
    records = joined.select(
        *[clocks[c] for c in clocks.columns],
        has_primary_diagnosis=joined._primary.fill_null(False),
    )
    return with_referral_breakdowns(records, facts("referral_breakdowns"))
