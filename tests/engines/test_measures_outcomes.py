"""measures.md section 5, outcomes, on small hand-worked fixtures ingested for real.

Each test is named after the rule of measures.md 5 it checks. Expected values are worked by
hand in the comments beside each fixture.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from submission_files import clock, contact, person, referral, write_submission
from workbench import load_store
from workbench.errors import WorkbenchError
from workbench.ingest import ingest
from workbench.measures.outcomes import (
    MEASURES,
    contact_outcomes,
    discharge_destinations,
    inequality_summary,
    inpatient_stays,
    paired_assessments,
    rate_by_group,
    rates_by_inequality_group,
    ucr_follow_on_admissions,
)
from workbench.measures.outcomes.assessments import _wilcoxon_p, wilcoxon_from_counts
from workbench.measures.outcomes.inequality import sii_across_deciles
from workbench.measures.registry import measure
from workbench.period import Period

SUBMITTED = "20260101"
#: A 2011 LSOA in each IMD 2019 decile (1 = most deprived), from the shipped lookup.
DECILE_LSOA = {
    1: "E01012367",
    2: "E01012370",
    3: "E01012368",
    4: "E01012394",
    5: "E01012398",
    6: "E01012371",
    7: "E01012372",
    8: "E01012373",
    9: "E01012374",
    10: "E01012393",
}
WILSON_2_OF_4 = (15.0039, 84.9961)  # 95% Wilson limits of 2/4, in %
WILSON_1_OF_3 = (6.1492, 79.2340)
WILSON_1_OF_4 = (4.5587, 69.9358)
WILSON_1_OF_5 = (3.6224, 62.4465)
WILSON_3_OF_5 = (23.0724, 88.2379)


def assessment(rid: str, tool: str, date: str, score: str, **kw) -> dict:
    return {
        "referral_id": rid,
        "provider_code": "RXA",
        "assessment_tool": tool,
        "score": score,
        "completion_date": date,
        **kw,
    }


def spell(sid: str, pid: str, admitted: str, discharged: str = "", ready: str = "", **kw) -> dict:
    return {
        "spell_id": sid,
        "person_id": pid,
        "provider_code": "RXA",
        "admission_date": admitted,
        "discharge_ready_date": ready,
        "discharge_date": discharged,
        "discharge_destination": "01",
        **kw,
    }


def admission(pid: str, date: str, method: str = "emergency", provider: str = "RAA") -> dict:
    return {
        "person_id": pid,
        "admission_date": date,
        "admission_method": method,
        "provider_code": provider,
    }


def build_store(folder: Path, files: dict[tuple[str, str], list[dict]]) -> Path:
    """Ingest one submission per (table, provider): the store's folder."""
    src = folder / "src"
    for (table, provider), rows in files.items():
        write_submission(src, table, provider, SUBMITTED, rows)
    ingest(src, folder / "store", progress=False)
    return folder / "store"


# Each fixture's store is ingested once per engine (module scope: each engine builds its own
# facts) and opened afresh in each test: a store opened later on the one Spark session would
# otherwise replace the tables of one opened earlier (tests/engines/conftest.py).


def pct(x: float) -> float:
    return pytest.approx(x, abs=1e-3)


# --- Scored assessments ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def assessment_store_path(tmp_path_factory, engine):
    """Q1 2025 (Jan-Mar):
    R1 Barthel (higher better) 10 (Jan 5), 12 (Feb 1), 15 (Mar 1): pair 10 -> 15, +5 improved;
       as at the end of February the pair is 10 -> 12, +2.
    R2 Barthel two rows for Feb 10 (same key: the second supersedes the first): one
       assessment, no pair.
    R3 Barthel one assessment: no pair.
    R4 PHQ-9 (lower better) 20 -> 12: +8 improved. R5 PHQ-9 10 -> 14: -4 worse.
    R6 PHQ-9 9 -> 9: unchanged (a tie).
    R7 Barthel 8 (2024-12-01) -> 6 (2025-04-15): no pair in Q1, worse in Q2.
    R8 Barthel 4 then a blank score: not completed, no pair.
    R10-R16 EQ-VAS (higher better), changes +5, +10, -3, +7, +12, +8, 0: six non-zero; the
       exact signed-rank test has W- = 1 (rank of |-3|), two-sided p = 4/64 = 0.0625;
       median change 7. R16 belongs to P2, whose ethnicity is not stated ("Not known").
    R20-R24 SDQ (lower better), five non-zero changes: no Wilcoxon p value.
    """
    refs = [referral(f"R{i}", "P1") for i in (1, 2, 3, 4, 5, 6, 7, 8)]
    refs += [referral(f"R{i}", "P1") for i in range(10, 16)] + [referral("R16", "P2")]
    refs += [referral(f"R{i}", "P1") for i in range(20, 25)]
    rows = [
        assessment("R1", "WB-BARTHEL", "2025-01-05", "10"),
        assessment("R1", "WB-BARTHEL", "2025-02-01", "12"),
        assessment("R1", "WB-BARTHEL", "2025-03-01", "15"),
        assessment("R2", "WB-BARTHEL", "2025-02-10", "5"),
        assessment("R2", "WB-BARTHEL", "2025-02-10", "8"),
        assessment("R3", "WB-BARTHEL", "2025-02-10", "5"),
        assessment("R4", "WB-PHQ9", "2025-01-10", "20"),
        assessment("R4", "WB-PHQ9", "2025-03-10", "12"),
        assessment("R5", "WB-PHQ9", "2025-01-10", "10"),
        assessment("R5", "WB-PHQ9", "2025-03-10", "14"),
        assessment("R6", "WB-PHQ9", "2025-01-10", "9"),
        assessment("R6", "WB-PHQ9", "2025-03-10", "9"),
        assessment("R7", "WB-BARTHEL", "2024-12-01", "8"),
        assessment("R7", "WB-BARTHEL", "2025-04-15", "6"),
        assessment("R8", "WB-BARTHEL", "2025-01-10", "4"),
        assessment("R8", "WB-BARTHEL", "2025-03-10", ""),
    ]
    for i, change in zip(range(10, 17), (5, 10, -3, 7, 12, 8, 0), strict=True):
        rows += [
            assessment(f"R{i}", "WB-EQVAS", "2025-01-15", "50"),
            assessment(f"R{i}", "WB-EQVAS", "2025-03-15", str(50 + change)),
        ]
    for i, change in zip(range(20, 25), (1, 2, 3, 4, 5), strict=True):
        rows += [
            assessment(f"R{i}", "WB-SDQ", "2025-01-15", "20"),
            assessment(f"R{i}", "WB-SDQ", "2025-03-15", str(20 - change)),
        ]
    people = [person("P1"), person("P2", ethnic_category="Z")]
    return build_store(
        tmp_path_factory.mktemp("assessments"),
        {("mpi", "RXA"): people, ("referrals", "RXA"): refs, ("assessments", "RXA"): rows},
    )


@pytest.fixture
def assessment_store(assessment_store_path, engine):
    return load_store(assessment_store_path, engine=engine)


def test_first_and_last_completed_assessments_on_different_dates_form_a_pair(assessment_store):
    frame = paired_assessments(assessment_store, "2025-01-01", "2025-03-31").set_index(
        "assessment_tool"
    )
    barthel = frame.loc["WB-BARTHEL"]
    # only R1: R2 (same date), R3 (one), R7 (last after the period), R8 (no score) have no pair
    assert (barthel["pairs"], barthel["improved"], barthel["unchanged"], barthel["worse"]) == (
        1,
        1,
        0,
        0,
    )
    assert barthel["median_change"] == 5  # first (10) to last (15), the middle score ignored
    assert bool(barthel["higher_is_better"])


def test_pair_is_as_at_the_end_of_the_period(assessment_store):
    feb = paired_assessments(assessment_store, "2025-02-01", "2025-02-28").set_index(
        "assessment_tool"
    )
    assert feb.loc["WB-BARTHEL", "pairs"] == 1 and feb.loc["WB-BARTHEL", "median_change"] == 2
    q2 = paired_assessments(assessment_store, "2025-04-01", "2025-06-30").set_index(
        "assessment_tool"
    )
    assert q2.loc["WB-BARTHEL", "pairs"] == 1 and q2.loc["WB-BARTHEL", "worse"] == 1  # R7


def test_change_is_read_in_the_tools_direction_lower_is_better(assessment_store):
    phq = (
        paired_assessments(assessment_store, "2025-01-01", "2025-03-31")
        .set_index("assessment_tool")
        .loc["WB-PHQ9"]
    )
    assert not bool(phq["higher_is_better"])
    assert (phq["pairs"], phq["improved"], phq["unchanged"], phq["worse"]) == (3, 1, 1, 1)
    assert phq["median_change"] == 0  # changes +8, 0, -4 in the improvement direction
    assert phq["pct_improved"] == pct(100 / 3)
    assert phq["pct_unchanged"] == pct(100 / 3) and phq["pct_worse"] == pct(100 / 3)
    assert (phq["pct_improved_lower"], phq["pct_improved_upper"]) == (
        pct(WILSON_1_OF_3[0]),
        pct(WILSON_1_OF_3[1]),
    )


def test_wilcoxon_signed_rank_test_of_the_changes(assessment_store):
    frame = paired_assessments(assessment_store, "2025-01-01", "2025-03-31").set_index(
        "assessment_tool"
    )
    eq = frame.loc["WB-EQVAS"]
    assert (eq["pairs"], eq["improved"], eq["unchanged"], eq["worse"]) == (7, 5, 1, 1)
    assert eq["nonzero_pairs"] == 6 and eq["median_change"] == 7
    assert eq["wilcoxon_p"] == pytest.approx(0.0625)  # exact: 2 * 2/64, the zero dropped
    sdq = frame.loc["WB-SDQ"]
    assert sdq["pairs"] == 5 and sdq["improved"] == 5  # lower SDQ is better
    assert math.isnan(sdq["wilcoxon_p"])  # fewer than 6 non-zero changes


def test_assessments_every_tool_has_a_row_and_empty_periods_give_zero_pairs(assessment_store):
    frame = paired_assessments(assessment_store, "2023-01-01", "2023-12-31")
    assert len(frame) == 6 and (frame["pairs"] == 0).all()
    assert frame["pct_improved"].isna().all() and frame["wilcoxon_p"].isna().all()
    by_provider = paired_assessments(assessment_store, "2023-01-01", "2023-12-31", by="provider")
    assert by_provider.empty and list(by_provider.columns[:3]) == [
        "provider",
        "assessment_tool",
        "higher_is_better",
    ]


def test_assessments_keep_not_known_rows(assessment_store):
    frame = paired_assessments(assessment_store, "2025-01-01", "2025-03-31", by="ethnic_group")
    eq = frame[frame["assessment_tool"] == "WB-EQVAS"].set_index("ethnic_group")
    assert eq.loc["Not known", "pairs"] == 1 and eq.loc["White", "pairs"] == 6


# --- Contacts --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contact_store_path(tmp_path_factory, engine):
    """January 2025: statuses 5, 6 (attended), 3, 7 (DNA), 2, 4 (cancelled), blank and 8
    (other) for R1 (P1, White); a DNA in February for R2 (P2, ethnicity 99 = Not known); one
    attended contact in December 2024, outside the period.
    January: 8 contacts; DNA rate 2 / (2 + 2) = 50%, Wilson 15.00% to 85.00%.
    February: 1 contact, 1 DNA: 100%. January-February: 3 / 5 = 60%.
    """
    statuses = ["5", "6", "3", "7", "2", "4", "", "8"]
    contacts = [
        contact(f"C{i}", "R1", contact_date="2025-01-15", attendance_status=s)
        for i, s in enumerate(statuses)
    ]
    contacts += [
        contact("CF", "R2", contact_date="2025-02-03", attendance_status="3"),
        contact("CD", "R1", contact_date="2024-12-31", attendance_status="5"),
    ]
    return build_store(
        tmp_path_factory.mktemp("contacts"),
        {
            ("mpi", "RXA"): [person("P1"), person("P2", ethnic_category="99")],
            ("referrals", "RXA"): [referral("R1", "P1"), referral("R2", "P2")],
            ("care_contacts", "RXA"): contacts,
        },
    )


@pytest.fixture
def contact_store(contact_store_path, engine):
    return load_store(contact_store_path, engine=engine)


def test_contacts_attended_did_not_attend_and_cancelled(contact_store):
    row = contact_outcomes(contact_store, "2025-01-01", "2025-01-31").iloc[0]
    assert (row["contacts"], row["attended"], row["dna"], row["cancelled"]) == (8, 2, 2, 2)
    assert row["other_status"] == 2  # blank and the invalid code 8


def test_dna_rate_is_dnas_over_attended_plus_dnas(contact_store):
    row = contact_outcomes(contact_store, "2025-01-01", "2025-01-31").iloc[0]
    assert row["attended_or_dna"] == 4
    assert row["dna_rate"] == 50
    assert (row["dna_rate_lower"], row["dna_rate_upper"]) == (
        pct(WILSON_2_OF_4[0]),
        pct(WILSON_2_OF_4[1]),
    )


def test_contacts_by_month_of_contact_and_not_known_rows_kept(contact_store):
    by_month = contact_outcomes(contact_store, "2025-01-01", "2025-02-28", by="month")
    assert list(by_month["month"]) == ["2025-01", "2025-02"]
    assert list(by_month["dna_rate"]) == [50, 100]
    by_eth = contact_outcomes(contact_store, "2025-01-01", "2025-02-28", by="ethnic_group")
    by_eth = by_eth.set_index("ethnic_group")
    assert by_eth.loc["Not known", "dna"] == 1 and by_eth.loc["White", "contacts"] == 8


def test_contacts_empty_period_gives_zero_and_no_rate(contact_store):
    row = contact_outcomes(contact_store, "2023-01-01", "2023-01-31").iloc[0]
    assert row["contacts"] == 0 and math.isnan(row["dna_rate"])
    assert contact_outcomes(contact_store, "2023-01-01", "2023-01-31", by="month").empty


def test_unknown_breakdown_is_an_error(contact_store):
    with pytest.raises(WorkbenchError, match="unknown breakdown"):
        contact_outcomes(contact_store, "2025-01-01", "2025-01-31", by="colour")


# --- Community inpatient spells --------------------------------------------------------------


@pytest.fixture(scope="module")
def spell_store_path(tmp_path_factory, engine):
    """Spells discharged in January 2025 at RXA:
    S1 P1 admitted 2024-12-20, ready Jan 5, discharged Jan 10: LOS 21, delay 5. P1's S2 is
       admitted Feb 9, exactly 30 days after: S1 is readmitted.
    S3 P2 admitted Jan 2, ready Jan 12 (after discharge), discharged Jan 11: LOS 9, no delay,
       not in the on-the-day-ready share. P2's S4 is admitted Feb 11, 31 days after: not a
       readmission.
    S5 P3 admitted Jan 3, ready and discharged Jan 15: LOS 12, discharged on the day ready.
       P3's next spell S6 is at another provider (RYB) on Jan 20: not a readmission here.
    S7 P4 (age 45) admitted Jan 5, no ready date, discharged Jan 20, died: LOS 15; not in the
       readmission denominator.
    S8 P5 (sex not known) admitted Jan 10, ready Jan 12, discharged Jan 25, destination blank:
       LOS 15, delay 13.
    LOS 21, 9, 12, 15, 15: median 15, mean 14.4. Valid ready dates 3 (S1, S5, S8); delayed 2;
    bed days lost 18; on the day ready 1 of 3. Readmitted 1 of 4 discharged alive.
    """
    people = [
        person("P1", lsoa_2011=DECILE_LSOA[1]),
        person("P2"),
        person("P3"),
        person("P4", age_years="45"),
        person("P5", gender="X", lsoa_2011=""),
    ]
    spells = [
        spell("S1", "P1", "2024-12-20", "2025-01-10", "2025-01-05"),
        spell("S2", "P1", "2025-02-09", "2025-02-20"),
        spell("S3", "P2", "2025-01-02", "2025-01-11", "2025-01-12"),
        spell("S4", "P2", "2025-02-11"),
        spell("S5", "P3", "2025-01-03", "2025-01-15", "2025-01-15", discharge_destination="02"),
        spell("S7", "P4", "2025-01-05", "2025-01-20", discharge_destination="06"),
        spell("S8", "P5", "2025-01-10", "2025-01-25", "2025-01-12", discharge_destination=""),
    ]
    other = [spell("S6", "P3", "2025-01-20", "2025-02-05", provider_code="RYB")]
    return build_store(
        tmp_path_factory.mktemp("spells"),
        {
            ("mpi", "RXA"): people,
            ("inpatient_spells", "RXA"): spells,
            ("mpi", "RYB"): [person("P3", provider_code="RYB")],
            ("inpatient_spells", "RYB"): other,
        },
    )


@pytest.fixture
def spell_store(spell_store_path, engine):
    return load_store(spell_store_path, engine=engine)


def test_length_of_stay_is_discharge_minus_admission(spell_store):
    row = inpatient_stays(spell_store, "2025-01-01", "2025-01-31", by="provider").iloc[0]
    assert row["provider"] == "RXA" and row["spells"] == 5
    assert row["median_los_days"] == 15 and row["mean_los_days"] == pytest.approx(14.4)
    assert row["los_not_known"] == 0


def test_delay_when_ready_date_present_and_not_after_discharge(spell_store):
    row = inpatient_stays(spell_store, "2025-01-01", "2025-01-31", by="provider").iloc[0]
    assert row["spells_with_ready_date"] == 3  # S3's ready date is after its discharge
    assert row["ready_after_discharge"] == 1
    assert row["delayed"] == 2 and row["median_delay_days"] == 9 and row["mean_delay_days"] == 9


def test_bed_days_lost_to_delay(spell_store):
    row = inpatient_stays(spell_store, "2025-01-01", "2025-01-31", by="provider").iloc[0]
    assert row["bed_days_lost"] == 18  # 5 (S1) + 13 (S8)


def test_pct_discharged_on_the_day_ready(spell_store):
    row = inpatient_stays(spell_store, "2025-01-01", "2025-01-31", by="provider").iloc[0]
    assert row["discharged_on_day_ready"] == 1  # S5
    assert row["pct_discharged_on_day_ready"] == pct(100 / 3)
    assert row["pct_discharged_on_day_ready_lower"] == pct(WILSON_1_OF_3[0])


def test_readmission_to_a_community_bed_within_30_days(spell_store):
    row = inpatient_stays(spell_store, "2025-01-01", "2025-01-31", by="provider").iloc[0]
    # S1 -> S2 at exactly 30 days counts; S3 -> S4 at 31 days and S5 -> S6 at RYB do not
    assert row["died"] == 1 and row["discharged_alive"] == 4
    assert row["readmitted_30_days"] == 1 and row["readmission_rate"] == 25
    assert (row["readmission_rate_lower"], row["readmission_rate_upper"]) == (
        pct(WILSON_1_OF_4[0]),
        pct(WILSON_1_OF_4[1]),
    )


def test_inpatient_breakdowns_are_the_persons_and_not_known_rows_kept(spell_store):
    by = ["sex", "age_group", "team_type", "imd_decile"]
    frame = inpatient_stays(spell_store, "2025-01-01", "2025-01-31", by=by)
    assert frame["spells"].sum() == 5  # S6 at RYB is discharged in February
    assert set(frame["team_type"]) == {"Not known"}  # spells have no service line
    rows = {tuple(r[by]): r["spells"] for _, r in frame.iterrows()}
    assert rows[("Not known", "65+", "Not known", "Not known")] == 1  # S8: P5 sex X, no LSOA
    assert rows[("Female", "19-64", "Not known", "9")] == 1  # S7: P4 aged 45
    assert rows[("Female", "65+", "Not known", "1")] == 1  # S1: P1 in decile 1
    assert rows[("Female", "65+", "Not known", "9")] == 2  # S3, S5
    by_decile = inpatient_stays(spell_store, "2025-01-01", "2025-01-31", by="imd_decile")
    assert list(by_decile["imd_decile"]) == ["1", "9", "Not known"]  # numeric, Not known last


def test_discharge_destination_shares(spell_store):
    frame = discharge_destinations(spell_store, "2025-01-01", "2025-01-31", by="provider")
    rxa = frame[frame["provider"] == "RXA"].set_index("discharge_destination")
    assert rxa["spells"].to_dict() == {"01": 2, "02": 1, "06": 1, "Not known": 1}
    assert (rxa["group_spells"] == 5).all()
    assert rxa.loc["01", "pct_spells"] == 40
    assert rxa.loc["06", "destination_label"] == "Died"
    assert rxa.loc["Not known", "destination_label"] == "Missing or invalid code"


def test_inpatients_empty_period(spell_store):
    row = inpatient_stays(spell_store, "2023-01-01", "2023-01-31").iloc[0]
    assert row["spells"] == 0 and row["bed_days_lost"] == 0
    assert math.isnan(row["median_los_days"]) and math.isnan(row["readmission_rate"])
    assert discharge_destinations(spell_store, "2023-01-01", "2023-01-31").empty
    assert inpatient_stays(spell_store, "2023-01-01", "2023-01-31", by="sex").empty


# --- UCR follow-on ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ucr_store_path(tmp_path_factory, engine):
    """In-scope clocks starting 2025-01-10: U1 (Q1), U2 (Q2), U3 (Q3), U4 (Q4), U6 (Q5); U5
    (Q4) has no end time and is out of scope. Emergency admissions at acute provider RAA:
    Q1 on Jan 12 (day 2) and Jan 20 (day 10): counts once, within 2 and 30 days;
    Q2 on Jan 13 (day 3): within 30 days only;
    Q3 elective on Jan 11 and emergency on Jan 9 (day -1): neither counts;
    Q4 on Feb 9 (day 30): within 30 days; Q5 on Feb 10 (day 31): no.
    Within 2 days 1 of 5 (20%), within 30 days 3 of 5 (60%).
    """
    pids = {"U1": "Q1", "U2": "Q2", "U3": "Q3", "U4": "Q4", "U5": "Q4", "U6": "Q5"}
    refs = [referral(rid, pid, team_type="A28") for rid, pid in pids.items()]
    clocks = [clock(rid) for rid in pids if rid != "U5"] + [clock("U5", clock_end_time="")]
    acute = [
        admission("Q1", "2025-01-12"),
        admission("Q1", "2025-01-20"),
        admission("Q2", "2025-01-13"),
        admission("Q3", "2025-01-11", method="elective"),
        admission("Q3", "2025-01-09"),
        admission("Q4", "2025-02-09"),
        admission("Q5", "2025-02-10"),
    ]
    people = [person(p) for p in sorted(set(pids.values()))]
    return build_store(
        tmp_path_factory.mktemp("ucr_follow_on"),
        {
            ("mpi", "RXA"): people,
            ("referrals", "RXA"): refs,
            ("rtt_clocks", "RXA"): clocks,
            ("acute_admissions", "RAA"): acute,
        },
    )


@pytest.fixture
def ucr_store(ucr_store_path, engine):
    return load_store(ucr_store_path, engine=engine)


def test_ucr_followed_by_emergency_admission_within_2_and_30_days(ucr_store):
    row = ucr_follow_on_admissions(ucr_store, "2025-01-01", "2025-01-31").iloc[0]
    assert row["clocks"] == 5  # U5 is out of scope
    assert row["admitted_2_days"] == 1  # U1 (day 2); U2's day 3 is too late
    assert row["admitted_30_days"] == 3  # U1 once despite two admissions, U2, U4 (day 30)
    assert row["pct_admitted_2_days"] == 20 and row["pct_admitted_30_days"] == 60
    assert (row["pct_admitted_2_days_lower"], row["pct_admitted_2_days_upper"]) == (
        pct(WILSON_1_OF_5[0]),
        pct(WILSON_1_OF_5[1]),
    )
    assert row["pct_admitted_30_days_lower"] == pct(WILSON_3_OF_5[0])


def test_ucr_follow_on_by_month_and_empty_period(ucr_store):
    frame = ucr_follow_on_admissions(ucr_store, "2025-01-01", "2025-02-28", by="month,team_type")
    assert frame[["month", "team_type", "clocks"]].values.tolist() == [["2025-01", "A28", 5]]
    empty = ucr_follow_on_admissions(ucr_store, "2023-01-01", "2023-01-31").iloc[0]
    assert empty["clocks"] == 0 and math.isnan(empty["pct_admitted_30_days"])


# --- Inequality ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inequality_store_path(tmp_path_factory, engine):
    """Person Dd lives in IMD decile d and has 20 attended-or-missed contacts, 11 - d of them
    DNAs: DNA rate 5 (11 - d) %, from 50% in decile 1 to 5% in decile 10. DX has no LSOA and
    4 contacts, 1 DNA. Equal denominators put decile d at relative rank x = (d - 0.5) / 10, and
    the rate is exactly 52.5 - 50 x: SII = -50 percentage points, RII = 2.5 / 52.5.
    """
    people = [person(f"D{d}", lsoa_2011=lsoa) for d, lsoa in DECILE_LSOA.items()]
    people.append(person("DX", lsoa_2011="", ethnic_category="M"))
    refs = [referral(f"R{d}", f"D{d}") for d in DECILE_LSOA] + [referral("RX", "DX")]
    contacts = []
    for d in DECILE_LSOA:
        for i in range(20):
            status = "3" if i < 11 - d else "5"
            contacts.append(contact(f"C{d}-{i}", f"R{d}", attendance_status=status))
    for i in range(4):
        contacts.append(contact(f"CX-{i}", "RX", attendance_status="3" if i == 0 else "5"))
    return build_store(
        tmp_path_factory.mktemp("inequality"),
        {("mpi", "RXA"): people, ("referrals", "RXA"): refs, ("care_contacts", "RXA"): contacts},
    )


@pytest.fixture
def inequality_store(inequality_store_path, engine):
    return load_store(inequality_store_path, engine=engine)


def test_each_rate_by_imd_decile_quintile_and_ethnic_group(inequality_store):
    frame = rates_by_inequality_group(
        inequality_store, "2025-01-01", "2025-01-31", measures=["dna_rate"]
    )
    deciles = frame[frame["grouping"] == "imd_decile"]
    assert list(deciles["group"]) == [*[str(d) for d in range(1, 11)], "Not known"]
    assert list(deciles["numerator"][:10]) == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert deciles.iloc[0]["rate"] == 50 and deciles.iloc[-1]["rate"] == 25  # Not known: 1/4
    quintiles = frame[frame["grouping"] == "imd_quintile"].set_index("group")
    assert quintiles.loc["1", "numerator"] == 19 and quintiles.loc["1", "denominator"] == 40
    assert quintiles.loc["Not known", "denominator"] == 4
    ethnic = frame[frame["grouping"] == "ethnic_group"].set_index("group")
    assert ethnic.loc["White", "denominator"] == 200 and ethnic.loc["Black", "numerator"] == 1
    assert (frame["rate_lower"] <= frame["rate"]).all()
    assert (frame["rate"] <= frame["rate_upper"]).all()


def test_slope_and_relative_index_of_inequality_across_deciles(inequality_store):
    row = inequality_summary(
        inequality_store, "2025-01-01", "2025-01-31", measures=["dna_rate"]
    ).iloc[0]
    assert row["sii"] == pytest.approx(-50) and row["rii"] == pytest.approx(2.5 / 52.5)
    assert row["sii_lower"] < row["sii"] < row["sii_upper"] < 0
    assert row["ci_method"] == "simulation"
    assert row["deciles_used"] == 10 and row["denominator_used"] == 200
    # "Not known" is kept in the tables but left out of the regression, and counted
    assert (row["excluded_not_known"], row["excluded_numerator"]) == (4, 1)
    assert (row["numerator"], row["denominator"]) == (56, 204)


def test_sii_needs_five_deciles(ucr_store):
    row = inequality_summary(
        ucr_store, "2025-01-01", "2025-01-31", measures=["pct_ucr_admitted_30_days"]
    ).iloc[0]
    assert row["deciles_used"] == 1 and math.isnan(row["sii"])  # everyone in decile 9
    few = pd.DataFrame(
        {"imd_decile": ["1", "2", "3"], "numerator": [1, 2, 3], "denominator": [10, 10, 0]}
    )
    few = rate_by_group(few, "numerator", "denominator", "imd_decile")
    assert sii_across_deciles(few)["deciles_used"] == 2


def test_rate_by_group_pools_rows_of_a_group():
    counts = pd.DataFrame(
        {
            "ethnic_group": ["White", "White", "Not known"],
            "assessment_tool": ["WB-PHQ9", "WB-SDQ", "WB-SDQ"],
            "improved": [1, 1, 0],
            "pairs": [2, 2, 0],
        }
    )
    frame = rate_by_group(counts, "improved", "pairs", "ethnic_group").set_index("ethnic_group")
    assert frame.loc["White", "rate"] == 50
    assert frame.loc["White", "rate_lower"] == pct(WILSON_2_OF_4[0])
    assert frame.loc["Not known", "denominator"] == 0
    assert math.isnan(frame.loc["Not known", "rate"])


# --- One pass over the facts, and the registry -----------------------------------------------


def test_contacts_in_a_period_that_cuts_months_count_only_its_days(contact_store):
    # January 15 (8 contacts), February 3 (1) and December 31 (1): the fact counts whole months,
    # the days of a month the period covers in part are counted from the contacts
    def contacts(start, end):
        return int(contact_outcomes(contact_store, start, end).iloc[0]["contacts"])

    assert contacts("2025-01-10", "2025-02-02") == 8
    assert contacts("2024-12-31", "2025-02-03") == 10
    assert contacts("2025-01-16", "2025-02-28") == 1  # part of January, February whole
    assert contacts("2025-01-15", "2025-01-15") == 8
    assert contacts("2025-02-04", "2025-02-28") == 0


def test_outcome_measures_take_the_service_breakdown(contact_store):
    frame = contact_outcomes(contact_store, "2025-01-01", "2025-02-28", by="service")
    assert frame[["service", "contacts"]].values.tolist() == [["Adult", 9]]  # team type A07


def test_outcome_measures_are_declared_with_their_compute_tables():
    assert [m.name for m in MEASURES] == [
        "assessments",
        "contacts",
        "inpatients",
        "destinations",
        "follow_on",
        "inequality_rates",
        "inequality",
    ]
    tables = {t.name: (m.name, t) for m in MEASURES for t in m.tables}
    assert tables["inequality"][1].levels == ("england",)
    assert tables["inequality_rates"][1].levels == ("england",)
    assert tables["contact_outcomes"][1].extras[0] == ("month",)
    assert ("team_type",) not in tables["paired_assessments"][1].extras
    for m in MEASURES:
        assert all(c.label for c in m.columns) and m.family == "outcomes"
        assert measure("outcomes", m.name) is m


@pytest.mark.parametrize("name", [m.name for m in MEASURES])
def test_each_outcome_measure_over_an_empty_period_gives_its_documented_columns(
    contact_store, name
):
    m = measure("outcomes", name)
    empty = Period.of("2023-01-01", "2023-01-31")
    by = ["provider"] if m.breakdowns else []
    frame = m.run(contact_store, empty, by)
    assert list(frame.columns) == list(m.empty(by).columns)
    if by:
        assert frame.empty
    if name == "inequality":  # one row per rate, with nothing counted
        assert (frame["denominator"] == 0).all() and frame["sii"].isna().all()
    if name == "inequality_rates":  # only groups with records appear
        assert frame.empty


@pytest.mark.parametrize("name", ["inequality", "inequality_rates"])
def test_measure_run_refuses_a_breakdown_the_measure_does_not_take(contact_store, name):
    m = measure("outcomes", name)
    with pytest.raises(WorkbenchError, match="takes: none"):
        m.run(contact_store, Period.of("2025-01-01", "2025-01-31"), "provider")


def test_assessments_run_refuses_an_unknown_breakdown_listing_the_breakdowns(contact_store):
    with pytest.raises(WorkbenchError, match="unknown breakdown colour; choose from: provider"):
        measure("outcomes", "assessments").run(
            contact_store, Period.of("2025-01-01", "2025-01-31"), "colour"
        )


def test_wilcoxon_from_counts_of_each_change_equals_the_test_on_the_changes():
    rng = np.random.default_rng(9)
    group, change, pairs, expected = [], [], [], []
    for g in range(120):
        size = int(rng.integers(0, 70))
        if g % 3 == 0:  # untied absolute changes: the exact distribution when 50 or fewer
            values = rng.permutation(np.arange(1, size + 1)) * rng.choice([-1, 1], size=size)
        else:
            values = rng.integers(-6, 9, size=size)
        values = values.astype("float64")
        expected.append(_wilcoxon_p(values))
        codes, counts = np.unique(values[values != 0], return_counts=True)
        group += [g] * len(codes)
        change += list(codes)
        pairs += list(counts)
    got = wilcoxon_from_counts(
        np.array(group), np.array(change), np.array(pairs, dtype="float64"), 120
    )
    np.testing.assert_allclose(got, np.array(expected), rtol=0, atol=1e-12, equal_nan=True)
