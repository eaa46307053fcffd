"""Code lists of the Adult Social Care Client Level Data (CLD) extract.

CLD files carry the specification's text values themselves (``Short term support: ST-Max``),
not short codes, so each value set's code is that text; the label adds a plain-English gloss
where the text needs one.

Sources (DOMAIN.md, "Adult social care Client Level Data"):

- DHSC: the Department of Health and Social Care's public code for the national CLD
  (GitHub DataS-DHSC/ASC-CLD-LA-Dashboard): ``Main_tables/docs/methodology/5-data-cleaning.md``
  (release 2 ethnicity, event outcome and service type lists),
  ``Main_tables/docs/methodology/6-deduplication.md`` (the event outcome hierarchy) and the SQL
  under ``ASCOF_measures/`` and ``Stored_procedures/`` (values the measures filter on).
- Guidance R1: NHS England's CLD guidance, release 1 (February 2023), as quoted by the ASC
  glossary (route of access, delivery mechanism).

A list marked ``national=False`` is the national one only in part: the values the public sources
show, which the generator and the validator share. Replace it with the full release 2 list when
it is to hand; nothing else needs to change.
"""

from __future__ import annotations

from workbench.spec.value_sets import ValueSet


def _same(*values: str) -> dict[str, str]:
    return {v: v for v in values}


#: The four event types; only a service may be open (no end date).
CLD_EVENT_TYPE = ValueSet(
    "cld_event_type",
    {
        "Request": "A contact asking for support, recorded when its first outcome is final",
        "Assessment": "A Care Act eligibility or other assessment",
        "Service": "Support commissioned by or involving the council; may be open",
        "Review": "A planned or unplanned review of a care and support plan",
    },
    source="DHSC Main_tables/docs/methodology/4-event-filtering.md; DOMAIN.md CLD event types",
)

#: Release 2 event outcomes, in the order of DHSC's hierarchy (1 = kept first when deduplicating).
CLD_EVENT_OUTCOME = ValueSet(
    "cld_event_outcome",
    _same(
        "Progress to reablement/ST-Max",
        "Progress to assessment, review or reassessment",
        "Release 1 specification only: Not mapped",
        "Progress to support planning or services",
        "Continuation of support or services",
        "Admitted to hospital",
        "NFA: Responsibility moved to another local authority",
        "NFA: Referral to NHS services or NHS funded social care",
        "NFA: Self-funded client or under 12wk disregard",
        "NFA: Information and advice or signposting",
        "NFA: Referral to other service within the local authority",
        "NFA: Support declined",
        "NFA: Deceased",
        "NFA: Support ended as planned",
        "NFA: Support ended for other reason",
        "NFA: No services offered for other reason",
        "NFA: Other",
    ),
    source="DHSC Main_tables/docs/methodology/6-deduplication.md (release 2 hierarchy, 17 values)",
)

CLD_ROUTE_OF_ACCESS = ValueSet(
    "cld_route_of_access",
    _same(
        "Planned entry (transition)",
        "Discharge from hospital",
        "Diversion from hospital services",
        "Community / Other route",
        "Prison",
        "Self-funder",
        "Discharge from reablement",
        "Transfer from other LA",
    ),
    national=False,
    source="Guidance R1, Route of Access (the release 1 list; release 2 not seen in public code)",
)

CLD_ASSESSMENT_TYPE = ValueSet(
    "cld_assessment_type",
    {
        "Long term assessment": "An eligibility decision under the Care Act is made",
        "Short term assessment": "Any other assessment",
    },
    source="DHSC ASCOF_measures SQL; DOMAIN.md CLD event types",
)

#: Release 2 service types (9).
CLD_SERVICE_TYPE = ValueSet(
    "cld_service_type",
    {
        "Long term support: Nursing care": "Long term support",
        "Long term support: Residential care": "Long term support",
        "Long term support: Community": "Long term support",
        "Long term support: Prison": "Long term support",
        "Short term support: ST-Max": "Short-term support to maximise independence",
        "Short term support: Ongoing low level": "Short term support",
        "Short term support: Other short term": "Short term support",
        "Unpaid carer support: Direct to unpaid carer": "Unpaid carer support",
        "Unpaid carer support: Support involving the person cared-for": "Unpaid carer support",
    },
    source="DHSC Main_tables/docs/methodology/5-data-cleaning.md (release 2 service types)",
)

CLD_SERVICE_COMPONENT = ValueSet(
    "cld_service_component",
    _same(
        "Reablement",
        "Equipment",
        "Direct payment",
        "Home support or domiciliary care",
        "Shared Lives",
        "Community supported living",
        "Extra care housing",
        "Short term residential care",
        "Short term nursing care",
        "Long term residential care",
        "Long term nursing care",
    ),
    national=False,
    source="DHSC ASCOF_measures SQL (the components the measures name; long term residential and "
    "nursing care are the components those filters imply)",
)

CLD_DELIVERY_MECHANISM = ValueSet(
    "cld_delivery_mechanism",
    _same(
        "Direct payment",
        "CASSR managed personal budget",
        "CASSR commissioned support",
    ),
    source="Guidance R1, Delivery mechanism; DHSC Dashboard SQL (release 2 spelling); "
    "'Self-funder metering only' is not to be used before charging reform",
)

CLD_PRIMARY_SUPPORT_REASON = ValueSet(
    "cld_primary_support_reason",
    _same(
        "Physical support: Personal care support",
        "Physical support: Access and mobility only",
        "Sensory support: Support for visual impairment",
        "Sensory support: Support for hearing impairment",
        "Sensory support: Support for dual impairment",
        "Support with memory and cognition",
        "Learning disability support",
        "Mental health support",
        "Social support: Substance misuse support",
        "Social support: Asylum seeker support",
        "Social support: Support for social isolation or other",
        "Social support: Support to unpaid carer",
        "Unknown",
    ),
    defaults=("Unknown",),
    national=False,
    source="DOMAIN.md CLD primary support reason (the SALT groups; exact release 2 wording "
    "partly confirmed in DHSC ASCOF_measures SQL)",
)

CLD_CLIENT_TYPE = ValueSet(
    "cld_client_type",
    _same("Service user", "Unpaid carer", "Unpaid carer known by association"),
    source="DHSC ASCOF_measures SQL; DOMAIN.md CLD fields",
)

CLD_GENDER = ValueSet(
    "cld_gender",
    _same("Male", "Female", "Other", "Unknown"),
    defaults=("Unknown",),
    national=False,
    source="DHSC Dashboard SQL (Male, Female, Unknown after cleaning); 'Other' for people who "
    "identify as neither, as the CLD guidance allows",
)

#: 2021 census ethnic groups plus the two "no data" values.
CLD_ETHNICITY = ValueSet(
    "cld_ethnicity",
    _same(
        "White: English, Welsh, Scottish, Northern Irish or British",
        "White: Irish",
        "White: Gypsy or Irish Traveller",
        "White: Roma",
        "White: Any other White background",
        "Mixed or multiple ethnic groups: White and Black Caribbean",
        "Mixed or multiple ethnic groups: White and Black African",
        "Mixed or multiple ethnic groups: White and Asian",
        "Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background",
        "Asian or Asian British: Indian",
        "Asian or Asian British: Pakistani",
        "Asian or Asian British: Bangladeshi",
        "Asian or Asian British: Chinese",
        "Asian or Asian British: Any other Asian background",
        "Black, Black British, Caribbean or African: Caribbean",
        "Black, Black British, Caribbean or African: African",
        "Black, Black British, Caribbean or African: Any other Black, Black British or "
        "Caribbean background",
        "Other ethnic group: Arab",
        "Other ethnic group: Any other ethnic group",
        "No data: Refused",
        "No data: Undeclared or not known",
    ),
    defaults=("No data: Refused", "No data: Undeclared or not known"),
    source="DHSC Main_tables/docs/methodology/5-data-cleaning.md (release 2 ethnicity)",
)

#: How often a service's unit cost recurs (DHSC turns each into a weekly cost).
CLD_COST_FREQUENCY = ValueSet(
    "cld_cost_frequency",
    {
        "Weekly": "1 a week",
        "Fortnightly": "1 every 2 weeks",
        "4-weekly": "1 every 4 weeks",
        "Monthly": "12 a year",
        "Quarterly": "4 a year",
        "Annually": "1 a year",
        "One-off": "a single payment",
    },
    national=False,
    source="DHSC Dashboard SQL, 6.Costs_fact (the frequencies it recognises: week, fortnight, "
    "4-week, month, quarter, annual, one-off); exact release 2 wording not seen",
)

CLD_VALUE_SETS: dict[str, ValueSet] = {
    vs.name: vs
    for vs in (
        CLD_EVENT_TYPE,
        CLD_EVENT_OUTCOME,
        CLD_ROUTE_OF_ACCESS,
        CLD_ASSESSMENT_TYPE,
        CLD_SERVICE_TYPE,
        CLD_SERVICE_COMPONENT,
        CLD_DELIVERY_MECHANISM,
        CLD_PRIMARY_SUPPORT_REASON,
        CLD_CLIENT_TYPE,
        CLD_GENDER,
        CLD_ETHNICITY,
        CLD_COST_FREQUENCY,
    )
}
