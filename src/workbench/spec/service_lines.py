"""Service lines (SERVICE OR TEAM TYPE REFERRED TO (COMMUNITY CARE)) as the project's own codes.

The national code list was not available to the project (sources.md 1.4 and open question 1), so
the team type codes below are the project's own: ``A01``-``A30`` for the 30 adult service lines
and ``C01``-``C17`` for the 17 children and young people's lines of the community health services
waiting list collection (sources.md 2b). Replace the codes with the national ones when they are to
hand; the names and the adult/CYP split come from the collection.
"""

from __future__ import annotations

from workbench.spec.value_sets import ValueSet

ADULT_SERVICE_LINES: tuple[str, ...] = (
    "Adult safeguarding",
    "Audiology",
    "Clinical support to social care, care homes and domiciliary care",
    "Community nursing services",
    "Home oxygen assessment services",
    "Intermediate care and reablement",
    "Musculoskeletal service",
    "Neurorehabilitation (multi-disciplinary)",
    "Nursing and therapy support for LTCs: continence and colostomy",
    "Nursing and therapy support for LTCs: diabetes",
    "Nursing and therapy support for LTCs: falls",
    "Nursing and therapy support for LTCs: heart failure",
    "Nursing and therapy support for LTCs: lymphoedema",
    "Nursing and therapy support for LTCs: motor neurone disease",
    "Nursing and therapy support for LTCs: multiple sclerosis",
    "Nursing and therapy support for LTCs: respiratory and COPD",
    "Nursing and therapy support for LTCs: stroke",
    "Nursing and therapy support for LTCs: tuberculosis",
    "Nursing and therapy support for LTCs: tissue viability",
    "Podiatry and podiatric surgery",
    "Rehabilitation bed-based care",
    "Rehabilitation services (integrated)",
    "Therapy interventions: dietetics",
    "Therapy interventions: occupational therapy",
    "Therapy interventions: orthotics",
    "Therapy interventions: physiotherapy",
    "Therapy interventions: speech and language",
    "Urgent community response and rapid response",
    "Weight management and obesity services",
    "Wheelchair, orthotics, prosthetics and equipment",
)

CYP_SERVICE_LINES: tuple[str, ...] = (
    "Antenatal, new-born and children screening and immunisation services",
    "Audiology",
    "Child health information service",
    "Community nursing services (planned care and rapid response teams)",
    "Community paediatric service",
    "Looked after children teams",
    "New-born hearing screening",
    "Nursing and therapy teams support for long term conditions",
    "Rapid response services",
    "Safeguarding",
    "Therapy interventions: dietetics",
    "Therapy interventions: occupational therapy",
    "Therapy interventions: orthotics",
    "Therapy interventions: physiotherapy",
    "Therapy interventions: speech and language",
    "Vision screening",
    "Wheelchair, orthotics, prosthetics and equipment",
)


def _codes(prefix: str, names: tuple[str, ...]) -> dict[str, str]:
    return {f"{prefix}{i:02d}": name for i, name in enumerate(names, start=1)}


TEAM_TYPE = ValueSet(
    "team_type",
    {**_codes("A", ADULT_SERVICE_LINES), **_codes("C", CYP_SERVICE_LINES)},
    national=False,
    source="project's own codes for the CHS waiting list collection's 30 adult and 17 CYP lines",
)

#: The adult service line that carries the 2-hour urgent community response.
UCR_TEAM_TYPE = "A28"
#: Service lines with a community bed base (rehabilitation bed-based care).
BED_BASED_TEAM_TYPE = "A21"


def is_cyp_service_line(code: str) -> bool:
    """True when a team type code is one of the children and young people's service lines."""
    return code.startswith("C")


#: The words after a service line's name that say whose service it is (measures.md section 7,
#: "Service lines"): the national statistics report adult and children's lines apart.
SERVICE_SUFFIX = {"A": "adult", "C": "children and young people"}


def service_line_label(code: str) -> str | None:
    """What a reader calls a team type: its name and whose service it is, e.g.
    "Therapy interventions: physiotherapy (adult)" and "... (children and young people)", so
    that no two service lines share a label; None for a code outside the list."""
    name = TEAM_TYPE.codes.get(code)
    if name is None:
        return None
    return f"{name} ({SERVICE_SUFFIX[code[0]]})"
