"""Breakdowns: the columns any measure can be split by (measures.md, conventions).

provider, ICB of residence, NHS region (of residence), service/team type, month, age group
(0-18, 19-64, 65+), sex, broad ethnic group (White, Mixed, Asian, Black, Other, Not known) and
IMD quintile and decile (1 = most deprived, "Not known" where no decile). A breakdown keeps a
row for "Not known": records are never dropped to make a table tidy.

Everything here builds Ibis expressions, so it runs on whichever engine holds the store.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from workbench.errors import WorkbenchError
from workbench.spec import VALUE_SETS
from workbench.spec.value_sets import BROAD_ETHNIC_GROUP

NOT_KNOWN = "Not known"
#: The organisation levels compute runs at, widest last.
LEVELS = ("provider", "icb", "region", "england")
BREAKDOWNS = (
    "provider",
    "icb",
    "region",
    "team_type",
    "service",
    "month",
    "age_group",
    "sex",
    "ethnic_group",
    "imd_quintile",
    "imd_decile",
)
IMD_DECILE = "imd_decile"
#: What a reader calls each breakdown (table headers, chart titles).
BREAKDOWN_LABELS = {
    "provider": "Provider",
    "icb": "ICB of residence",
    "region": "NHS region of residence",
    "team_type": "Service line",
    "service": "Service (adult or children and young people)",
    "month": "Month",
    "age_group": "Age group",
    "sex": "Sex",
    "ethnic_group": "Ethnic group",
    "imd_quintile": "IMD quintile (1 = most deprived)",
    "imd_decile": "IMD decile (1 = most deprived)",
    "council": "Council (adult social care)",
}
#: The breakdowns that are organisations (below England).
ORGANISATION_BREAKDOWNS = ("provider", "icb", "region", "council")
#: The organisation level of the measures that start from an adult social care (CLD) event: the
#: council takes the place of the provider (measures.md section 9).
COUNCIL = "council"
COUNCIL_LEVELS = (COUNCIL, "icb", "region", "england")
#: The breakdowns of a measure that counts people: their provider and residence, the month and
#: their own attributes (no team type or service).
PERSON_MEASURE_BREAKDOWNS = (
    "provider",
    "icb",
    "region",
    "month",
    "age_group",
    "sex",
    "ethnic_group",
    "imd_quintile",
    "imd_decile",
)
#: The breakdowns of a measure that starts from a CLD event: the council for the provider.
COUNCIL_MEASURE_BREAKDOWNS = (COUNCIL, *PERSON_MEASURE_BREAKDOWNS[1:])
#: Every breakdown a measure may take: the community ones and the council.
ALL_BREAKDOWNS = (*BREAKDOWNS, COUNCIL)
SEX_LABELS = {"1": "Male", "2": "Female", "9": "Indeterminate"}
#: The two services the national waiting list statistics report apart.
ADULT_SERVICE = "Adult"
CYP_SERVICE = "Children and young people"


def check_breakdowns(by: str | Sequence[str] | None) -> list[str]:
    """The breakdown columns asked for, as a list; WorkbenchError naming any unknown one."""
    if by is None:
        return []
    names = [b.strip() for b in by.split(",")] if isinstance(by, str) else list(by)
    names = [b for b in names if b]
    unknown = [b for b in names if b not in ALL_BREAKDOWNS]
    if unknown:
        raise WorkbenchError(
            f"unknown breakdown {', '.join(unknown)}; choose from: {', '.join(ALL_BREAKDOWNS)}"
        )
    return names


def age_group(age: ir.IntegerValue) -> ir.StringValue:
    """The measures.md age group of an age in years: 0-18, 19-64, 65+ or Not known."""
    return ibis.cases(
        (age.isnull(), NOT_KNOWN), (age <= 18, "0-18"), (age <= 64, "19-64"), else_="65+"
    )


def person_attributes(mpi: ir.Table, geography: ir.Table) -> ir.Table:
    """One row per (provider_code, person_id) with sex, ethnic_group, imd_quintile, icb, region.

    Ethnicity: the broad group of a known ETHNIC CATEGORY; "Not known" for the default codes
    (Z, 99), for missing values and for invalid codes. Deprivation and geography come from the
    2011 LSOA through the shipped IMD 2019 and ONS lookups (``geography``:
    :func:`workbench.geography.geography`); an LSOA not in the lookup is "Not
    known". ``region`` is the NHS England region code (Y56 London ... Y63 North East and
    Yorkshire).
    """
    geo = geography
    ethnic = mpi.ethnic_category.substitute(BROAD_ETHNIC_GROUP, else_=NOT_KNOWN)
    sex = mpi.gender.substitute(SEX_LABELS, else_=NOT_KNOWN)
    joined = mpi.left_join(geo, mpi.lsoa_2011 == geo.lsoa)
    return joined.select(
        provider_code=mpi.provider_code,
        person_id=mpi.person_id,
        sex=sex,
        ethnic_group=ethnic,
        imd_quintile=joined.imd_quintile.fill_null(NOT_KNOWN),
        imd_decile=joined.imd_decile.cast("int64").cast("string").fill_null(NOT_KNOWN),
        icb=joined.icb.fill_null(NOT_KNOWN),
        region=joined.region.fill_null(NOT_KNOWN),
    )


def referral_attributes(referrals: ir.Table, mpi: ir.Table, geography: ir.Table) -> ir.Table:
    """One row per referral (provider_code, referral_id) with every breakdown but month.

    Age group is from the age at referral; team type is the service line referred to (an
    invalid or missing code is "Not known").
    """
    people = person_attributes(mpi, geography)
    valid_team = referrals.team_type.isin(list(VALUE_SETS["team_type"].codes))
    joined = referrals.left_join(
        people,
        [referrals.provider_code == people.provider_code, referrals.person_id == people.person_id],
    )
    return joined.select(
        provider_code=referrals.provider_code,
        referral_id=referrals.referral_id,
        provider=referrals.provider_code,
        team_type=ibis.ifelse(valid_team, referrals.team_type, NOT_KNOWN),
        age_group=age_group(referrals.age_at_referral),
        sex=joined.sex.fill_null(NOT_KNOWN),
        ethnic_group=joined.ethnic_group.fill_null(NOT_KNOWN),
        imd_quintile=joined.imd_quintile.fill_null(NOT_KNOWN),
        imd_decile=joined.imd_decile.fill_null(NOT_KNOWN),
        icb=joined.icb.fill_null(NOT_KNOWN),
        region=joined.region.fill_null(NOT_KNOWN),
    )


def service_of(team_type: ir.StringValue) -> ir.StringValue:
    """Adult or children and young people's service, from the team type code (the project's
    ``A`` and ``C`` codes: :mod:`workbench.spec.service_lines`); "Not known" otherwise."""
    return ibis.cases(
        (team_type.startswith("A"), ADULT_SERVICE),
        (team_type.startswith("C"), CYP_SERVICE),
        else_=NOT_KNOWN,
    )


def month_of(date: ir.DateValue) -> ir.StringValue:
    """The month of a date as ``YYYY-MM`` text (sorts and joins the same on every engine)."""
    return date.strftime("%Y-%m")
