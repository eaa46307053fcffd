"""The Adult Social Care Client Level Data (CLD) extract: one table of events, one row per event.

Every council with adult social services responsibilities submits CLD quarterly; each file
covers a rolling 12 months, so one event arrives in up to four or five files and the latest
version of an event wins, as with CSDS. A row carries the person's details (pseudonym, birth
year and month, gender, ethnicity, LSOA, date of death, client type, primary support reason)
beside the event's (type, reference, dates, outcome and the fields of its type). Files are named
``cld_<LA code>_<YYYYMMDD>`` (the council's ONS code, see :mod:`workbench.reference.councils`).

Sources, named on each column: DHSC = the Department of Health and Social Care's public code for
the national CLD (GitHub DataS-DHSC/ASC-CLD-LA-Dashboard; its field names are in
``Stored_procedures/create_GetDQValues_procedure.sql``, its methods under
``Main_tables/docs/methodology/``); DOMAIN = DOMAIN.md, "Adult social care Client Level Data".
The column names here are the CLD field names in snake_case; ``person_id`` stands for the
pseudonymised NHS number (never the NHS number itself: ingest refuses one). ``birth_year``
and ``birth_month`` are what the national CLD carries, declared here with ``birth_part``: the
ingest guard lets exactly these two columns through its rule that refuses any column named
with "birth", and refuses a value in them that is not a bare year or month (docs/ingest.md).
The submitting organisation is the council (``la_code``): files are named after it and its
feedback page is a council's.
"""

from __future__ import annotations

from workbench.spec.cld_value_sets import CLD_VALUE_SETS
from workbench.spec.model import Column, Table

#: A council's ONS (GSS) code: unitary, metropolitan district, London borough or county.
LA_CODE = r"^E(06|08|09|10)[0-9]{6}$"
#: The pseudonym of an NHS number, as in the CSDS extract (letters only: no run of digits).
PSEUDONYM = r"^P[A-R]{16}$"

_SERVICES_ONLY = "services only; empty for other event types"


def _person_columns() -> tuple[Column, ...]:
    return (
        Column(
            "person_id",
            "string",
            "optional",
            pattern=PSEUDONYM,
            csds="Der_NHS_Number_Traced_Pseudo",
            description="Pseudonymised NHS number, the same pseudonym as in CSDS; empty when the "
            "council sent no NHS number and tracing found none (DHSC GetDerivedFields)",
        ),
        Column(
            "birth_year",
            "int",
            minimum=1900,
            maximum=2100,
            csds="Der_Birth_Year",
            birth_part="year",
            description="Year of birth (no full date of birth nationally; DOMAIN)",
        ),
        Column(
            "birth_month",
            "int",
            minimum=1,
            maximum=12,
            csds="Der_Birth_Month",
            description="DHSC",
            birth_part="month",
        ),
        Column("gender", "code", value_set="cld_gender", csds="Gender"),
        Column("ethnicity", "code", value_set="cld_ethnicity", csds="Ethnicity"),
        Column(
            "lsoa_2011",
            "code",
            value_set="lsoa11",
            csds="Der_Postcode_LSOA_Code",
            description="LSOA of residence derived from the postcode by NHS England (DOMAIN)",
        ),
        Column("date_of_death", "date", "optional", csds="Date_of_Death", description="DHSC"),
        Column("client_type", "code", value_set="cld_client_type", csds="Client_Type"),
        Column(
            "primary_support_reason",
            "code",
            value_set="cld_primary_support_reason",
            csds="Primary_Support_Reason",
        ),
    )


def _event_columns() -> tuple[Column, ...]:
    return (
        Column(
            "event_type",
            "code",
            "mandatory",
            value_set="cld_event_type",
            csds="Event_Type",
        ),
        Column(
            "event_reference",
            "string",
            "mandatory",
            pattern=r"^[A-Za-z0-9_\-]{1,40}$",
            csds="Event_Reference",
            description="The council's reference for the event, unique within the council",
        ),
        Column("event_start_date", "date", csds="Event_Start_Date"),
        Column(
            "event_end_date",
            "date",
            "optional",
            csds="Event_End_Date",
            description="Empty only for an open service (DHSC 4-event-filtering)",
        ),
        Column("event_outcome", "code", value_set="cld_event_outcome", csds="Event_Outcome"),
        Column(
            "request_route_of_access",
            "code",
            "optional",
            value_set="cld_route_of_access",
            csds="Request_Route_of_Access",
            description="Requests only; empty for other event types",
        ),
        Column(
            "assessment_type",
            "code",
            "optional",
            value_set="cld_assessment_type",
            csds="Assessment_Type",
            description="Assessments only; empty for other event types",
        ),
    )


def _service_columns() -> tuple[Column, ...]:
    return (
        Column(
            "service_type",
            "code",
            "optional",
            value_set="cld_service_type",
            csds="Service_Type",
            description=_SERVICES_ONLY,
        ),
        Column(
            "service_component",
            "code",
            "optional",
            value_set="cld_service_component",
            csds="Service_Component",
            description=_SERVICES_ONLY,
        ),
        Column(
            "delivery_mechanism",
            "code",
            "optional",
            value_set="cld_delivery_mechanism",
            csds="Delivery_Mechanism",
            description=_SERVICES_ONLY,
        ),
        Column(
            "unit_cost",
            "float",
            "optional",
            minimum=0,
            maximum=100_000,
            csds="Unit_Cost",
            description="Cost of one unit in pounds; " + _SERVICES_ONLY,
        ),
        Column(
            "cost_frequency",
            "code",
            "optional",
            value_set="cld_cost_frequency",
            csds="Cost_Frequency_Unit_Type",
            description=_SERVICES_ONLY,
        ),
    )


CLD_EVENTS = Table(
    name="cld_events",
    csds="Adult Social Care Client Level Data",
    description="Adult social care events (requests, assessments, services and reviews) of one "
    "council, each quarterly file covering a rolling 12 months",
    population="events",
    event_date="event_start_date",
    key=("la_code", "event_reference"),
    organisation="la_code",
    submitter="council",
    file_prefix="cld",
    record_ids=("person_id", "event_reference"),
    columns=(
        Column(
            "la_code",
            "string",
            "mandatory",
            pattern=LA_CODE,
            csds="LA_Code",
            description="ONS code of the submitting council (workbench.reference.councils)",
        ),
        Column(
            "reporting_period_start_date",
            "date",
            csds="Reporting_Period_Start_Date",
            description="First day of the file's rolling 12 months",
        ),
        Column(
            "reporting_period_end_date",
            "date",
            csds="Reporting_Period_End_Date",
            description="Last day of the file's rolling 12 months (a quarter end)",
        ),
        *_person_columns(),
        *_event_columns(),
        *_service_columns(),
    ),
)

#: Every table of the CLD extract (one: CLD is a flat file of events).
CLD_TABLES: dict[str, Table] = {CLD_EVENTS.name: CLD_EVENTS}

#: The file-name prefix of a CLD submission: ``cld_<LA code>_<YYYYMMDD>``.
CLD_FILE_PREFIX = CLD_EVENTS.file_name_prefix

#: Event types whose row may have no end date (DHSC 4-event-filtering: services may be ongoing).
OPEN_EVENT_TYPES = ("Service",)

#: Which columns apply to which event type (empty on the others).
EVENT_TYPE_COLUMNS: dict[str, tuple[str, ...]] = {
    "Request": ("request_route_of_access",),
    "Assessment": ("assessment_type",),
    "Service": (
        "service_type",
        "service_component",
        "delivery_mechanism",
        "unit_cost",
        "cost_frequency",
    ),
    "Review": (),
}

__all__ = [
    "CLD_EVENTS",
    "CLD_FILE_PREFIX",
    "CLD_TABLES",
    "CLD_VALUE_SETS",
    "EVENT_TYPE_COLUMNS",
    "LA_CODE",
    "OPEN_EVENT_TYPES",
    "PSEUDONYM",
]
