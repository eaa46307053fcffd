"""Value sets (code lists) of the extract, with the codes that mean "not known / not stated".

National code lists come from the NHS Data Dictionary as summarised in sources.md section 1.4.
Where no national list was available to the project (marked ``national=False``), the workbench
defines its own small table so the generator and the validator agree; replace it with the
national list when it is to hand: nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValueSet:
    """A code list.

    codes: every valid code, mapped to its label.
    defaults: the valid codes that mean "not known" or "not stated" (measures.md section 2,
        "default").
    national: True when the list is the national one, False when it is the project's own.
    source: where the list comes from.
    """

    name: str
    codes: dict[str, str]
    defaults: tuple[str, ...] = ()
    national: bool = True
    source: str = ""

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(c for c in self.codes if c not in self.defaults)


ETHNIC_CATEGORY = ValueSet(
    "ethnic_category",
    {
        "A": "White - British",
        "B": "White - Irish",
        "C": "White - Any other White background",
        "D": "Mixed - White and Black Caribbean",
        "E": "Mixed - White and Black African",
        "F": "Mixed - White and Asian",
        "G": "Mixed - Any other mixed background",
        "H": "Asian or Asian British - Indian",
        "J": "Asian or Asian British - Pakistani",
        "K": "Asian or Asian British - Bangladeshi",
        "L": "Asian or Asian British - Any other Asian background",
        "M": "Black or Black British - Caribbean",
        "N": "Black or Black British - African",
        "P": "Black or Black British - Any other Black background",
        "R": "Other Ethnic Groups - Chinese",
        "S": "Other Ethnic Groups - Any other ethnic group",
        "Z": "Not stated",
        "99": "Not known",
    },
    defaults=("Z", "99"),
    source="NHS Data Dictionary ETHNIC CATEGORY (2001 census); sources.md 1.4",
)

#: Broad ethnic group of each known ethnic category (measures.md section 2).
BROAD_ETHNIC_GROUP: dict[str, str] = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian"),
    **dict.fromkeys("MNP", "Black"),
    **dict.fromkeys("RS", "Other"),
}

GENDER = ValueSet(
    "gender",
    {"1": "Male", "2": "Female", "9": "Indeterminate", "X": "Not known"},
    defaults=("X",),
    source="NHS Data Dictionary PERSON STATED GENDER CODE; sources.md 1.4",
)

ATTENDANCE_STATUS = ValueSet(
    "attendance_status",
    {
        "5": "Attended on time or, if late, before the relevant care professional was ready",
        "6": "Arrived late, after the relevant care professional was ready, but was seen",
        "7": "Patient arrived late and could not be seen",
        "2": "Appointment cancelled by, or on behalf of, the patient",
        "3": "Did not attend, no advance warning given",
        "4": "Appointment cancelled or postponed by the health care provider",
    },
    source="NHS Data Dictionary ATTENDED OR DID NOT ATTEND CODE; sources.md 1.4",
)

#: Analyst grouping of attendance status (sources.md 1.4; measures.md section 5).
ATTENDED = ("5", "6")
DID_NOT_ATTEND = ("3", "7")
CANCELLED = ("2", "4")

CONSULTATION_MECHANISM = ValueSet(
    "consultation_mechanism",
    {
        "01": "Face to face",
        "02": "Telephone",
        "04": "Talk type for a person unable to speak",
        "05": "Email",
        "09": "Text message (asynchronous)",
        "10": "Instant messaging (synchronous)",
        "11": "Video consultation",
        "12": "Message board (asynchronous)",
        "13": "Chat room (synchronous)",
        "98": "Other",
    },
    source="NHS Data Dictionary CONSULTATION MECHANISM (COMMUNITY CARE); sources.md 1.4",
)

PRIORITY_TYPE = ValueSet(
    "priority_type",
    {"1": "Routine", "2": "Urgent", "3": "Two week wait"},
    source="NHS Data Dictionary PRIORITY TYPE CODE; sources.md 1.4",
)

MEASUREMENT_TYPE = ValueSet(
    "measurement_type",
    {"05": "2-hour urgent community response", "06": "2-day reablement response"},
    source="WAITING TIME MEASUREMENT TYPE (COMMUNITY CARE): only 05 and 06 confirmed (DOMAIN 1.4)",
)

SOURCE_OF_REFERRAL = ValueSet(
    "source_of_referral",
    {
        "01": "General practice",
        "02": "Self, carer or relative",
        "03": "Acute hospital",
        "04": "Ambulance service (999)",
        "05": "Social care",
        "06": "Other community health service",
        "07": "Pharmacy",
        "08": "Education service",
        "09": "Other",
        "10": "NHS 111",
        "99": "Not known",
    },
    defaults=("99",),
    national=False,
    source="project's own: SOURCE OF REFERRAL FOR COMMUNITY list not retrieved (sources.md 1.4)",
)

PRIMARY_REFERRAL_REASON = ValueSet(
    "primary_referral_reason",
    {
        "01": "Assessment",
        "02": "Treatment or intervention",
        "03": "Rehabilitation or reablement",
        "04": "Monitoring of a long-term condition",
        "05": "Urgent or crisis response",
        "06": "Developmental or health review (children)",
        "07": "Equipment",
        "08": "End of life care",
        "99": "Not known",
    },
    defaults=("99",),
    national=False,
    source="project's own: PRIMARY REASON FOR REFERRAL (COMMUNITY CARE) list not retrieved",
)

UCR_REFERRAL_REASON = ValueSet(
    "ucr_referral_reason",
    {
        "01": "Falls (without significant injury)",
        "02": "Decompensation of frailty",
        "03": "Reduced function, deconditioning or reduced mobility",
        "04": "Palliative or end-of-life crisis support",
        "05": "Urgent equipment provision",
        "06": "Confusion or delirium",
        "07": "Urgent catheter care",
        "08": "Urgent support for diabetes",
        "09": "Unpaid carer breakdown",
        "98": "Other",
        "99": "Not known",
    },
    defaults=("99",),
    national=False,
    source="project's own codes for the nine clinical conditions or needs of NHS England's "
    "2-hour urgent community response guidance, plus other and not known (sources.md 2a)",
)

REFERRAL_CLOSURE_REASON = ValueSet(
    "referral_closure_reason",
    {
        "01": "Care completed",
        "02": "Patient moved out of area",
        "03": "Patient declined care",
        "04": "Discharged after not attending",
        "05": "Patient died",
        "06": "Transferred to another service",
        "07": "Referral not appropriate (rejected)",
        "99": "Not known",
    },
    defaults=("99",),
    national=False,
    source="project's own: REFERRAL CLOSURE REASON list not retrieved",
)

ACTIVITY_LOCATION_TYPE = ValueSet(
    "activity_location_type",
    {
        "L01": "Patient's home",
        "L02": "Care home",
        "L03": "Community clinic or health centre",
        "L04": "GP practice",
        "L05": "School or nursery",
        "L06": "Community hospital",
        "L07": "Acute hospital",
        "L08": "Remote (telephone or video)",
        "L98": "Other",
    },
    national=False,
    source="project's own: ACTIVITY LOCATION TYPE CODE list not retrieved",
)

DIAGNOSIS_SCHEME = ValueSet(
    "diagnosis_scheme",
    {"SNOMED": "SNOMED CT", "ICD10": "ICD-10"},
    national=False,
    source="project's own labels for the two schemes CSDS CYP606-608 carry",
)

DISCHARGE_DESTINATION = ValueSet(
    "discharge_destination",
    {
        "01": "Usual place of residence",
        "02": "Usual place of residence with new care package",
        "03": "Care home (new placement)",
        "04": "Acute hospital",
        "05": "Hospice",
        "06": "Died",
        "98": "Other",
        "99": "Not known",
    },
    defaults=("99",),
    national=False,
    source="project's own: community inpatients are not in CSDS v1.6 (sources.md 2f)",
)

ADMISSION_METHOD = ValueSet(
    "admission_method",
    {"emergency": "Emergency admission", "elective": "Elective admission"},
    national=False,
    source="project's own two-way grouping of the acute ADMISSION METHOD",
)
