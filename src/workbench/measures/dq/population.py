"""Which records a data quality measure counts (MEASURES.md section 2, "records: rows in scope").

Each table is placed in a period by its event date: referrals by the received date, clocks by
the start date, contacts by the contact date, diagnoses by the diagnosis date, assessments by the
completion date, spells and acute admissions by the admission date. A record whose event date is
missing cannot be placed by it, and is counted when its latest submission date is in the period,
so that missing dates count against completeness rather than vanishing. Persons (MPI items) are
counted when they have activity in the period: a referral received or a care contact in it.
With no period, every loaded record is counted.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from workbench.period import parse_date
from workbench.spec import TABLES


def in_period(table: ir.Table, name: str, period_start=None, period_end=None) -> ir.Table:
    """The records of table ``name`` in scope for [period_start, period_end]."""
    start = None if period_start is None else parse_date(period_start, "period start")
    end = None if period_end is None else parse_date(period_end, "period end")
    if start is None and end is None:
        return table
    if name == "mpi":
        raise ValueError("use active_persons for the MPI")
    s = ibis.literal(start or dt.date(1900, 1, 1))
    e = ibis.literal(end or dt.date(9999, 12, 31))
    event = table[TABLES[name].event_date]
    placed = event.between(s, e)
    unplaced = event.isnull() & table.submission_date.between(s, e)
    return table.filter(placed | unplaced)


def active_persons(store, period_start=None, period_end=None) -> ir.Table:
    """MPI rows of persons with a referral received or a care contact in the period."""
    mpi = store["mpi"]
    if period_start is None and period_end is None:
        return mpi
    referrals = in_period(store["referrals"], "referrals", period_start, period_end)
    contacts = in_period(store["care_contacts"], "care_contacts", period_start, period_end)
    contact_people = contacts.join(
        store["referrals"].select("provider_code", "referral_id", "person_id"),
        ["provider_code", "referral_id"],
    ).select("provider_code", "person_id")
    people = referrals.select("provider_code", "person_id").union(contact_people).distinct()
    return mpi.semi_join(people, ["provider_code", "person_id"])
