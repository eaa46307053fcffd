"""Every realism parameter of the generator in one place, each with the figure it comes from.

sources.md section 4 gives the national headline figures (CSS-MAR26: Community Services
Statistics, March 2026; Nuffield Trust waiting list figures, July 2025; UCR briefing 2023).
Where no public figure exists the value is a placeholder chosen to look plausible, marked
"placeholder"; replace it when a figure is found.
"""

from __future__ import annotations

# --- Persons and age -------------------------------------------------------------------------
#: Share of persons with a referral in a month by age group 0-18 / 19-64 / 65+
#: (CSS-MAR26: 268k / 438k / 589k people).
AGE_GROUPS = ("0-18", "19-64", "65+")
PERSON_AGE_SHARES = (268_240 / 1_295_240, 438_000 / 1_295_240, 589_000 / 1_295_240)
#: Referrals per person by age group (CSS-MAR26: 303k/268k = 1.13, 532k/438k = 1.21,
#: 1.03m/589k = 1.75). Gives ~16% / 29% / 55% of referrals.
REFERRALS_PER_PERSON = (1.13, 1.21, 1.75)
#: Mean days between a person's first referral and each further one (placeholder: several
#: services are usually asked for together, so monthly referrals-per-person ratios hold).
EXTRA_REFERRAL_GAP_DAYS = 21.0
#: How far back the open waiting list reaches at period start (brief: ~3 years).
HISTORY_YEARS = 3

#: Gender shares (1 male, 2 female, 9 indeterminate, X not known) by age group (placeholder;
#: older people mostly women, paediatric referrals mostly boys).
GENDER_CODES = ("1", "2", "9", "X")
GENDER_SHARES = {
    "0-18": (0.56, 0.435, 0.002, 0.003),
    "19-64": (0.47, 0.525, 0.002, 0.003),
    "65+": (0.41, 0.585, 0.002, 0.003),
}

# --- Ethnicity (England 2011/2021 census mix; London more diverse) -----------------------------
ETHNIC_CODES = ("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S")
#: England: White ~81%, Asian ~10%, Black ~4%, Mixed ~3%, Other ~2%.
ETHNIC_SHARES_ENGLAND = (
    74.4,
    0.9,
    5.7,  # White
    0.8,
    0.4,
    0.9,
    0.9,  # Mixed
    3.3,
    2.7,
    1.1,
    1.6,  # Asian (Chinese is R, Other, in the 2001 codes)
    1.0,
    2.5,
    0.5,  # Black
    0.7,
    1.6,  # Other
)
#: London: White ~54%, Asian ~20%, Black ~13%, Mixed ~6%, Other ~7%.
ETHNIC_SHARES_LONDON = (
    37.0,
    2.0,
    15.0,
    1.5,
    1.0,
    1.5,
    2.0,
    7.0,
    3.0,
    4.0,
    5.0,
    4.0,
    7.5,
    1.5,
    1.5,
    5.5,
)
#: Multiplier on the non-White share by IMD quintile (1 = most deprived; placeholder: minority
#: ethnic communities live disproportionately in deprived areas).
NON_WHITE_BY_QUINTILE = (1.6, 1.2, 0.9, 0.75, 0.6)
#: Multiplier on the non-White share by age group (younger populations are more diverse).
NON_WHITE_BY_AGE = {"0-18": 1.4, "19-64": 1.15, "65+": 0.5}
#: Relative chance of referral by IMD decile 1..10 (placeholder: need rises with deprivation).
REFERRAL_WEIGHT_BY_DECILE = tuple(1.0 + 0.08 * (10 - d) for d in range(1, 11))

# --- Service lines ---------------------------------------------------------------------------
#: Referral share of each service line within an age group. UCR (A28) ~4% of all referrals,
#: mostly 65+ (sources.md 4: ≈73k of ~1.8m). MSK the big adult waiting-list line, community
#: nursing the big line by contacts; CYP community paediatrics and SLT dominate the CYP list.
SERVICE_MIX: dict[str, dict[str, float]] = {
    "0-18": {
        "C01": 3,
        "C02": 5,
        "C03": 1,
        "C04": 7,
        "C05": 27,
        "C06": 2,
        "C07": 3,
        "C08": 4,
        "C09": 2,
        "C10": 1,
        "C11": 4,
        "C12": 6,
        "C13": 1,
        "C14": 9,
        "C15": 20,
        "C16": 3,
        "C17": 2,
    },
    "19-64": {
        "A01": 0.5,
        "A02": 3,
        "A03": 1,
        "A04": 10,
        "A05": 0.5,
        "A06": 2,
        "A07": 32,
        "A08": 1.5,
        "A09": 2,
        "A10": 3,
        "A11": 1,
        "A12": 1,
        "A13": 1.5,
        "A14": 0.2,
        "A15": 0.8,
        "A16": 2,
        "A17": 1,
        "A18": 0.3,
        "A19": 2,
        "A20": 8,
        "A21": 0.5,
        "A22": 3,
        "A23": 3,
        "A24": 3,
        "A25": 1.5,
        "A26": 9,
        "A27": 1,
        "A28": 1.5,
        "A29": 3,
        "A30": 1.5,
    },
    "65+": {
        "A01": 0.5,
        "A02": 3,
        "A03": 3,
        "A04": 30,
        "A05": 1,
        "A06": 6,
        "A07": 10,
        "A08": 1,
        "A09": 3,
        "A10": 2,
        "A11": 4,
        "A12": 2.5,
        "A13": 1,
        "A14": 0.2,
        "A15": 0.3,
        "A16": 3,
        "A17": 1.5,
        "A18": 0.1,
        "A19": 4,
        "A20": 6,
        "A21": 2.5,
        "A22": 4,
        "A23": 1.5,
        "A24": 3,
        "A25": 1,
        "A26": 4,
        "A27": 1,
        "A28": 6.5,
        "A29": 0.3,
        "A30": 1.5,
    },
}

#: Wait from referral to first attended contact: lognormal (median days, sigma) by line.
#: Tuned so the CYP list has ~1 in 4 over 52 weeks and ~1 in 15 over 104, adults ~1 in 100 over
#: 52 weeks (sources.md 4, Nuffield Trust Jul 2025), CYP >18 weeks > 37%, adults < 16%.
WAIT_DEFAULT = (21.0, 0.9)
WAITS = {
    "A01": (3, 1.0),
    "A02": (56, 0.7),
    "A03": (7, 1.0),
    "A04": (2, 1.0),
    "A05": (14, 0.8),
    "A06": (1, 0.8),
    "A07": (63, 0.75),
    "A08": (35, 0.8),
    "A20": (49, 0.75),
    "A21": (2, 0.7),
    "A22": (14, 0.9),
    "A23": (35, 0.8),
    "A24": (35, 0.8),
    "A25": (42, 0.8),
    "A26": (42, 0.75),
    "A27": (42, 0.8),
    "A29": (120, 0.7),
    "A30": (56, 0.8),
    "C01": (14, 0.8),
    "C02": (70, 0.9),
    "C03": (7, 0.8),
    "C04": (7, 1.0),
    "C05": (240, 0.85),
    "C06": (21, 0.8),
    "C07": (14, 0.6),
    "C08": (35, 0.9),
    "C09": (1, 0.6),
    "C10": (3, 0.8),
    "C11": (56, 0.9),
    "C12": (100, 0.9),
    "C13": (56, 0.8),
    "C14": (60, 0.9),
    "C15": (150, 0.9),
    "C16": (42, 0.8),
    "C17": (70, 0.9),
}
#: Share of referrals removed without being seen (closed or rejected before any attended
#: contact; brief: ~5-10%), and the reasons for closure (REFERRAL_CLOSURE_REASON codes).
REMOVED_UNSEEN = 0.07
REMOVAL_REASONS = {"02": 0.15, "03": 0.30, "04": 0.10, "05": 0.05, "06": 0.15, "07": 0.25}

#: Contacts per seen referral after the first attended one: mean by line (placeholder, tuned so
#: contacts/referrals ~4.9 and 65+ ~60% of contacts, CYP ~19%: sources.md 4), and days between
#: contacts (mean).
CONTACTS_DEFAULT = (3.0, 14.0)
FOLLOW_UPS = {
    "A03": (3, 14),
    "A04": (9, 5),
    "A06": (7, 2),
    "A07": (3, 14),
    "A11": (3, 10),
    "A16": (4, 21),
    "A19": (7, 5),
    "A20": (3, 28),
    "A21": (6, 3),
    "A22": (5, 7),
    "A26": (3, 10),
    "A28": (1.0, 1),
    "A09": (4, 14),
    "A10": (3, 21),
    "C04": (12, 7),
    "C05": (4, 60),
    "C15": (9, 14),
    "C09": (1, 2),
    "C02": (2, 60),
    "C14": (6, 14),
    "C12": (6, 14),
    "C08": (6, 21),
    "C11": (4, 28),
}
#: Days from the last contact to discharge (uniform 0..N).
DISCHARGE_AFTER_LAST_CONTACT_DAYS = 21
#: Chance of non-attended contacts before the first attended one (0, 1, 2 of them).
PRE_CONTACTS = (0.85, 0.12, 0.03)

#: Attendance status of follow-up contacts (brief: 85-90% attended, DNA 5-7%, cancelled ~6%;
#: national shares not found, sources.md open question 9).
ATTENDANCE_FOLLOW_UP = {"5": 0.82, "6": 0.04, "3": 0.05, "7": 0.01, "2": 0.035, "4": 0.045}
#: Attendance of the contacts before the first attended one (all not attended).
ATTENDANCE_PRE = {"3": 0.35, "7": 0.05, "2": 0.30, "4": 0.30}
#: Consultation mechanism (placeholder: mostly face to face).
CONSULTATION = {"01": 0.86, "02": 0.10, "11": 0.035, "98": 0.005}
#: Activity location by kind of service (project's own codes).
LOCATIONS = {
    "home": {"L01": 0.85, "L02": 0.15},
    "clinic": {"L03": 0.80, "L04": 0.15, "L06": 0.05},
    "bed": {"L06": 1.0},
    "school": {"L05": 0.5, "L03": 0.45, "L01": 0.05},
    "paediatric": {"L03": 0.75, "L05": 0.2, "L01": 0.05},
    "mixed": {"L03": 0.55, "L01": 0.35, "L04": 0.1},
}
HOME_LINES = {"A03", "A04", "A06", "A11", "A19", "A28", "C04", "C09", "A09", "A12", "A14"}
CLINIC_LINES = {
    "A02",
    "A07",
    "A20",
    "A23",
    "A25",
    "A26",
    "A29",
    "A30",
    "C02",
    "C13",
    "C14",
    "C16",
    "C17",
    "A05",
    "A13",
    "A10",
}
BED_LINES = {"A21"}
SCHOOL_LINES = {"C15", "C12", "C01"}
PAEDIATRIC_LINES = {"C05", "C06", "C08", "C10", "C11"}
#: Contact duration in minutes: lognormal median by line kind, clipped to 10-90, 5-minute steps.
DURATION_MEDIAN = {
    "home": 30,
    "clinic": 30,
    "bed": 45,
    "school": 40,
    "paediatric": 50,
    "mixed": 35,
    "ucr": 60,
}

# --- Referral attributes -------------------------------------------------------------------
#: UCR briefing 2023 (October 2023): the person, a carer or relative 37.5%, GP 15.6%, ambulance
#: service 8.4%; the rest placeholder. NHS 111 ('10') directly after the ambulance service ('04'):
#: together they hold the 20% the two shared as one code before, so every other draw is unchanged.
SOURCE_UCR = {
    "02": 0.375,
    "01": 0.156,
    "04": 0.084,
    "10": 0.116,
    "03": 0.08,
    "05": 0.07,
    "06": 0.09,
    "09": 0.025,
    "99": 0.004,
}
#: The clinical condition or need of a UCR referral (sources.md 2a: the nine of the national
#: 2-hour guidance, other '98', not known '99'). Placeholder: no national breakdown by reason was
#: found; falls the largest, as provider pages describe.
UCR_REASON = {
    "01": 0.30,
    "02": 0.14,
    "03": 0.16,
    "04": 0.08,
    "05": 0.03,
    "06": 0.07,
    "07": 0.08,
    "08": 0.02,
    "09": 0.03,
    "98": 0.07,
    "99": 0.02,
}
SOURCE_ADULT = {
    "01": 0.45,
    "03": 0.18,
    "06": 0.12,
    "02": 0.09,
    "05": 0.05,
    "07": 0.01,
    "09": 0.08,
    "99": 0.02,
}
SOURCE_CYP = {
    "01": 0.35,
    "08": 0.20,
    "06": 0.20,
    "03": 0.10,
    "02": 0.08,
    "05": 0.03,
    "09": 0.03,
    "99": 0.01,
}
PRIORITY_ROUTINE = {"1": 0.80, "2": 0.19, "3": 0.01}
#: Main primary reason for referral by line (70% of referrals; the rest spread over 01-04).
REASON_BY_LINE = {
    "A28": "05",
    "C09": "05",
    "A06": "03",
    "A21": "03",
    "A22": "03",
    "A08": "03",
    "A17": "03",
    "A04": "02",
    "A07": "02",
    "A26": "02",
    "A30": "07",
    "A05": "07",
    "C17": "07",
    "C05": "06",
    "C01": "06",
    "C03": "06",
    "C07": "06",
    "C16": "06",
}

# --- 2-hour UCR clock (sources.md 2a; ≥70% met nationally since 2022) --------------------------
#: Response minutes lognormal: median 75, sigma 0.65 -> ~76% within 120 minutes.
UCR_RESPONSE_MEDIAN_MIN = 75.0
UCR_RESPONSE_SIGMA = 0.65
UCR_MISSING_END = 0.02
UCR_END_BEFORE_START = 0.005
#: Share of intermediate care (A06) referrals with a 2-day ('06') clock; response in hours.
TWO_DAY_CLOCK_SHARE = 0.5
TWO_DAY_RESPONSE_MEDIAN_H = 20.0

# --- Diagnoses ----------------------------------------------------------------------------------
PRIMARY_DIAGNOSIS = 0.45
SECONDARY_DIAGNOSIS = 0.25  # of referrals with a primary
SNOMED_SHARE = 0.15
#: ICD-10 code -> SNOMED CT concept (only ids in clinical_areas.py or well known).
SNOMED_FOR = {
    "J44.9": "13645005",
    "J45.9": "195967001",
    "I10": "38341003",
    "E11.9": "44054006",
    "E10.9": "46635009",
    "G40.9": "84757009",
    "K02.9": "80967001",
    "F32.9": "35489007",
    "F20.9": "58214004",
    "C50.9": "363346000",
    "O26.9": "77386006",
    "M54.5": "279039007",
    "I50.9": "84114007",
}
#: Diagnosis pools by kind; a realistic minority fall in Core20PLUS5 areas.
DIAGNOSES_ADULT = {
    "M54.5": 8,
    "S72.0": 4,
    "I50.9": 6,
    "L89.9": 5,
    "R26.8": 6,
    "J44.9": 5,
    "I10": 4,
    "E11.9": 4,
    "F32.9": 2,
    "F20.9": 0.7,
    "C50.9": 1,
    "C61": 1,
    "O26.9": 0.5,
    "L97": 4,
    "M17.9": 5,
    "I63.9": 2,
    "R32": 3,
    "N39.0": 2,
    "G20": 1,
    "R29.6": 3,
    "Z74.1": 3,
}
DIAGNOSES_CYP = {
    "F80.1": 6,
    "F84.0": 5,
    "F90.0": 4,
    "J45.9": 3,
    "E10.9": 1.5,
    "G40.9": 1.5,
    "K02.9": 1,
    "F32.9": 1,
    "Q90.9": 1,
    "G80.9": 1,
    "R62.0": 3,
    "H90.3": 2,
    "Z00.1": 3,
    "M21.4": 1,
}
DIAGNOSES_BY_LINE: dict[str, dict[str, float]] = {
    "A07": {"M54.5": 5, "M17.9": 3, "M25.5": 2, "M75.1": 1},
    "A26": {"M54.5": 3, "M17.9": 2, "S72.0": 1, "M25.5": 2},
    "A16": {"J44.9": 6, "J45.9": 1, "J84.1": 0.5},
    "A12": {"I50.9": 6, "I10": 1},
    "A10": {"E11.9": 6, "E10.9": 1},
    "A19": {"L89.9": 4, "L97": 3},
    "A17": {"I63.9": 5},
    "C15": {"F80.1": 6, "F80.2": 2, "F84.0": 1},
    "C05": {"F84.0": 4, "F90.0": 3, "G40.9": 1, "R62.0": 2, "F32.9": 0.5},
}

# --- Assessments (outcome tools by line; spec.assessment_tools) -------------------------------
ASSESSMENT_SHARE = 0.6  # of eligible seen referrals
ASSESSMENT_TOOLS_BY_LINE = {
    "A06": "WB-BARTHEL",
    "A21": "WB-BARTHEL",
    "A17": "WB-BARTHEL",
    "A08": "WB-TOMS",
    "A22": "WB-EQVAS",
    "A11": "WB-EQVAS",
    "A07": "WB-MSKHQ",
    "A26": "WB-MSKHQ",
    "A24": "WB-TOMS",
    "A27": "WB-TOMS",
    "A29": "WB-PHQ9",
    "C15": "WB-TOMS",
    "C12": "WB-TOMS",
    "C05": "WB-SDQ",
}
#: Direction of change between first and last assessment: improve / unchanged / worse.
OUTCOME_SHARES = (0.65, 0.20, 0.15)

# --- Community inpatient spells (sources.md 2f) --------------------------------------------------
LOS_READY_MEDIAN_DAYS = 19.0  # LoS median ~3 weeks overall
LOS_READY_SIGMA = 0.55
DELAYED_SHARE = 0.40  # ~20% of occupied beds on a day are delayed (Nuffield, Apr 2023)
DELAY_MEDIAN_DAYS = 10.0
DELAY_SIGMA = 0.8
READMISSION_30D = 0.08
DISCHARGE_DESTINATIONS = {
    "01": 0.55,
    "02": 0.20,
    "03": 0.10,
    "04": 0.08,
    "05": 0.02,
    "06": 0.03,
    "98": 0.01,
    "99": 0.01,
}

# --- Acute admissions (linked extract; placeholders) -------------------------------------------
UCR_ADMIT_2D = 0.05
UCR_ADMIT_3_30D = 0.07  # so ~12% within 30 days
#: Background admissions per person-year by age group (emergency, elective).
ACUTE_RATES = {"0-18": (0.03, 0.02), "19-64": (0.05, 0.05), "65+": (0.20, 0.10)}
#: Length of stay of an acute admission in whole days (the floor of a lognormal): (median days,
#: sigma) by admission method and age group. Emergency admissions of people 65+: median about
#: 4-5 days, mean about 9, with a long tail (The Health Foundation, "Longer hospital stays and
#: fewer admissions", 2023, from Hospital Episode Statistics: the mean stay of an emergency
#: admission was 9.1 days in 2022, 12.5 days at 85 and over); younger people's stays are shorter
#: (placeholder). Elective stays of those not day cases: a few days (placeholder).
ACUTE_STAY = {
    "emergency": {"0-18": (1.5, 1.0), "19-64": (2.5, 1.1), "65+": (5.0, 1.1)},
    "elective": {"0-18": (2.0, 0.7), "19-64": (2.5, 0.8), "65+": (3.0, 0.8)},
}
#: Share of elective admissions that are day cases, discharged the day they are admitted
#: (placeholder: Hospital Episode Statistics count most elective admissions as day cases).
ELECTIVE_DAY_CASE = 0.8
#: The longest acute stay generated, in days (the tail is cut there).
ACUTE_STAY_MAX_DAYS = 180

# --- Adult social care Client Level Data (CLD; DOMAIN.md "Adult social care CLD") --------------
# Who of the community population also appears in CLD, and with what events. Sources: DHSC's
# public code for the national CLD (DataS-DHSC/ASC-CLD-LA-Dashboard: ASCOF 2D, methodology),
# NHS England's "Reproducing ASCOF metrics from CLD: summary of main concepts" (NHS numbers
# "missing from a number of records, with completeness often varying depending on event type";
# 0.16% of event rows have no usable identifier at all) and SALT 2023-24 volumes (DOMAIN.md).
# No national NHS-number completeness or linkage rate is published (DOMAIN.md: not found), so
# the linkage-gap rates below are placeholders in the range that statement implies.

#: Chance that a community inpatient discharge of a person 65+ leads to CLD, by discharge
#: destination: home with a new care package (02, pathway 1) and a new care home placement (03,
#: pathway 3) almost always involve the council; home with no new support (01, pathway 0)
#: rarely; death or transfer to hospital never (placeholders following the pathway definitions).
CLD_AFTER_BED = {"01": 0.10, "02": 0.85, "03": 0.90, "98": 0.10, "99": 0.10}
#: Chance that an urgent community response (route: diversion from hospital services) or an
#: emergency acute admission of a person 65+ leads to CLD (placeholders).
CLD_AFTER_UCR = 0.12
CLD_AFTER_ACUTE = 0.08
#: Those chances for people 18-64 relative to 65+ (placeholder: most requests come from 65+).
CLD_ADULT_FACTOR = 0.35
#: Requests for support from new clients per community referral, which sets how many CLD-only
#: clients a provider's councils get beside its linked ones: 2.0 million requests from new
#: clients in England in 2023-24 (NHS England, Adult Social Care Activity and Finance Report,
#: England 2023-24; SALT: 2,085,720) over about 22.4 million community referrals a year
#: (CSS-MAR26: 303k + 532k + 1.03m referrals a month): about 0.093. The linked clients' share
#: follows (no public overlap figure).
CLD_REQUESTS_PER_REFERRAL = 2_085_720 / ((303_000 + 532_000 + 1_030_000) * 12)
#: Share of CLD-only clients aged 65+ (SALT 2023-24: about two thirds of requests from new
#: clients are from people 65+, approximately).
CLD_ONLY_OLDER_SHARE = 0.66
#: Request route of access of CLD-only clients (placeholder, SALT STS001 shape: most requests
#: come from the community).
CLD_ONLY_ROUTES = {
    "Community / Other route": 0.70,
    "Discharge from hospital": 0.20,
    "Diversion from hospital services": 0.04,
    "Planned entry (transition)": 0.03,
    "Self-funder": 0.02,
    "Transfer from other LA": 0.01,
}
#: Linkage gaps: share of clients never traced to an NHS number (no pseudonym on any record),
#: and extra share of request records with no NHS number (requests are recorded at first
#: contact, before tracing; completeness varies by event type, NHS England above).
CLD_UNTRACED_PERSON = 0.03
CLD_REQUEST_NO_NHS_NUMBER = 0.06
#: Request outcomes by route (placeholders): what follows a request.
CLD_REQUEST_OUTCOMES = {
    "discharge": {
        "Progress to reablement/ST-Max": 0.55,
        "Progress to assessment, review or reassessment": 0.25,
        "Progress to support planning or services": 0.05,
        "NFA: Information and advice or signposting": 0.10,
        "NFA: Support declined": 0.05,
    },
    "care_home": {
        "Progress to assessment, review or reassessment": 0.20,
        "Progress to support planning or services": 0.80,
    },
    "diversion": {
        "Progress to reablement/ST-Max": 0.35,
        "Progress to assessment, review or reassessment": 0.25,
        "NFA: Information and advice or signposting": 0.25,
        "NFA: Referral to NHS services or NHS funded social care": 0.15,
    },
    "community": {
        "Progress to reablement/ST-Max": 0.10,
        "Progress to assessment, review or reassessment": 0.35,
        "NFA: Information and advice or signposting": 0.45,
        "NFA: Other": 0.10,
    },
    "carer": {
        "Progress to support planning or services": 0.60,
        "NFA: Information and advice or signposting": 0.40,
    },
}
#: Share of CLD-only clients who are unpaid carers, supported directly (placeholder; carers are
#: CLD clients in their own right, client type "Unpaid carer").
CLD_CARER_SHARE = 0.08
#: A carer's direct support: a one-off direct payment, median pounds and lognormal sigma
#: (placeholder).
CARER_PAYMENT = (300.0, 0.4)
#: Reablement (ST-Max, component Reablement): about six weeks (free for up to six weeks under
#: the Care and Support regulations); median days, lognormal sigma, and the range kept.
REABLEMENT_MEDIAN_DAYS = 42.0
REABLEMENT_SIGMA = 0.3
REABLEMENT_DAYS_RANGE = (7, 84)
#: How reablement ends (placeholders; ASCOF 2A counts those with no further request).
REABLEMENT_OUTCOMES = {
    "NFA: Support ended as planned": 0.55,
    "Progress to assessment, review or reassessment": 0.28,
    "Admitted to hospital": 0.10,
    "NFA: Support ended for other reason": 0.07,
}
#: Long term assessment outcomes (placeholders).
ASSESSMENT_OUTCOMES = {
    "Progress to support planning or services": 0.70,
    "NFA: No services offered for other reason": 0.10,
    "NFA: Self-funded client or under 12wk disregard": 0.10,
    "NFA: Support declined": 0.10,
}
#: Long term support after an assessment (placeholders, SALT shape: most in the community).
LONG_TERM_SETTINGS = {"community": 0.85, "residential": 0.10, "nursing": 0.05}
#: Community long term support components and delivery (placeholders).
COMMUNITY_COMPONENTS = {
    "Home support or domiciliary care": 0.70,
    "Direct payment": 0.15,
    "Equipment": 0.05,
    "Extra care housing": 0.05,
    "Community supported living": 0.05,
}
COMMUNITY_DELIVERY = {
    "CASSR commissioned support": 0.80,
    "CASSR managed personal budget": 0.20,
}
#: Weekly unit costs in pounds, median and lognormal sigma (placeholders of the order of
#: published council unit costs).
WEEKLY_COST = {"community": (350.0, 0.5), "residential": (1_050.0, 0.2), "nursing": (1_200.0, 0.2)}
#: Deaths of CLD clients 65+ (placeholder annual rate; social care clients are frail).
CLD_DEATHS_PER_YEAR_65 = 0.12
CLD_DEATHS_PER_YEAR_ADULT = 0.02
#: Primary support reason by age (placeholders, SALT shape: physical support the largest).
PSR_65 = {
    "Physical support: Personal care support": 0.55,
    "Physical support: Access and mobility only": 0.10,
    "Support with memory and cognition": 0.15,
    "Mental health support": 0.05,
    "Sensory support: Support for visual impairment": 0.03,
    "Social support: Support for social isolation or other": 0.07,
    "Unknown": 0.05,
}
PSR_ADULT = {
    "Learning disability support": 0.30,
    "Mental health support": 0.25,
    "Physical support: Personal care support": 0.25,
    "Physical support: Access and mobility only": 0.05,
    "Social support: Substance misuse support": 0.05,
    "Social support: Support for social isolation or other": 0.05,
    "Unknown": 0.05,
}
#: Share of CLD clients whose ethnicity the council does not record (placeholder).
CLD_ETHNICITY_UNRECORDED = 0.06
