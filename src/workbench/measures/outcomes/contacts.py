"""Contact outcomes: attended, did not attend, cancelled, and the DNA rate (measures.md section
5, "Contacts").

Attendance status ``5`` and ``6`` are attended, ``3`` and ``7`` did not attend (DNA), ``2`` and
``4`` cancelled (:mod:`workbench.spec.value_sets`). DNA rate = DNAs / (attended + DNAs).

Decisions where measures.md is silent:

* contacts in the period are those dated in [period_start, period_end]; a contact with no date
  cannot be placed in a period and is not counted (the data quality report counts it);
* a contact with a missing or invalid attendance status is counted in ``contacts`` and in
  ``other_status`` and takes no part in the DNA rate (neither numerator nor denominator);
* breakdowns are those of the contact's referral; the month breakdown is the month of contact.

The measure reads the contact count fact (:mod:`workbench.facts.contact_counts`: contacts
counted by referral, month and attendance category), not the contacts: whole months of the
period come from the fact, and only the days of a month the period covers in part are counted
from the contacts (the same way the fact counts them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.facts import fact_table
from workbench.facts.contact_counts import count_contacts
from workbench.measures.declare import AggregateTable, Measure, columns, count, percentage
from workbench.measures.grouping_sets import aggregate_by_sets
from workbench.measures.outcomes._common import (
    OUTCOME_BREAKDOWNS,
    REFERRAL_EXTRAS,
    add_proportion,
    as_counts,
    ordered,
)
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store


COUNTS = ("contacts", "attended", "dna", "cancelled", "other_status", "attended_or_dna")
OUTPUT = (
    *COUNTS,
    "dna_rate",
    "dna_rate_lower",
    "dna_rate_upper",
    "pct_cancelled",
    "pct_cancelled_lower",
    "pct_cancelled_upper",
)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def contact_counts_in(store: Store, period: Period) -> ir.Table:
    """Rows of the contact count fact for the contacts dated in ``period``: the fact's rows of
    the months the period covers whole, and the contacts of the part-covered months counted the
    same way."""
    fact = fact_table(store, "contact_counts")
    first_whole = period.start if period.start.day == 1 else _next_month(period.start)
    last_whole = _next_month(period.end) - dt.timedelta(days=1)
    if last_whole != period.end:
        last_whole = _month_start(period.end) - dt.timedelta(days=1)
    parts: list[ir.Table] = []
    edges: list[tuple[dt.date, dt.date]] = []
    if first_whole <= last_whole:
        parts.append(fact.filter(fact.month.between(f"{first_whole:%Y-%m}", f"{last_whole:%Y-%m}")))
        if period.start < first_whole:
            edges.append((period.start, first_whole - dt.timedelta(days=1)))
        if last_whole < period.end:
            edges.append((last_whole + dt.timedelta(days=1), period.end))
    else:
        edges.append((period.start, period.end))
    if edges:
        contacts = store["care_contacts"]
        within = ibis.or_(
            *[contacts.contact_date.between(ibis.literal(a), ibis.literal(b)) for a, b in edges]
        )
        counted = count_contacts(contacts.filter(within), fact_table(store, "referral_breakdowns"))
        parts.append(counted.select(*[counted[c].cast(t) for c, t in fact.schema().items()]))
    return parts[0] if len(parts) == 1 else ibis.union(*parts)


def contact_outcomes_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Contact outcomes for every grouping set in one pass (month: of the contact)."""
    records = contact_counts_in(store, period)
    n, category = records.contacts, records.category
    frame = aggregate_by_sets(
        records,
        sets,
        {
            "contacts": n.sum(),
            "attended": n.sum(where=category == "attended"),
            "dna": n.sum(where=category == "dna"),
            "cancelled": n.sum(where=category == "cancelled"),
            "other_status": n.sum(where=category == "other"),
        },
    )
    frame["attended_or_dna"] = frame["attended"].fillna(0) + frame["dna"].fillna(0)
    as_counts(frame, COUNTS)
    add_proportion(frame, "dna_rate", "dna", "attended_or_dna")
    add_proportion(frame, "pct_cancelled", "cancelled", "contacts")
    return ordered(frame, sets, OUTPUT)


def contact_outcomes(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Care contacts dated in [period_start, period_end] by attendance outcome (measures.md 5).

    Returns the breakdown columns, ``contacts``, ``attended`` (status 5, 6), ``dna`` (3, 7),
    ``cancelled`` (2, 4), ``other_status`` (missing or not a valid code), ``attended_or_dna``
    (the DNA rate's denominator), ``dna_rate`` = dna / (attended + dna) as a percentage (NaN when
    there are neither) with its 95% Wilson interval ``dna_rate_lower`` / ``dna_rate_upper``, and
    ``pct_cancelled`` = cancelled / contacts with its Wilson interval.
    """
    return CONTACTS.run(store, Period.of(period_start, period_end), by)


CONTACTS = Measure(
    family="outcomes",
    name="contacts",
    title="Contact outcomes: attended, did not attend and cancelled",
    section="5",
    function=contact_outcomes,
    grouped=contact_outcomes_by_sets,
    facts=("contact_counts",),
    breakdowns=OUTCOME_BREAKDOWNS,
    columns=columns(
        count("contacts", "Care contacts", "contacts"),
        count("attended", "Attended", "contacts"),
        count("dna", "Did not attend", "contacts"),
        count("cancelled", "Cancelled", "contacts"),
        count("other_status", "Missing or invalid attendance status", "contacts"),
        count("attended_or_dna", "Attended or did not attend", "contacts"),
        percentage("dna_rate", "DNA rate (% of attended or DNA)", "dna", "attended_or_dna"),
        percentage("pct_cancelled", "% of contacts cancelled", "cancelled", "contacts"),
    ),
    tables=(AggregateTable("contact_outcomes", extras=(("month",), *REFERRAL_EXTRAS)),),
)
