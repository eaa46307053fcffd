"""The contact count fact: care contacts counted by referral, month and attendance outcome
(measures.md section 5, "Contacts").

One row per referral (``provider_code, referral_id``), calendar month of contact (``month``,
``YYYY-MM``) and attendance ``category`` with ``contacts``, the number of care contacts, and
every breakdown of the referral (:mod:`workbench.facts._attach`). Categories: ``attended``
(attendance status 5, 6), ``dna`` (3, 7), ``cancelled`` (2, 4) and ``other`` (a missing or
invalid status). A contact with no date cannot be placed in a month and is left out (the data
quality report counts it). The contact outcome measures read this fact, not the contacts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from workbench.breakdowns import month_of
from workbench.facts._attach import REFERRAL_KEY, with_referral_breakdowns
from workbench.spec.value_sets import ATTENDED, CANCELLED, DID_NOT_ATTEND

if TYPE_CHECKING:
    from workbench.store import Store


#: The attendance categories, in the order the measures report them.
CATEGORIES = ("attended", "dna", "cancelled", "other")


def attendance_category(status: ir.StringValue) -> ir.StringValue:
    """The attendance category of an ATTENDED OR DID NOT ATTEND code (see the module doc)."""
    return ibis.cases(
        (status.isin(list(ATTENDED)).fill_null(False), "attended"),
        (status.isin(list(DID_NOT_ATTEND)).fill_null(False), "dna"),
        (status.isin(list(CANCELLED)).fill_null(False), "cancelled"),
        else_="other",
    )


def count_contacts(contacts: ir.Table, breakdowns: ir.Table) -> ir.Table:
    """``contacts`` (rows of the care contacts table with a date) counted by referral, month and
    category, with every breakdown of the referral from ``breakdowns`` (the
    ``referral_breakdowns`` fact): the rows of the fact they make."""
    grouped = contacts.select(
        *REFERRAL_KEY,
        month=month_of(contacts.contact_date),
        category=attendance_category(contacts.attendance_status),
    )
    counted = grouped.group_by([*REFERRAL_KEY, "month", "category"]).aggregate(
        contacts=grouped.count().cast("int64")
    )
    return with_referral_breakdowns(counted, breakdowns)


def contact_counts(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The contact count fact of ``store`` (see the module docstring)."""
    contacts = store["care_contacts"]
    dated = contacts.filter(contacts.contact_date.notnull())
    return count_contacts(dated, facts("referral_breakdowns"))
