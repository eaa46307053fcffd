"""A tiny hand-made extract whose every linked measure (measures.md section 9) is worked by hand
in test_linked_reference.py. Period: 1 January to 30 June 2025.

People (MPI rows: provider, LSOA, ethnic category; L1 is in region R1, L2 in R2):
p1 at PA (L1, A) and PB (L2, M); p2 at PA (L2, H); p3 at PB (L2, Z); p5 at PB (L2, B);
p6 at PA (L1, D); p7 at PB (L1, C); p4 at PB (L1, R), with no community activity. p8 is in
the acute data only, p9 in CLD only.
"""

from __future__ import annotations

import pandas as pd
from linked_reference import Extract, prepared

START, END = "2025-01-01", "2025-06-30"

GEOGRAPHY = pd.DataFrame(
    {
        "lsoa": ["L1", "L2"],
        "icb": ["I1", "I2"],
        "region": ["R1", "R2"],
        "imd_decile": ["1", "6"],
        "imd_quintile": ["1", "3"],
    }
)


def _frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split())


def _mpi() -> pd.DataFrame:
    return _frame(
        "provider_code person_id lsoa_2011 ethnic_category",
        [
            ("PA", "p1", "L1", "A"),
            ("PB", "p1", "L2", "M"),
            ("PA", "p2", "L2", "H"),
            ("PB", "p3", "L2", "Z"),
            ("PB", "p5", "L2", "B"),
            ("PA", "p6", "L1", "D"),
            ("PB", "p7", "L1", "C"),
            ("PB", "p4", "L1", "R"),
        ],
    )


def _referrals() -> pd.DataFrame:
    return _frame(
        "provider_code referral_id person_id referral_received_date",
        [
            ("PA", "r1", "p1", "2025-02-01"),
            ("PA", "r2", "p2", "2024-12-01"),
            ("PB", "r3", "p3", "2025-03-01"),
            ("PB", "r4", "p1", "2024-06-01"),
            ("PB", "r5", "p3", "2025-05-01"),
            ("PA", "r6", "p6", "2025-01-15"),
            ("PB", "r7", "p7", "2024-11-01"),
        ],
    )


def _contacts() -> pd.DataFrame:
    return _frame(
        "provider_code contact_id referral_id contact_date",
        [
            ("PA", "c1", "r2", "2025-01-10"),  # p2 active through a contact
            ("PB", "c2", "r4", "2024-07-01"),  # p1 at PB: not in the period
            ("PB", "c3", "r7", "2025-03-03"),  # p7 active through a contact
            ("PB", "c4", "r4", "2025-02-15"),  # p1 active at PB too
        ],
    )


def _clocks() -> pd.DataFrame:
    none = None
    return _frame(
        "provider_code referral_id measurement_type clock_start_date clock_start_time "
        "clock_end_date clock_end_time",
        [
            ("PA", "r1", "05", "2025-02-01", "10:00:00", "2025-02-01", "11:00:00"),  # k1
            ("PA", "r2", "05", "2025-03-01", "09:00:00", "2025-03-01", "08:00:00"),  # ends first
            ("PB", "r3", "05", "2025-04-01", "10:00:00", "2025-04-01", "13:00:00"),  # k3
            ("PA", "r1", "01", "2025-02-01", "10:00:00", "2025-02-01", "11:00:00"),  # not 2-hour
            ("PB", "r4", "05", "2025-05-10", "10:00:00", "2025-05-10", none),  # no end time
            ("PB", "r5", "05", "2025-06-20", "10:00:00", "2025-06-20", "10:30:00"),  # k6
        ],
    )


def _spells() -> pd.DataFrame:
    return _frame(
        "provider_code spell_id person_id admission_date discharge_date discharge_destination",
        [
            ("PA", "s1", "p2", "2025-03-01", "2025-03-10", "01"),
            ("PA", "s2", "p1", "2025-03-01", "2025-03-20", "01"),
            ("PB", "s3", "p3", "2025-03-20", "2025-04-01", "06"),  # died
            ("PB", "s4", "p3", "2025-04-20", "2025-05-01", None),
            ("PA", "s5", "p2", "2024-12-01", "2024-12-20", "01"),  # before the period
            ("PB", "s6", "p5", "2025-02-01", "2025-02-10", "01"),
            ("PB", "s7", "p5", "2025-04-20", "2025-04-25", "01"),
        ],
    )


def _acute() -> pd.DataFrame:
    return _frame(
        "person_id admission_date admission_method provider_code discharge_date",
        [
            ("p1", "2025-02-01", "emergency", "AC1", "2025-02-06"),  # a1
            ("p3", "2025-04-09", "emergency", "AC1", None),  # a2
            ("p2", "2025-01-20", "elective", "AC1", "2025-01-22"),  # a3
            ("p1", "2025-03-10", "emergency", "AC1", "2025-03-20"),  # a4
            ("p1", "2025-06-15", "emergency", "AC1", "2025-06-18"),  # a5
            ("p4", "2025-01-01", "emergency", "AC2", "2025-01-05"),  # a6
            ("p4", "2025-02-20", "elective", "AC2", "2025-02-25"),  # a8
            ("p8", "2025-03-01", "emergency", "AC2", "2025-03-05"),  # a9: no community record
            ("p2", "2025-06-05", "emergency", "AC1", "2025-06-05"),  # a7: in and out the same day
        ],
    )


ST_MAX = "Short term support: ST-Max"
CARER = "Unpaid carer support: Direct to unpaid carer"
COMMUNITY = "Long term support: Community"
RESIDENTIAL = "Long term support: Residential care"
NURSING = "Long term support: Nursing care"
OTHER_SHORT = "Short term support: Other short term"
REABLE = "Reablement"
#: person: (birth year, birth month, LSOA, ethnicity)
CLD_PEOPLE = {
    "p1": (1950, 3, "L1", "White: Irish"),
    "p2": (1940, 1, "L2", "Asian or Asian British: Indian"),
    "p3": (1960, 6, "L2", "No data: Refused"),
    "p4": (1950, 1, "L1", "Other ethnic group: Arab"),
    "p5": (1930, 12, "L2", "Mixed or multiple ethnic groups: White and Asian"),
    "p6": (1970, 5, "L1", "White: Roma"),
    "p9": (1980, 7, "L2", "White: Roma"),
    None: (1945, 1, "L9", "White: Irish"),
}


def _cld_rows() -> list[tuple]:
    """(ref, council, person, type, start, end, service type, component, death, submitted)."""
    return [
        ("e1", "LA1", "p1", "Request", "2025-02-01", "2025-02-01", None, None),
        ("e2", "LA1", "p3", "Request", "2025-04-05", "2025-04-05", None, None),
        ("e3", "LA1", "p2", "Service", "2025-03-01", None, COMMUNITY, "Direct payment"),
        ("e4", "LA1", "p1", "Service", "2025-03-22", "2025-04-30", ST_MAX, REABLE),
        ("e5", "LA1", "p1", "Service", "2025-03-21", "2025-03-25", CARER, None),
        ("e6", "LA2", "p3", "Service", "2025-08-15", None, RESIDENTIAL, None),
        ("e7", "LA1", "p1", "Service", "2025-05-05", "2025-05-20", ST_MAX, REABLE),
        ("e8", "LA1", "p1", "Service", "2025-06-01", None, ST_MAX, REABLE),
        ("e9", "LA2", "p3", "Service", "2025-05-03", "2025-06-10", ST_MAX, REABLE),
        ("e10", "LA1", "p2", "Service", "2025-01-22", "2025-02-28", ST_MAX, REABLE),
        ("e11", "LA2", None, "Service", "2025-02-10", "2025-03-20", ST_MAX, REABLE),
        ("e12", "LA2", "p4", "Service", "2025-01-08", "2025-02-15", ST_MAX, REABLE),
        ("e13", "LA2", "p4", "Review", "2025-03-20", "2025-03-20", None, None),
        ("e14", "LA2", "p5", "Service", "2025-02-12", "2025-03-30", ST_MAX, REABLE),
        ("e15", "LA2", "p5", "Service", "2025-05-12", None, RESIDENTIAL, None),
        ("e16", "LA1", "p6", "Service", "2025-01-01", None, CARER, None),
        ("e17", "LA1", "p6", "Service", "2024-01-01", "2024-12-31", COMMUNITY, None),
        ("e18", "LA2", "p3", "Request", "2025-07-15", "2025-07-15", None, None),
        ("e19", "LA1", "p1", "Service", "2025-03-15", "2025-03-18", OTHER_SHORT, None),
        ("e20", "LA2", "p9", "Request", "2025-02-02", "2025-02-02", None, None),
    ]


#: Stated dates of death: (event reference, date, submission date); p4's latest date stated is
#: 1 March 2025 (e12, submitted 1 July), the later-submitted e13 says 20 January. Every other
#: CLD row is submitted on 30 September 2025.
DEATHS = {"e12": ("2025-03-01", "2025-07-01"), "e13": ("2025-01-20", "2025-09-30")}


def _cld() -> pd.DataFrame:
    rows = []
    for ref, council, person, kind, start, end, service, component in _cld_rows():
        year, month, lsoa, ethnicity = CLD_PEOPLE[person]
        death, submitted = DEATHS.get(ref, (None, "2025-09-30"))
        rows.append(
            (council, ref, person, year, month, ethnicity, lsoa, death, kind, start, end)
            + (service, component, submitted)
        )
    return _frame(
        "la_code event_reference person_id birth_year birth_month ethnicity lsoa_2011 "
        "date_of_death event_type event_start_date event_end_date service_type "
        "service_component submission_date",
        rows,
    )


def hand_tables() -> dict[str, pd.DataFrame]:
    """The hand-made tables as submitted (dates as ISO text, missing values None)."""
    return {
        "mpi": _mpi(),
        "referrals": _referrals(),
        "rtt_clocks": _clocks(),
        "care_contacts": _contacts(),
        "inpatient_spells": _spells(),
        "acute_admissions": _acute(),
        "cld_events": _cld(),
    }


def hand_extract() -> Extract:
    """The hand-made extract, dates parsed."""
    return prepared(Extract(**hand_tables(), geography=GEOGRAPHY))
