"""Which records a data quality measure counts (measures.md section 2, "records: rows in scope").

Each table is placed in a period by its event date: referrals by the received date, clocks by
the start date, contacts by the contact date, diagnoses by the diagnosis date, assessments by the
completion date, spells and acute admissions by the admission date. A record whose event date is
missing cannot be placed by it, and is counted when its latest submission date is in the period,
so that missing dates count against completeness rather than vanishing. Persons (MPI items) are
counted when they have activity in the period: a referral received or a care contact in it.
With no period, every loaded record is counted.

The person-based measures read the person facts (:mod:`workbench.facts.persons`): when the
period is whole calendar months, the persons active in it are the persons of the
``person_months`` fact in its months (the fact places records exactly as :func:`in_period`
does); otherwise the raw rule (:func:`active_persons`) picks them from the ``persons`` fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import month_of
from workbench.facts import fact_table
from workbench.measures.grouping_sets import aggregate_by_sets, by_month_or_period
from workbench.period import Period, parse_date
from workbench.spec import TABLES

if TYPE_CHECKING:
    from workbench.store import Store


PERSON_KEY = ("provider_code", "person_id")


def _dates(
    period_start: dt.date | str | None, period_end: dt.date | str | None
) -> tuple[dt.date | None, dt.date | None]:
    start = None if period_start is None else parse_date(period_start, "period start")
    end = None if period_end is None else parse_date(period_end, "period end")
    return start, end


def in_period(
    table: ir.Table,
    name: str,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
) -> ir.Table:
    """The records of table ``name`` in scope for [period_start, period_end]."""
    start, end = _dates(period_start, period_end)
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


def period_of(
    period_start: dt.date | str | None = None, period_end: dt.date | str | None = None
) -> Period | None:
    """The period of optional ends: None for every record; an open end reaches back to 1900 or
    on to 9999, as :func:`in_period` reads it."""
    if period_start is None and period_end is None:
        return None
    return Period.of(period_start or "1900-01-01", period_end or "9999-12-31")


def _raw_activity(
    store: Store, period_start: dt.date | str | None = None, period_end: dt.date | str | None = None
) -> ir.Table:
    """``provider_code, person_id, month`` of every referral received or contact in the period
    (the raw rule), one row per person and month."""
    referrals = in_period(store["referrals"], "referrals", period_start, period_end)
    contacts = in_period(store["care_contacts"], "care_contacts", period_start, period_end)
    owners = store["referrals"].select("provider_code", "referral_id", "person_id")
    contact_people = contacts.join(owners, ["provider_code", "referral_id"])
    from_referrals = referrals.select(
        "provider_code",
        "person_id",
        month=month_of(ibis.coalesce(referrals.referral_received_date, referrals.submission_date)),
    )
    from_contacts = contact_people.select(
        "provider_code",
        "person_id",
        month=month_of(ibis.coalesce(contact_people.contact_date, contact_people.submission_date)),
    )
    return from_referrals.union(from_contacts, distinct=True)


def active_persons(
    store: Store, period_start: dt.date | str | None = None, period_end: dt.date | str | None = None
) -> ir.Table:
    """MPI rows of persons with a referral received or a care contact in the period."""
    mpi = store["mpi"]
    if period_start is None and period_end is None:
        return mpi
    return mpi.semi_join(active_keys(store, period_start, period_end), list(PERSON_KEY))


def month_aligned(
    period_start: dt.date | str | None = None, period_end: dt.date | str | None = None
) -> bool:
    """Whether the period is whole calendar months (an open end counts as aligned)."""
    start, end = _dates(period_start, period_end)
    return (start is None or start.day == 1) and (
        end is None or (end + dt.timedelta(days=1)).day == 1
    )


def _months_in(table: ir.Table, start: dt.date | None, end: dt.date | None) -> ir.Table:
    if start is not None:
        table = table.filter(table.month >= f"{start:%Y-%m}")
    if end is not None:
        table = table.filter(table.month <= f"{end:%Y-%m}")
    return table


def active_months(
    store: Store, period_start: dt.date | str | None = None, period_end: dt.date | str | None = None
) -> ir.Table:
    """``provider_code, person_id, month``: one row per person and calendar month of activity
    in the period (from the ``person_months`` fact for whole months, else by the raw rule)."""
    start, end = _dates(period_start, period_end)
    if month_aligned(start, end):
        months = _months_in(fact_table(store, "person_months"), start, end)
    else:
        months = _raw_activity(store, start, end)
    return months.select(*PERSON_KEY, "month")


def active_keys(
    store: Store, period_start: dt.date | str | None = None, period_end: dt.date | str | None = None
) -> ir.Table:
    """``provider_code, person_id`` of every person with activity in the period (one row per
    month of activity: use it in a semi-join)."""
    return active_months(store, period_start, period_end).select(*PERSON_KEY)


def active_person_facts(
    store: Store, period_start: dt.date | str | None = None, period_end: dt.date | str | None = None
) -> ir.Table:
    """Rows of the ``persons`` fact for persons with activity in the period."""
    persons = fact_table(store, "persons")
    if period_start is None and period_end is None:
        return persons
    return persons.semi_join(active_keys(store, period_start, period_end), list(PERSON_KEY))


def active_person_months(
    store: Store, period_start: dt.date | str | None = None, period_end: dt.date | str | None = None
) -> ir.Table:
    """One row per person and calendar month of activity in the period (``month`` and every
    column of the ``persons`` fact): the persons active in each month."""
    start, end = _dates(period_start, period_end)
    if month_aligned(start, end):
        return _months_in(fact_table(store, "person_months"), start, end)
    activity = _raw_activity(store, start, end)
    return activity.join(fact_table(store, "persons"), list(PERSON_KEY))


def persons_by_sets(
    store: Store,
    period_start: dt.date | str | None,
    period_end: dt.date | str | None,
    sets: Sequence[Sequence[str]],
    aggregates: Callable[[ir.Table], dict[str, ir.Value]],
) -> pd.DataFrame:
    """``aggregates(records)`` of the persons with activity in the period for every grouping
    set in one pass per kind of set: a set with ``month`` counts the persons active in each
    month, the others the persons active in the period
    (:func:`workbench.measures.grouping_sets.by_month_or_period`)."""

    def run(chosen: list[tuple[str, ...]], monthly: bool) -> pd.DataFrame:
        if monthly:
            records = active_person_months(store, period_start, period_end)
        else:
            records = active_person_facts(store, period_start, period_end)
        return aggregate_by_sets(records, chosen, aggregates(records))

    return by_month_or_period(sets, run)
