"""Contact outcomes: attended, did not attend, cancelled, and the DNA rate (MEASURES.md section
5, "Contacts").

Attendance status ``5`` and ``6`` are attended, ``3`` and ``7`` did not attend (DNA), ``2`` and
``4`` cancelled (:mod:`workbench.spec.value_sets`). DNA rate = DNAs / (attended + DNAs).

Decisions where MEASURES.md is silent:

* contacts in the period are those dated in [period_start, period_end]; a contact with no date
  cannot be placed in a period and is not counted (the data quality report counts it);
* a contact with a missing or invalid attendance status is counted in ``contacts`` and in
  ``other_status`` and takes no part in the DNA rate (neither numerator nor denominator);
* breakdowns are those of the contact's referral; the month breakdown is the month of contact.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbench.measures.grouping import breakdowns, reduce, with_breakdowns
from workbench.measures.outcomes._common import (
    add_proportion,
    as_counts,
    count,
    month_expr,
    period,
)
from workbench.spec.value_sets import ATTENDED, CANCELLED, DID_NOT_ATTEND

COUNTS = ("contacts", "attended", "dna", "cancelled", "other_status", "attended_or_dna")


def contact_outcomes(
    store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Care contacts dated in [period_start, period_end] by attendance outcome (MEASURES.md 5).

    Returns the breakdown columns, ``contacts``, ``attended`` (status 5, 6), ``dna`` (3, 7),
    ``cancelled`` (2, 4), ``other_status`` (missing or not a valid code), ``attended_or_dna``
    (the DNA rate's denominator), ``dna_rate`` = dna / (attended + dna) as a percentage (NaN when
    there are neither) with its 95% Wilson interval ``dna_rate_lower`` / ``dna_rate_upper``, and
    ``pct_cancelled`` = cancelled / contacts with its Wilson interval.
    """
    by = breakdowns(by)
    s, e = period(period_start, period_end)
    contacts = store["care_contacts"]
    contacts = contacts.filter(contacts.contact_date >= s, contacts.contact_date <= e)
    records = with_breakdowns(contacts, store, by, month=month_expr(contacts.contact_date))
    status = records.attendance_status
    attended = status.isin(list(ATTENDED))
    dna = status.isin(list(DID_NOT_ATTEND))
    cancelled = status.isin(list(CANCELLED))
    frame = reduce(
        records,
        by,
        contacts=records.count(),
        attended=count(attended),
        dna=count(dna),
        cancelled=count(cancelled),
        other_status=count(~(attended | dna | cancelled).fill_null(False)),
    )
    frame["attended_or_dna"] = frame["attended"].fillna(0) + frame["dna"].fillna(0)
    as_counts(frame, COUNTS)
    add_proportion(frame, "dna_rate", "dna", "attended_or_dna")
    add_proportion(frame, "pct_cancelled", "cancelled", "contacts")
    return frame
