"""Referral pathways: clock start, clock stop and removal of every referral (MEASURES.md 3).

A referral is a pathway whose clock starts on the referral received date. The clock stops at the
first care contact on or after the clock start with attendance status 5 or 6 (attended); an
attended contact dated before the referral was received does not stop it. A pathway is removed
without being seen when it is closed, rejected or discharged (the earliest of the three dates)
before any attended contact. Its exit is the earlier of the stop and the removal; a stop and a
removal on the same day count as seen. A removal dated before the clock start is read as on the
day of the clock start, so the pathway never joins the list. Referrals with no received date
have no clock and take no part in waiting times.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from workbench.spec.value_sets import ATTENDED

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


def pathway_facts(store) -> ir.Table:
    """Every pathway, built once per store: the record-level table all waiting time measures
    reduce (breakdowns are joined on as each measure asks for them)."""
    return store.derived("pathways", lambda s: pathways(s["referrals"], s["care_contacts"]))


def pathways(referrals: ir.Table, contacts: ir.Table) -> ir.Table:
    """One row per referral with a clock start: ``provider_code, referral_id, clock_start,
    clock_stop, removal, exit_date, seen`` (seen: the exit is a clock stop)."""
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
        clock_start=joined.referral_received_date,
        clock_stop=joined.clock_stop,
        removal=removal,
        exit_date=ibis.ifelse(seen, joined.clock_stop, removal),
        seen=seen,
    )
