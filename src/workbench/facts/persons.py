"""Person facts for the person-based data quality measures (measures.md section 2).

``persons``: one row per MPI person (``provider_code, person_id``) with every person breakdown
(provider, ICB and region of residence, sex, broad ethnic group, IMD decile and quintile, age
group from the MPI's age), the submitted ETHNIC CATEGORY code, and the state of the 2011 LSOA:
``lsoa_known`` (in the shipped IMD 2019 lookup), ``lsoa_missing`` (null or blank) and
``lsoa_2021_only`` (not a known 2011 LSOA, but a valid 2021 one).

``person_months``: one row per person and calendar month (``YYYY-MM``) in which the person had
activity (a referral received or a care contact), with every column of ``persons``. A record
whose event date is missing is placed in the month of its submission date, as the data quality
measures place it (:func:`workbench.measures.dq.population.in_period`); a contact is the person's
through its referral.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from workbench.breakdowns import age_group, month_of, person_attributes
from workbench.geography import geography, lsoa21_codes

if TYPE_CHECKING:
    from workbench.store import Store


PERSON_KEY = ("provider_code", "person_id")


def persons(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The person fact of ``store`` (see the module docstring)."""
    mpi = store["mpi"]
    geo = geography(store)
    attrs = person_attributes(mpi, geo)
    lsoa11 = geo.select(_lsoa11="lsoa")
    lsoa21 = lsoa21_codes(store).select(_lsoa21="lsoa")
    joined = (
        mpi.left_join(attrs, list(PERSON_KEY))
        .left_join(lsoa11, mpi.lsoa_2011 == lsoa11._lsoa11)
        .left_join(lsoa21, mpi.lsoa_2021 == lsoa21._lsoa21)
    )
    known = joined._lsoa11.notnull()
    return joined.select(
        provider_code=mpi.provider_code,
        person_id=mpi.person_id,
        provider=mpi.provider_code,
        icb=joined.icb,
        region=joined.region,
        sex=joined.sex,
        ethnic_group=joined.ethnic_group,
        imd_decile=joined.imd_decile,
        imd_quintile=joined.imd_quintile,
        age_group=age_group(mpi.age_years),
        ethnic_category=mpi.ethnic_category,
        lsoa_known=known,
        lsoa_missing=mpi.lsoa_2011.isnull() | (mpi.lsoa_2011.strip() == ""),
        lsoa_2021_only=~known & joined._lsoa21.notnull(),
    )


def _placed_month(event: ir.DateValue, submitted: ir.DateValue) -> ir.StringValue:
    return month_of(ibis.coalesce(event, submitted))


def person_months(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The person-month fact of ``store`` (see the module docstring)."""
    referrals = store["referrals"]
    contacts = store["care_contacts"]
    from_referrals = referrals.select(
        "provider_code",
        "person_id",
        month=_placed_month(referrals.referral_received_date, referrals.submission_date),
    )
    owners = referrals.select("provider_code", "referral_id", "person_id")
    joined = contacts.join(owners, ["provider_code", "referral_id"])
    from_contacts = joined.select(
        "provider_code",
        "person_id",
        month=_placed_month(joined.contact_date, joined.submission_date),
    )
    active = from_referrals.union(from_contacts, distinct=True)
    people = facts("persons")
    return active.join(people, list(PERSON_KEY))
