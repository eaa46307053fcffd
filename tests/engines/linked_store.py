"""A small hand-made store of linked people (community health, acute care and adult social care)
for the worked values of measures.md section 9 (tests/engines/test_measures_linked.py).

Seven community persons A to G at provider RXA, one council (E08000001), and a CLD-only person
Q; every date and the value each measure gives are worked in the test module's comments.
"""

from __future__ import annotations

from pathlib import Path

from submission_files import clock, person, referral, write_rows, write_submission
from workbench.ingest import ingest
from workbench.spec import TABLES
from workbench.spec.cld import CLD_EVENTS

SUBMITTED = "20250801"
LA = "E08000001"
#: The pseudonyms (the pattern CLD's specification asks of a pseudonym).
A, B, C, D, E, F, G = ("P" + letter * 16 for letter in "ABCDEFG")
Q = "P" + "Q" * 16  # in CLD only
ST_MAX = "Short term support: ST-Max"
LT_COMMUNITY = "Long term support: Community"
LT_NURSING = "Long term support: Nursing care"
UNPAID = "Unpaid carer support: Direct to unpaid carer"
BORN = {A: (1950, 3), B: (1940, 6), C: (1960, 2), D: (1945, 1), E: (1970, 1), F: (1940, 1)}
DIED = {C: "2025-04-30"}


def cld(reference: str, pid: str, kind: str, start: str, end: str = "", **kw: str) -> dict:
    """One CLD row of person ``pid`` ("" for none): a Request, or a Service of type ``kind``."""
    year, month = BORN.get(pid, (1940, 1))
    service = kind != "Request"
    return {
        "la_code": LA,
        "reporting_period_start_date": "2024-07-01",
        "reporting_period_end_date": "2025-06-30",
        "person_id": pid,
        "birth_year": str(year),
        "birth_month": str(month),
        "gender": "Female",
        "ethnicity": "White: Irish",
        "lsoa_2011": "E01000001",
        "date_of_death": DIED.get(pid, ""),
        "client_type": "Service User",
        "primary_support_reason": "Physical Support: Personal Care Support",
        "event_type": "Service" if service else "Request",
        "event_reference": reference,
        "event_start_date": start,
        "event_end_date": end if service else start,
        "event_outcome": "" if service else "Progress to reablement/ST-Max",
        "request_route_of_access": "" if service else "Discharge from hospital",
        "service_type": kind if service else "",
        "service_component": kw.pop("component", "Reablement" if kind == ST_MAX else ""),
        "delivery_mechanism": "CASSR Managed Personal Budget" if service else "",
        "unit_cost": "25.5" if service else "",
        "cost_frequency": "Weekly" if service else "",
        **kw,
    }


CLD_ROWS = [
    cld("REQ-A", A, "Request", "2025-01-12"),
    cld("REQ-C", C, "Request", "2025-01-25"),
    cld("REQ-B", B, "Request", "2025-01-10"),
    cld("LTC-A", A, LT_COMMUNITY, "2025-02-11"),
    cld("LTC-B", B, LT_COMMUNITY, "2025-01-28"),
    cld("CARER-C", C, UNPAID, "2025-02-05"),
    cld("LTC-E", E, LT_COMMUNITY, "2025-05-05"),
    cld("RA1", A, ST_MAX, "2025-02-03", "2025-02-20"),
    cld("RA2", A, ST_MAX, "2025-02-25", "2025-03-15"),
    cld("RB1", B, ST_MAX, "2025-02-01", "2025-02-10"),
    cld("RB2", B, ST_MAX, "2025-02-18", "2025-03-01"),
    cld("NURS-B", B, LT_NURSING, "2025-04-01"),
    cld("RC1", C, ST_MAX, "2025-02-04"),
    cld("RD1", D, ST_MAX, "2025-02-10", "2025-03-20"),
    cld("RE1", E, ST_MAX, "2025-02-10", "2025-03-01"),
    cld("RX1", "", ST_MAX, "2025-02-05", "2025-03-01", birth_year="1940"),
    cld("EQUIP-A", A, ST_MAX, "2025-02-03", "2025-02-04", component="Equipment"),
    cld("LTC-F", F, LT_COMMUNITY, "2024-06-01", "2024-12-31"),
    cld("CARER-F", F, UNPAID, "2025-03-01"),
    cld("REQ-Q", Q, "Request", "2025-03-01"),
]


def spell(sid: str, pid: str, discharged: str, destination: str = "01") -> dict:
    return {
        "spell_id": sid,
        "person_id": pid,
        "provider_code": "RXA",
        "admission_date": "2025-01-20",
        "discharge_date": discharged,
        "discharge_destination": destination,
    }


def admission(pid: str, admitted: str, method: str, discharged: str = "") -> dict:
    return {
        "person_id": pid,
        "admission_date": admitted,
        "admission_method": method,
        "discharge_date": discharged,
        "provider_code": "RAA",
    }


def community_rows() -> dict[str, list[dict]]:
    """The community submission of RXA: persons, referrals, clocks and spells."""
    people = [A, B, C, D, E, F, G]
    refs = [referral(f"R{i}", pid) for i, pid in enumerate(people[:5], 1)]
    refs += [
        referral(f"R{i}", pid, referral_received_date="2025-03-01") for i, pid in ((6, F), (7, G))
    ]
    clocks = [clock(f"R{i}") for i in range(1, 6)]
    clocks.append(clock("R6", clock_end_date="", clock_end_time=""))  # missing end: not in scope
    return {
        "mpi": [person(pid) for pid in people],
        "referrals": refs,
        "rtt_clocks": clocks,
        "inpatient_spells": [
            spell("S1", A, "2025-02-01"),
            spell("S2", B, "2025-02-01"),
            spell("S3", C, "2025-02-01"),
            spell("S4", D, "2025-02-01", destination="06"),
            spell("S5", E, "2025-02-01"),
            spell("S6", F, "2025-02-01"),
        ],
    }


ACUTE_ROWS = [
    admission(A, "2025-01-15", "emergency", "2025-02-01"),
    admission(B, "2025-01-10", "emergency"),
    admission(B, "2025-03-20", "elective", "2025-03-25"),
    admission(C, "2025-04-10", "elective", "2025-04-20"),
    admission(D, "2025-02-05", "elective", "2025-02-13"),
    admission(D, "2025-03-20", "emergency"),
    admission(E, "2025-01-18", "emergency"),
]


def build_linked_store(folder: Path, with_cld: bool = True) -> Path:
    """Ingest the community, acute and (with ``with_cld``) CLD files: the store's folder."""
    src = folder / "src"
    for table, rows in community_rows().items():
        write_submission(src, table, "RXA", SUBMITTED, rows)
    write_submission(src, "acute_admissions", "RAA", SUBMITTED, ACUTE_ROWS)
    if with_cld:
        columns = list(CLD_EVENTS.column_names)
        write_rows(src / LA / f"cld_{LA}_{SUBMITTED}.csv", columns, CLD_ROWS)
    assert "discharge_date" in TABLES["acute_admissions"].column_names
    ingest(src, folder / "store", progress=False)
    return folder / "store"
