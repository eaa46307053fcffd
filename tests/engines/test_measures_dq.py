"""measures.md section 2, data quality, on a hand-worked fixture.

Persons with activity in December 2025 (a referral received in it):
  P1 ethnicity A (known), LSOA E01000001 (valid, IMD decile 9)
  P2 ethnicity Z (not stated), LSOA missing
  P3 ethnicity 99 (not known), LSOA E01999999 (not in the lookup: invalid)
  P4 ethnicity XX (invalid), LSOA E01012367 (valid, decile 1: Core20)
  P5 ethnicity missing, 2011 LSOA missing, 2021 LSOA E01012392 (valid 2021 code)
  P6 no activity in the period (referral in 2024)
"""

import pandas as pd
import pytest

from submission_files import make_store, person, referral
from workbench import load_store
from workbench.measures.dq import (
    clinical_area_coding,
    core20plus5_readiness,
    deprivation_quality,
    dqmi_item_scores,
    dqmi_scores,
    ethnicity_quality,
    item_quality,
    primary_diagnosis_coding,
    rejects_by_reason,
)

S, E = "2025-12-01", "2025-12-31"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, engine):
    """The fixture's store, ingested once per engine (so each builds its own facts)."""
    folder = tmp_path_factory.mktemp("dq")
    mpi = [
        person("P1", ethnic_category="A", lsoa_2011="E01000001"),
        person("P2", ethnic_category="Z", lsoa_2011=""),
        person("P3", ethnic_category="99", lsoa_2011="E01999999"),
        person("P4", ethnic_category="XX", lsoa_2011="E01012367"),
        person("P5", ethnic_category="", lsoa_2011="", lsoa_2021="E01012392"),
        person("P6"),
    ]
    referrals = [
        referral(f"R{i}", f"P{i}", referral_received_date="2025-12-10") for i in range(1, 6)
    ]
    referrals.append(referral("R6", "P6", referral_received_date="2024-01-10"))
    referrals.append(referral("R7", "P1", referral_received_date="2025-13-45"))  # rejected
    diagnoses = [
        {
            "referral_id": "R1",
            "provider_code": "RXA",
            "diagnosis_scheme": "ICD10",
            "diagnosis_code": "J44",
            "diagnosis_date": "2025-12-11",
            "primary": "1",
        },
        {
            "referral_id": "R3",
            "provider_code": "RXA",
            "diagnosis_scheme": "ICD10",
            "diagnosis_code": "M54",
            "diagnosis_date": "2025-12-11",
            "primary": "0",
        },
    ]
    path = make_store(folder, mpi=mpi, referrals=referrals, diagnoses=diagnoses)
    return path


@pytest.fixture
def store(store_path, engine):
    """Opened afresh in each test (tests/engines/conftest.py says why)."""
    return load_store(store_path, engine=engine)


def test_ethnicity_known_default_missing_invalid(store):
    row = ethnicity_quality(store, S, E).iloc[0]
    assert row["records"] == 5
    assert (row["known"], row["not_stated"], row["not_known"], row["missing"], row["invalid"]) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert row["white"] == 1
    assert row["pct_known"] == pytest.approx(20.0)
    # Wilson 95% for 1/5: 3.62% to 62.45%
    assert row["pct_known_lower"] == pytest.approx(3.62, abs=0.01)
    assert row["pct_known_upper"] == pytest.approx(62.45, abs=0.01)


def test_deprivation_valid_lsoa_in_lookup_of_its_census_year(store):
    row = deprivation_quality(store, S, E).iloc[0]
    assert (row["known"], row["missing"], row["invalid"], row["lsoa_2021_only"]) == (2, 2, 1, 1)
    assert row["quintile_1"] == 1 and row["quintile_5"] == 1


def test_item_quality_complete_valid_default_known(store):
    frame = item_quality(store, S, E).set_index(["table", "item"])
    eth = frame.loc[("mpi", "ethnic_category")]
    assert (eth["records"], eth["complete"], eth["valid"], eth["default"], eth["known"]) == (
        5,
        4,
        3,
        2,
        1,
    )
    lsoa = frame.loc[("mpi", "lsoa_2011")]
    assert (lsoa["complete"], lsoa["valid"], lsoa["known"]) == (3, 2, 2)
    refs = frame.loc[("referrals", "referral_received_date")]
    assert refs["records"] == 5  # R6 is outside the period; R7 was rejected at ingest
    assert frame.loc[("referrals", "team_type"), "known"] == 5


def test_core20plus5_readiness(store):
    row = core20plus5_readiness(store, S, E).iloc[0]
    assert (row["ethnicity_known"], row["deprivation_known"], row["both_known"]) == (1, 2, 1)
    assert row["core20"] == 1 and row["pct_core20"] == pytest.approx(50.0)
    assert row["national_pct_core20"] == 20.0
    assert row["referrals"] == 5 and row["with_primary_diagnosis"] == 1


def test_core20_catchment_share_for_icbs(store):
    frame = core20plus5_readiness(store, S, E, by="icb").set_index("icb")
    # E01012367 is in Cheshire and Merseyside (QYG)
    assert frame.loc["QYG", "core20"] == 1
    assert frame.loc["Not known", "records"] == 3  # P2, P3, P5 have no valid 2011 LSOA
    assert 0 < frame.loc["QYG", "catchment_pct_core20"] < 100


def test_primary_diagnosis_and_clinical_area_coding(store):
    coding = primary_diagnosis_coding(store, S, E).iloc[0]
    assert coding["pct_with_primary_diagnosis"] == pytest.approx(20.0)
    areas = clinical_area_coding(store, S, E).set_index("area")["referrals"]
    assert areas["Chronic respiratory disease"] == 1
    assert areas.drop("Chronic respiratory disease").sum() == 0
    assert len(areas) == 10


def test_dqmi_item_score_and_coverage(store):
    items = dqmi_item_scores(store, S, E).set_index("item")
    eth = items.loc["ethnic_category"]
    # defaults 2, threshold 5% of 5 = 0.25, excess 1.75; (valid 3 - 1.75) / 5 = 25
    assert eth["excess_defaults"] == pytest.approx(1.75)
    assert eth["item_score"] == pytest.approx(25.0)
    scores = dqmi_scores(store, S, E).set_index("provider")
    # one submission (dated 2026-01-01, covering December) of mpi and referrals, no contacts
    assert scores.loc["RXA", "coverage"] == pytest.approx(2 / 3)
    assert scores.loc["RXA", "dqmi"] == pytest.approx(scores.loc["RXA", "mean_item_score"] * 2 / 3)


def test_rejects_counted_by_reason(store):
    frame = rejects_by_reason(store)
    row = frame[frame["table"] == "referrals"].iloc[0]
    assert (row["provider"], row["column"], row["reason"], row["rows"]) == (
        "RXA",
        "referral_received_date",
        "not a date (YYYY-MM-DD)",
        1,
    )


# --- the registry: one pass, empty periods, breakdowns -----------------------------------------

EMPTY = ("2020-01-01", "2020-12-31")


def _dq_measures():
    from workbench.measures.dq import MEASURES

    return {m.name: m for m in MEASURES}


def test_dq_measures_are_declared_once_with_their_tables():
    measures = _dq_measures()
    assert set(measures) == {
        "items",
        "ethnicity",
        "deprivation",
        "core20plus5",
        "clinical_areas",
        "dqmi",
        "rejects",
        "submissions",
        "linkage_councils",
        "linkage_providers",
    }
    tables = {t.name: t for m in measures.values() for t in m.tables}
    assert tables["linkage_quality_councils"].levels == ("council", "icb", "region", "england")
    assert tables["item_quality"].levels == ("provider", "england")
    assert tables["dqmi"].levels == ("provider",)
    assert tables["submission_coverage"].levels == ("provider",)
    assert tables["ethnicity_quality_monthly"].repeat == "month"
    for m in measures.values():
        assert m.family == "dq"
        assert all(c.label for c in m.columns)


@pytest.mark.parametrize(
    "name",
    ["items", "ethnicity", "deprivation", "core20plus5", "clinical_areas", "dqmi", "rejects"],
)
def test_dq_measure_over_an_empty_period_is_an_empty_frame_with_its_columns(store, name):
    from workbench.period import Period

    measure = _dq_measures()[name]
    frame = measure.run(store, Period.of(*EMPTY), by="provider")
    assert {"provider", *(c.name for c in measure.columns)} <= set(frame.columns)
    if name != "rejects":  # rejected rows are counted whatever the period
        assert frame.empty


def test_dqmi_over_an_empty_period_does_not_raise(store):
    frame = dqmi_scores(store, *EMPTY)
    assert frame.empty
    assert list(frame.columns) == ["provider", "items", "mean_item_score", "coverage", "dqmi"]
    assert dqmi_item_scores(store, *EMPTY).empty


def test_compute_writes_every_dq_table_for_an_empty_period(store):
    from workbench.compute import compute_table
    from workbench.period import Period

    for measure in _dq_measures().values():
        for table in measure.tables:
            frame = compute_table(store, measure, table, Period.of(*EMPTY))
            assert {"level", "org_code", "breakdown"} <= set(frame.columns)


@pytest.mark.parametrize(
    "name,wrong",
    [("dqmi", "icb"), ("rejects", "month"), ("items", "sex"), ("ethnicity", "team_type")],
)
def test_run_refuses_a_breakdown_the_measure_does_not_take(store, name, wrong):
    from workbench.errors import WorkbenchError
    from workbench.period import Period

    measure = _dq_measures()[name]
    with pytest.raises(WorkbenchError) as err:
        measure.run(store, Period.of(S, E), by=wrong)
    message = str(err.value)
    assert wrong in message
    assert all(b in message for b in measure.breakdowns)


def test_persons_active_in_each_month_and_in_a_part_month_period(store):
    by_month = ethnicity_quality(store, S, E, by="month")
    assert list(by_month["month"]) == ["2025-12"] and by_month["records"].iloc[0] == 5
    # not whole months: the persons are picked by the dates of their activity
    assert ethnicity_quality(store, "2025-12-05", "2025-12-20").iloc[0]["records"] == 5
    assert ethnicity_quality(store, "2025-12-11", "2025-12-31").iloc[0]["records"] == 0
    part = deprivation_quality(store, "2025-12-05", "2025-12-20", by="month")
    assert list(part["month"]) == ["2025-12"] and part["records"].iloc[0] == 5


def test_dq_measures_at_every_level_in_one_pass_match_one_set_at_a_time(store):
    from workbench.measures.grouping_sets import split_by_set
    from workbench.period import Period

    period = Period.of(S, E)
    sets = [("provider",), ("icb",), ("region",), ()]
    for name in ("ethnicity", "deprivation", "core20plus5", "clinical_areas", "items"):
        measure = _dq_measures()[name]
        if name == "items":
            sets = [("provider",), ()]
        together = dict(split_by_set(measure.grouped(store, period, sets), sets))
        for s in sets:
            alone = measure.run(store, period, by=list(s))
            got = together[s]
            keys = [c for c in (*s, "population", "area", "table", "item") if c in alone]
            got = got[list(alone.columns)].sort_values(keys).reset_index(drop=True)
            alone = alone.sort_values(keys).reset_index(drop=True)
            pd.testing.assert_frame_equal(got, alone, check_dtype=False)


def test_item_quality_by_month_of_the_event_date(store):
    frame = item_quality(store, S, E, by="month").set_index(["table", "item"])
    refs = frame.loc[("referrals", "referral_received_date")]
    assert (refs["month"], refs["records"]) == ("2025-12", 5)
    eth = frame.loc[("mpi", "ethnic_category")]  # persons with activity in the month
    assert (eth["month"], eth["records"], eth["known"]) == ("2025-12", 5, 1)


def test_submission_coverage_lists_the_months_a_provider_did_not_submit():
    from types import SimpleNamespace

    from workbench.measures.dq.submissions import submission_coverage

    def file(table, provider, day):
        return {"table": table, "provider_code": provider, "submission_date": day}

    files = [
        file(t, "P1", d)
        for t in ("mpi", "referrals", "care_contacts")
        for d in ("2025-02-01", "2025-03-01", "2025-04-01")
    ]
    files.remove(file("care_contacts", "P1", "2025-03-01"))  # February lacks contacts
    files += [file(t, "P2", "2025-02-01") for t in ("mpi", "referrals", "care_contacts")]
    files += [file("acute_admissions", "ACUTE", "2025-02-01")]  # not a community submitter
    store = SimpleNamespace(report={"files": files})
    out = submission_coverage(store, "2025-01-01", "2025-03-31").set_index("provider")
    assert sorted(out.index) == ["P1", "P2"]
    assert out.loc["P1", "months_not_submitted"] == 1  # a file dated 1 March covers February
    assert out.loc["P1", "months_missing"] == "2025-02"
    assert out.loc["P2", "months_missing"] == "2025-02, 2025-03"
    assert out.loc["P2", "months_submitted"] == 1 and out.loc["P2", "months_expected"] == 3
