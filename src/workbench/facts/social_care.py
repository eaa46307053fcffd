"""The social care event fact: one row per live Client Level Data event (measures.md section 9).

Every CLD event of the store (the latest version of each ``(la_code, event_reference)``;
a store loaded before CLD holds none) with:

* ``la_code``, ``event_reference``, ``event_type``, ``service_type``, ``service_component``,
  ``event_start_date``, ``event_end_date``, ``person_id`` (NULL with no pseudonym),
  ``birth_year``, ``birth_month`` and ``date_of_death``;
* ``kind``: the setting of section 9's event table the event is: ``social care request`` (a
  Request), ``long-term care`` (a Service of type "Long term support: Nursing care" or
  "Long term support: Residential care"), ``long-term community support`` (a Service of type
  "Long term support: Community"), ``reablement service`` (a Service of type "Short term
  support: ST-Max" with component "Reablement"), else NULL; ``service`` is true for a Service of
  any type but unpaid carer support. Codes are matched whatever their letter case;
* ``in_community``: the pseudonym is also found in the community extract (any provider, any
  date: an MPI row);
* the council's breakdowns (section 9, "Geography and breakdowns"): ``council`` (the la_code),
  ``icb``, ``region``, ``imd_decile`` and ``imd_quintile`` from the row's 2011 LSOA of residence,
  ``age_group`` from the age at the event's start (:func:`age_at`), ``sex`` from gender (Male,
  Female, else "Not known") and ``ethnic_group`` the broad group of the 2021 census ethnicity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import NOT_KNOWN, age_group
from workbench.geography import geography
from workbench.spec.cld import CLD_EVENTS

if TYPE_CHECKING:
    from workbench.store import Store


CLD = CLD_EVENTS.name
LONG_TERM_CARE = ("long term support: nursing care", "long term support: residential care")
LONG_TERM_COMMUNITY = "long term support: community"
REABLEMENT_TYPE = "short term support: st-max"
REABLEMENT_COMPONENT = "reablement"
UNPAID_CARER = "unpaid carer support"
#: The broad ethnic group of each 2021 census heading (the text before the colon).
BROAD_CLD_ETHNICITY = (
    ("white", "White"),
    ("mixed", "Mixed"),
    ("asian", "Asian"),
    ("black", "Black"),
    ("other", "Other"),
)
#: The council's breakdowns every CLD-anchored fact carries, in this order.
COUNCIL_BREAKDOWNS = (
    "council",
    "icb",
    "region",
    "age_group",
    "sex",
    "ethnic_group",
    "imd_decile",
    "imd_quintile",
)
_IBIS_TYPES = {"date": "date", "int": "int64", "float": "float64"}
_PANDAS_TYPES = {"date": "datetime64[ns]", "int": "int64", "float": "float64"}


def cld_events(store: Store) -> ir.Table:
    """The store's live CLD events; an empty table of the specification's columns where the
    store version holds none (loaded before CLD was in the extract)."""
    if store.holds(CLD):
        return store[CLD]

    def empty() -> pd.DataFrame:
        return pd.DataFrame(
            {
                c.name: pd.Series(dtype=_PANDAS_TYPES.get(c.dtype, "string"))
                for c in CLD_EVENTS.columns
            }
        )

    table = store.reference("empty_cld_events", empty)
    return table.select(
        **{
            c.name: table[c.name].cast(_IBIS_TYPES.get(c.dtype, "string"))
            for c in CLD_EVENTS.columns
        }
    )


def age_at(
    birth_year: ir.IntegerValue, birth_month: ir.IntegerValue, day: ir.DateValue
) -> ir.IntegerValue:
    """Whole years from the first day of the birth month to ``day`` (NULL if either is)."""
    months = (day.year() * 12 + day.month()) - (birth_year * 12 + birth_month)
    return (months // 12).cast("int64")


def broad_ethnicity(ethnicity: ir.StringValue) -> ir.StringValue:
    """The broad ethnic group of a CLD (2021 census) ethnicity; "Not known" otherwise."""
    lowered = ethnicity.lower()
    return ibis.cases(
        *[(lowered.startswith(prefix), group) for prefix, group in BROAD_CLD_ETHNICITY],
        else_=NOT_KNOWN,
    )


def kind_of(events: ir.Table) -> ir.StringValue:
    """The section 9 setting of each CLD event (see the module docstring)."""
    event = events.event_type.lower()
    service_type = events.service_type.lower()
    component = events.service_component.lower()
    is_service = event == "service"
    return ibis.cases(
        (event == "request", "social care request"),
        (is_service & service_type.isin(list(LONG_TERM_CARE)), "long-term care"),
        (is_service & (service_type == LONG_TERM_COMMUNITY), "long-term community support"),
        (
            is_service & (service_type == REABLEMENT_TYPE) & (component == REABLEMENT_COMPONENT),
            "reablement service",
        ),
        else_=ibis.null("string"),
    )


def council_breakdowns(rows: ir.Table, day: str) -> dict[str, ir.Value]:
    """The council breakdowns (:data:`COUNCIL_BREAKDOWNS`) of ``rows``, CLD rows with the
    ``_geo_*`` columns of :func:`with_geography`, the age taken at the date column ``day``."""
    gender = rows.gender.lower()
    return {
        "council": rows.la_code,
        "icb": rows._geo_icb.fill_null(NOT_KNOWN),
        "region": rows._geo_region.fill_null(NOT_KNOWN),
        "age_group": age_group(age_at(rows.birth_year, rows.birth_month, rows[day])),
        "sex": ibis.cases(
            (gender == "male", "Male"), (gender == "female", "Female"), else_=NOT_KNOWN
        ),
        "ethnic_group": broad_ethnicity(rows.ethnicity),
        "imd_decile": rows._geo_imd_decile.cast("int64").cast("string").fill_null(NOT_KNOWN),
        "imd_quintile": rows._geo_imd_quintile.fill_null(NOT_KNOWN),
    }


def with_geography(rows: ir.Table, store: Store) -> ir.Table:
    """``rows`` (with ``lsoa_2011``) with ``_geo_icb``, ``_geo_region``, ``_geo_imd_decile``
    and ``_geo_imd_quintile`` of the LSOA (NULL where it is not in the lookup)."""
    geo = geography(store)
    geo = geo.select(
        _geo_lsoa=geo.lsoa,
        _geo_icb=geo.icb,
        _geo_region=geo.region,
        _geo_imd_decile=geo.imd_decile,
        _geo_imd_quintile=geo.imd_quintile,
    )
    joined = rows.left_join(geo, rows.lsoa_2011 == geo._geo_lsoa)
    return joined.drop("_geo_lsoa")


def social_care_events(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The social care event fact of ``store`` (see the module docstring)."""
    events = cld_events(store)
    community = (
        store["mpi"]
        .filter(lambda t: t.person_id.notnull())
        .select(_community=lambda t: t.person_id)
        .distinct()
    )
    located = with_geography(events, store)
    joined = located.left_join(community, located.person_id == community._community)
    service_type = joined.service_type.lower()
    is_service = joined.event_type.lower() == "service"
    return joined.select(
        "la_code",
        "event_reference",
        "event_type",
        "service_type",
        "service_component",
        "event_start_date",
        "event_end_date",
        "person_id",
        "birth_year",
        "birth_month",
        "date_of_death",
        kind=kind_of(joined),
        service=is_service & ~service_type.fill_null("").startswith(UNPAID_CARER),
        in_community=joined._community.notnull(),
        **council_breakdowns(joined, "event_start_date"),
    )
