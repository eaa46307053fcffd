"""measures.md section 9, linked pathways, on a small hand-made store ingested for real
(tests/engines/linked_store.py), on DuckDB and on Spark.

The store, worked by hand (period H1 2025 unless a test says otherwise; council E08000001):

* UCR clocks (RXA) start 2025-01-10 for A to E; R6 (F) has no end: not in scope.
  A: request day 2, emergency admission day 5 -> request first (7 and 30 days).
  B: emergency admission and request on day 0 -> the admission comes first.
  C: request day 15 -> neither in 7, request in 30. D: emergency admission day 69 -> neither.
  E: emergency admission day 8 -> neither in 7, admission in 30.
* Community bed discharges 2025-02-01: S1 A, S2 B, S3 C, S4 D (destination 06, died), S5 E,
  S6 F. First CLD service (not unpaid carer) from day -7 to 90: A day 2 (RA1 and EQUIP-A),
  B day -4 (LTC-B) read as 0, C day 3 (RC1; CARER-C on day 4 is unpaid carer support), E day 9,
  F none (LTC-F ended 2024; CARER-F on day 28 is unpaid carer support).
* Reablement episodes (ST-Max, component Reablement): A RA1 (02-03 to 02-20) and RA2 (02-25,
  5 days after) merge into one; B RB1 (02-01 to 02-10) and RB2 (02-18, 8 days after) stay two;
  C RC1 (02-04, open; born February 1960: 65 on the first day of February 2025); D RD1
  (02-10); E RE1 (02-10, aged 55); RX1 (no pseudonym, aged 85). EQUIP-A (component Equipment)
  is no reablement.
  Links (discharge -7 to +3 days of the start; the latest; on a tie acute): A to the acute
  discharge of 02-01 (tied with S1); B's first to S2; C to S3 (day -3); D to the acute discharge
  of 02-13 (day +3; S4 on day -9 is outside); RB2, RE1 and RX1 link to none.
  Follow-up from the linked discharge: A none; B long-term nursing care day 59; C died
  2025-04-30, day 88 (at home for 84 days, not for 91); D emergency admission day 35.
* Acute discharges: A 02-01 -> reablement day 2; B 03-25 -> long-term nursing day 7;
  C 04-20 -> died day 10; D 02-13 -> emergency admission day 35: home.
"""

from __future__ import annotations

import pandas as pd
import pytest
from linked_store import (
    LA,
    LT_COMMUNITY,
    SUBMITTED,
    A,
    B,
    C,
    D,
    E,
    F,
    build_linked_store,
    cld,
    spell,
)

from submission_files import person, write_rows, write_submission
from workbench import load_store
from workbench.facts import fact_table
from workbench.ingest import ingest
from workbench.measures.dq import linkage_quality_councils, linkage_quality_providers
from workbench.measures.linked import (
    discharge_to_social_care,
    linked_after_ucr,
    pathway_transitions,
    people_with_both_services,
    reablement_at_home,
    reablement_coverage,
    time_to_social_care_curve,
)
from workbench.measures.registry import aggregate_tables, measure
from workbench.spec.cld import CLD_EVENTS

H1 = ("2025-01-01", "2025-06-30")
WILSON_1_OF_5 = (3.6224, 62.4465)
WILSON_2_OF_5 = (11.7621, 76.9276)
WILSON_4_OF_6 = (29.9993, 90.3229)


def pct(x: float) -> float:
    return pytest.approx(x, abs=1e-3)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, engine):
    return build_linked_store(tmp_path_factory.mktemp(f"linked_{engine}"))


@pytest.fixture
def store(store_path, engine):
    return load_store(store_path, engine=engine)


def _row(frame: pd.DataFrame, **where) -> pd.Series:
    chosen = frame
    for column, wanted in where.items():
        chosen = chosen[chosen[column] == wanted]
    assert len(chosen) == 1, where
    return chosen.iloc[0]


# --- facts ------------------------------------------------------------------------------------


def test_reablement_services_within_7_days_merge_and_episodes_link_minus_7_to_plus_3(store):
    episodes = fact_table(store, "reablement_episodes").to_pandas().set_index("episode_id")
    assert sorted(episodes.index) == [
        f"E08000001:{r}" for r in ("RA1", "RB1", "RB2", "RC1", "RD1", "RE1", "RX1")
    ]
    a = episodes.loc["E08000001:RA1"]
    assert (a.services, str(a.episode_end)[:10]) == (2, "2025-03-15")
    assert episodes.loc["E08000001:RB2"].services == 1  # 8 days after RB1: an episode of its own
    assert pd.isna(episodes.loc["E08000001:RC1"].episode_end)  # open
    assert episodes.loc["E08000001:RC1"].age_at_start == 65
    assert episodes.loc["E08000001:RE1"].age_at_start == 55
    links = episodes.discharge_setting.fillna("none").to_dict()
    assert links == {
        "E08000001:RA1": "acute",  # the acute and community bed discharges tie: acute
        "E08000001:RB1": "community bed",
        "E08000001:RB2": "none",
        "E08000001:RC1": "community bed",
        "E08000001:RD1": "acute",  # +3 days links; the spell 9 days before does not
        "E08000001:RE1": "none",
        "E08000001:RX1": "none",  # no pseudonym: never links
    }
    follow = episodes[["days_to_death", "days_to_admission", "days_to_long_term_care"]]
    assert follow.loc["E08000001:RB1"].tolist()[2] == 59
    assert follow.loc["E08000001:RC1"].tolist()[0] == 88
    assert follow.loc["E08000001:RD1"].tolist()[1] == 35


def test_transitions_order_same_day_events_by_the_table_and_read_the_first_outcome(store):
    events = fact_table(store, "transitions").to_pandas()
    starts = events[events.setting.isin(["urgent response", "community bed", "acute discharge"])]
    outcome = {(r.person_id, r.setting): r.outcome for r in starts.itertuples()}
    assert outcome == {
        (A, "urgent response"): "social care request",
        (B, "urgent response"): "emergency admission",  # admission and request on day 0: admission
        (C, "urgent response"): "social care request",
        (D, "urgent response"): "home",
        (E, "urgent response"): "emergency admission",
        (A, "community bed"): "reablement",
        (B, "community bed"): "reablement",  # the same day counts as following
        (C, "community bed"): "reablement",
        (D, "community bed"): "reablement",
        (E, "community bed"): "reablement",
        (F, "community bed"): "home",
        (A, "acute discharge"): "reablement",
        (B, "acute discharge"): "long-term care",
        (C, "acute discharge"): "died",
        (D, "acute discharge"): "home",
    }
    b = events[events.person_id == B].sort_values(["event_date", "setting_order"])
    admission = _row(b, setting="emergency admission")
    assert (admission.next_setting, admission.days_to_next) == ("social care request", 0)
    assert events[events.setting == "died"].person_id.tolist() == [C]


# --- measures ---------------------------------------------------------------------------------


def test_after_ucr_first_by_admission_request_or_neither(store):
    row = linked_after_ucr(store, *H1).iloc[0]
    assert row.clocks == 5
    assert (row.admission_7_days, row.request_7_days, row.neither_7_days) == (1, 1, 3)
    assert (row.admission_30_days, row.request_30_days, row.neither_30_days) == (2, 2, 1)
    assert row.pct_request_7_days == pct(20.0)
    assert (row.pct_request_7_days_lower, row.pct_request_7_days_upper) == tuple(
        map(pct, WILSON_1_OF_5)
    )
    assert row.pct_admission_30_days == pct(40.0)


def test_discharge_to_social_care_leaves_out_deaths_and_unpaid_carer_support(store):
    row = discharge_to_social_care(store, *H1).iloc[0]
    assert (row.discharges, row.with_service) == (5, 4)  # S4 died; F's only one is carer support
    assert row.pct_with_service == pct(80.0)
    assert pd.isna(row.median_days) and pd.isna(row.p90_days)  # fewer than 8 with a service


def test_time_to_service_curve_is_cumulative_by_day(store):
    curve = time_to_social_care_curve(store, *H1).set_index("day")
    assert list(curve.index) == list(range(91))
    assert set(curve.discharges) == {5}
    by_day = curve.with_service_by_day
    assert [by_day[d] for d in (0, 1, 2, 3, 8, 9, 90)] == [1, 1, 2, 3, 3, 4, 4]
    assert curve.pct_with_service_by_day[9] == pct(80.0)


def test_reablement_at_home_84_and_91_days_by_discharge_setting(store):
    frame = reablement_at_home(store, *H1)
    got = {
        r.discharge_setting: (r.episodes_84, r.at_home_84_days, r.episodes_91, r.at_home_91_days)
        for r in frame.itertuples()
    }
    # acute: A at home, D readmitted; community bed: B long-term care, C died on day 88
    assert got == {"acute": (2, 1, 2, 1), "community bed": (2, 1, 2, 0), "any": (4, 2, 4, 1)}
    assert _row(frame, discharge_setting="any").pct_at_home_91_days == pct(25.0)


def test_reablement_at_home_counts_only_discharges_whose_follow_up_lies_in_the_period(store):
    # to 2025-04-30: 84 days back is 2025-02-05 (the 02-01 discharges count, D's of 02-13 does
    # not); 91 days back is 2025-01-29 (none count)
    frame = reablement_at_home(store, "2025-01-01", "2025-04-30")
    got = {r.discharge_setting: (r.episodes_84, r.episodes_91) for r in frame.itertuples()}
    assert got == {"acute": (1, 0), "community bed": (2, 0), "any": (3, 0)}
    assert pd.isna(_row(frame, discharge_setting="any").pct_at_home_91_days)


def test_reablement_coverage_counts_episodes_without_a_pseudonym(store):
    row = reablement_coverage(store, *H1, by="council").iloc[0]
    # RA1, RB1, RB2, RC1, RD1 and RX1 (65 and over); RE1 is 55
    assert (row.council, row.episodes, row.linked) == ("E08000001", 6, 4)
    assert (row.pct_linked_lower, row.pct_linked_upper) == tuple(map(pct, WILSON_4_OF_6))


def test_people_with_both_services(store):
    row = people_with_both_services(store, *H1).iloc[0]
    # A to G active (referrals in the period); A to E have a service active in it; F's ended
    # in 2024 and CARER-F is unpaid carer support; G has none
    assert (row.persons, row.with_social_care) == (7, 5)


def test_pathway_transitions_add_up_to_the_starts(store):
    frame = pathway_transitions(store, *H1)
    counts = {(r.from_setting, r.to_outcome): r.transitions for r in frame.itertuples()}
    assert counts[("urgent response", "emergency admission")] == 2
    assert counts[("urgent response", "social care request")] == 2
    assert counts[("urgent response", "home")] == 1
    assert counts[("community bed", "reablement")] == 5
    assert counts[("acute discharge", "died")] == 1
    assert counts[("acute discharge", "long-term care")] == 1
    assert counts[("urgent response", "died")] == 0  # every outcome has a row
    starts = frame.groupby("from_setting").starts.first().to_dict()
    assert starts == {"urgent response": 5, "community bed": 6, "acute discharge": 4}
    assert frame.groupby("from_setting").transitions.sum().to_dict() == starts
    row = _row(frame, from_setting="urgent response", to_outcome="emergency admission")
    assert (row.pct_transitions_lower, row.pct_transitions_upper) == tuple(map(pct, WILSON_2_OF_5))


def test_linkage_quality_per_council_and_per_provider(store):
    council = linkage_quality_councils(store, *H1, by="council").iloc[0]
    # 19 events start in H1 (LTC-F started in 2024); RX1 has no pseudonym; the pseudonyms are
    # A to F and Q, and Q is not in the community extract
    assert (council.events, council.with_pseudonym) == (19, 18)
    assert (council.pseudonyms, council.linked) == (7, 6)
    provider = linkage_quality_providers(store, *H1, by="provider").iloc[0]
    assert (provider.provider, provider.persons, provider.in_cld) == ("RXA", 7, 6)  # not G


def test_a_store_with_no_cld_rows_gives_no_social_care(tmp_path, engine):
    store = load_store(build_linked_store(tmp_path, with_cld=False), engine=engine)
    ucr = linked_after_ucr(store, *H1).iloc[0]
    # A's admission on day 5 now comes first: no request precedes it
    assert (ucr.clocks, ucr.request_30_days, ucr.admission_30_days) == (5, 0, 3)
    assert discharge_to_social_care(store, *H1).iloc[0].with_service == 0
    assert reablement_coverage(store, *H1).iloc[0].episodes == 0
    assert linkage_quality_councils(store, *H1).iloc[0].events == 0


def test_council_anchored_tables_run_at_the_council_level():
    levels = {t.name: t.levels for _, t in aggregate_tables()}
    for name in ("linked_reablement_at_home", "linked_reablement_coverage"):
        assert levels[name] == ("council", "icb", "region", "england")
    assert levels["linkage_quality_councils"][0] == "council"
    assert levels["linked_transitions"][0] == "provider"
    table = measure("linked", "transitions")
    assert table.column("transitions").role == "count"
    assert table.column("pct_transitions").denominator == "starts"


def test_councils_are_an_organisation_level_with_names():
    from workbench.organisations import known_codes, organisation_name

    assert "E08000001" in known_codes("council")
    assert organisation_name("council", "E08000001") not in ("", "E08000001")


def test_median_and_90th_percentile_days_to_a_service_on_8_discharges(tmp_path, engine):
    """Eight people discharged on 2025-02-01 whose first services start 0, 1, 2, 3, 4, 5, 6
    and 10 days later: median (3 + 4) / 2 = 3.5; 90th percentile (type 7) at position
    0.9 x 7 = 6.3: 6 + 0.3 x (10 - 6) = 7.2."""
    people = ["P" + letter * 16 for letter in "HIJKLMNO"]
    days = [0, 1, 2, 3, 4, 5, 6, 10]
    src = tmp_path / "src"
    write_submission(src, "mpi", "RXA", SUBMITTED, [person(p) for p in people])
    spells = [spell(f"S{i}", p, "2025-02-01") for i, p in enumerate(people)]
    write_submission(src, "inpatient_spells", "RXA", SUBMITTED, spells)
    services = [
        cld(f"LTC-{i}", p, LT_COMMUNITY, f"2025-02-{1 + d:02d}")
        for i, (p, d) in enumerate(zip(people, days, strict=True))
    ]
    write_rows(src / LA / f"cld_{LA}_{SUBMITTED}.csv", list(CLD_EVENTS.column_names), services)
    ingest(src, tmp_path / "store", progress=False)
    row = discharge_to_social_care(load_store(tmp_path / "store", engine=engine), *H1).iloc[0]
    assert (row.discharges, row.with_service) == (8, 8)
    assert (row.median_days, row.p90_days) == (pct(3.5), pct(7.2))
