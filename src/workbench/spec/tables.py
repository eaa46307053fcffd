"""The eight tables of an extract, named after their CSDS counterparts (sources.md section 1).

Column names are snake_case. Every table carries ``provider_code`` (CSDS ``OrgID_Provider``):
record identifiers are only unique within a provider (sources.md 1.1), so the provider is part
of every key. Pseudonymised extracts carry ages, LSOAs and postcode districts, never dates of
birth or postcodes (sources.md 1.3).
"""

from __future__ import annotations

from workbench.spec.model import Column, Parent, Table

ORG_CODE = r"^[A-Z0-9]{3,6}$"


def _provider() -> Column:
    return Column(
        "provider_code",
        "string",
        "mandatory",
        pattern=ORG_CODE,
        csds="OrgID_Provider",
        description="ODS code of the submitting provider",
    )


MPI = Table(
    name="mpi",
    csds="CYP001",
    description="Master patient index: one row per person per provider",
    population="persons",
    key=("provider_code", "person_id"),
    columns=(
        Column(
            "person_id",
            "string",
            "mandatory",
            csds="Person_ID",
            description="Pseudonymised person identifier",
        ),
        _provider(),
        Column(
            "age_years",
            "int",
            minimum=0,
            maximum=120,
            csds="AgeYr_RP_EndDate",
            description="Age in whole years at the end of the reporting period",
        ),
        Column("gender", "code", value_set="gender", csds="Gender"),
        Column("ethnic_category", "code", value_set="ethnic_category", csds="EthnicCategory"),
        Column(
            "lsoa_2011",
            "code",
            value_set="lsoa11",
            csds="LSOA (Census_Year 2011)",
            description="Lower layer super output area of residence, 2011 census",
        ),
        Column(
            "lsoa_2021",
            "code",
            "optional",
            value_set="lsoa21",
            csds="LOWER SUPER OUTPUT AREA (RESIDENCE)",
            description="Lower layer super output area of residence, 2021 census",
        ),
        Column(
            "postcode_district",
            "string",
            pattern=r"^[A-Z]{1,2}[0-9][A-Z0-9]?$",
            csds="Postcode_District",
        ),
        Column("gp_practice_code", "string", pattern=r"^[A-Z][0-9]{5}$", csds="OrgID_GP"),
    ),
)

REFERRALS = Table(
    name="referrals",
    csds="CYP101 + CYP102",
    description="Referrals (service requests) with the team type referred to and their closure",
    population="referrals",
    event_date="referral_received_date",
    key=("provider_code", "referral_id"),
    parent=Parent("mpi", ("provider_code", "person_id")),
    columns=(
        Column("referral_id", "string", "mandatory", csds="ServiceRequestID"),
        Column("person_id", "string", "mandatory", csds="Person_ID"),
        _provider(),
        Column("referral_received_date", "date", csds="ReferralRequest_ReceivedDate"),
        Column("referral_received_time", "time", csds="ReferralRequest_ReceivedTime"),
        Column(
            "source_of_referral", "code", value_set="source_of_referral", csds="SourceOfReferral"
        ),
        Column("priority_type", "code", value_set="priority_type", csds="Priority_Type"),
        Column(
            "primary_referral_reason",
            "code",
            value_set="primary_referral_reason",
            csds="PrimaryReferralReason",
        ),
        Column(
            "ucr_referral_reason",
            "code",
            "optional",
            value_set="ucr_referral_reason",
            csds="(2-hour UCR clinical condition or need)",
            description="Urgent community response referrals only: the clinical condition or "
            "need of the national 2-hour guidance (sources.md 2a); empty for other referrals",
        ),
        Column(
            "team_type",
            "code",
            value_set="team_type",
            csds="TeamType",
            description="Service line referred to (project's own codes)",
        ),
        Column(
            "age_at_referral", "int", minimum=0, maximum=120, csds="AgeYr_Referral_ReceivedDate"
        ),
        Column("referral_closure_date", "date", "optional", csds="Referral_ClosureDate"),
        Column(
            "referral_closure_reason",
            "code",
            "optional",
            value_set="referral_closure_reason",
            csds="Referral_ClosureReason",
        ),
        Column("referral_rejection_date", "date", "optional", csds="Referral_RejectionDate"),
        Column("service_discharge_date", "date", "optional", csds="Discharge_Date"),
    ),
)

RTT_CLOCKS = Table(
    name="rtt_clocks",
    csds="CYP104",
    description="Referral to treatment and response-time clocks; '05' is the 2-hour UCR clock",
    population="clocks",
    event_date="clock_start_date",
    key=("provider_code", "referral_id", "measurement_type"),
    parent=Parent("referrals", ("provider_code", "referral_id")),
    columns=(
        Column("referral_id", "string", "mandatory", csds="ServiceRequestID"),
        _provider(),
        Column(
            "measurement_type",
            "code",
            "mandatory",
            value_set="measurement_type",
            csds="WaitingTime_MeasurementType",
        ),
        Column("clock_start_date", "date", csds="RTT_StartDate"),
        Column("clock_start_time", "time", csds="RTT_StartTime"),
        Column("clock_end_date", "date", csds="RTT_EndDate"),
        Column("clock_end_time", "time", csds="RTT_EndTime"),
    ),
)

CARE_CONTACTS = Table(
    name="care_contacts",
    csds="CYP201",
    description="Care contacts (appointments) with every attendance outcome",
    population="contacts",
    event_date="contact_date",
    key=("provider_code", "contact_id"),
    parent=Parent("referrals", ("provider_code", "referral_id")),
    columns=(
        Column("contact_id", "string", "mandatory", csds="CareContactID"),
        Column("referral_id", "string", "mandatory", csds="ServiceRequestID"),
        _provider(),
        Column("contact_date", "date", csds="Contact_Date"),
        Column("contact_time", "time", csds="Contact_Time"),
        Column("attendance_status", "code", value_set="attendance_status", csds="AttendanceStatus"),
        Column(
            "consultation_mechanism",
            "code",
            value_set="consultation_mechanism",
            csds="ConsMechanism",
        ),
        Column(
            "contact_duration_minutes", "int", minimum=0, maximum=1440, csds="CareContact_Duration"
        ),
        Column(
            "activity_location_type",
            "code",
            value_set="activity_location_type",
            csds="Activity_LocationType",
        ),
    ),
)

DIAGNOSES = Table(
    name="diagnoses",
    csds="CYP606-CYP608",
    description="Provisional, primary and secondary diagnoses recorded against a referral",
    population="diagnoses",
    event_date="diagnosis_date",
    key=("provider_code", "referral_id", "diagnosis_scheme", "diagnosis_code"),
    parent=Parent("referrals", ("provider_code", "referral_id")),
    columns=(
        Column("referral_id", "string", "mandatory", csds="ServiceRequestID"),
        _provider(),
        Column("diagnosis_scheme", "code", "mandatory", value_set="diagnosis_scheme"),
        Column(
            "diagnosis_code",
            "string",
            "mandatory",
            pattern=r"^([A-Z][0-9]{2}(\.?[0-9A-Z]{1,4})?|[0-9]{6,18})$",
            csds="PrimDiag / SecDiag / ProvDiag",
        ),
        Column("diagnosis_date", "date", csds="CodedDiagDate"),
        Column(
            "primary",
            "int",
            minimum=0,
            maximum=1,
            description="1 for the primary diagnosis (CYP607), 0 otherwise",
        ),
    ),
)

ASSESSMENTS = Table(
    name="assessments",
    csds="CYP609 / CYP612",
    description="Coded scored assessments completed during a referral",
    population="assessments",
    event_date="completion_date",
    key=("provider_code", "referral_id", "assessment_tool", "completion_date"),
    parent=Parent("referrals", ("provider_code", "referral_id")),
    columns=(
        Column("referral_id", "string", "mandatory", csds="ServiceRequestID"),
        _provider(),
        Column(
            "assessment_tool", "code", "mandatory", value_set="assessment_tool", csds="SNOMED_ID"
        ),
        Column("score", "float", csds="Score"),
        Column("completion_date", "date", "mandatory", csds="AssessmentCompletion_Date"),
    ),
)

INPATIENT_SPELLS = Table(
    name="inpatient_spells",
    csds="(daily flow, not in CSDS)",
    description="Community inpatient spells from the daily flow (not part of CSDS v1.6)",
    population="spells",
    event_date="admission_date",
    key=("provider_code", "spell_id"),
    parent=Parent("mpi", ("provider_code", "person_id")),
    columns=(
        Column("spell_id", "string", "mandatory"),
        Column("person_id", "string", "mandatory", csds="Person_ID"),
        _provider(),
        Column("admission_date", "date"),
        Column(
            "discharge_ready_date",
            "date",
            "optional",
            description="Date the person no longer met the criteria to reside",
        ),
        Column("discharge_date", "date", "optional"),
        Column("discharge_destination", "code", "optional", value_set="discharge_destination"),
    ),
)

ACUTE_ADMISSIONS = Table(
    name="acute_admissions",
    csds="(linked acute extract)",
    description="Acute hospital admissions linked on the pseudonymised person identifier",
    population="admissions",
    event_date="admission_date",
    key=("provider_code", "person_id", "admission_date"),
    columns=(
        Column("person_id", "string", "mandatory", csds="Person_ID"),
        Column("admission_date", "date", "mandatory"),
        Column("admission_method", "code", value_set="admission_method"),
        Column(
            "discharge_date",
            "date",
            "optional",
            description="Date the person left the acute hospital; empty while still admitted",
        ),
        Column(
            "provider_code",
            "string",
            "mandatory",
            pattern=ORG_CODE,
            description="ODS code of the acute provider",
        ),
    ),
)

#: Every table, parents before children (the order ingest resolves them in).
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        MPI,
        REFERRALS,
        RTT_CLOCKS,
        CARE_CONTACTS,
        DIAGNOSES,
        ASSESSMENTS,
        INPATIENT_SPELLS,
        ACUTE_ADMISSIONS,
    )
}
