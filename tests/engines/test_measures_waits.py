"""measures.md section 3, waiting times, on hand-worked fixtures.

Census date C = 2025-06-30 unless stated. Each referral's wait is worked by hand in its comment.
"""

import datetime as dt

import pytest

from submission_files import contact, make_store, person, referral
from workbench import load_store
from workbench.measures.waits import (
    completed_waits,
    list_movements,
    removals_without_being_seen,
    waiting_list,
)

C = "2025-06-30"


def _received(days_before_census: int) -> str:
    return (dt.date(2025, 6, 30) - dt.timedelta(days=days_before_census)).isoformat()


@pytest.fixture
def store(tmp_path, engine):
    mpi = [
        person("P1"),
        person("P2", ethnic_category="Z", lsoa_2011=""),
        person("P3", age_years="9"),
    ]
    referrals = [
        # on the list at C, waits of 7, 8, 126, 127, 364, 365, 728, 729 days
        *[
            referral(f"W{d}", "P1", referral_received_date=_received(d))
            for d in (7, 8, 126, 127, 364, 365, 728, 729)
        ],
        # seen on the census date: clock stopped on C, off the list
        referral("SEEN_ON_C", "P2", referral_received_date="2025-06-01"),
        # attended contact dated before the referral: does not stop the clock (wait 30)
        referral("EARLY_CONTACT", "P2", referral_received_date=_received(30)),
        # only a DNA: still waiting (wait 10)
        referral("DNA", "P3", referral_received_date=_received(10), age_at_referral="9"),
        # rejected on 2025-05-20, then re-referred on 2025-06-10 (wait 20)
        referral(
            "REJECTED",
            "P3",
            referral_received_date="2025-05-01",
            referral_rejection_date="2025-05-20",
            age_at_referral="9",
        ),
        referral("REREFERRED", "P3", referral_received_date="2025-06-10", age_at_referral="9"),
        # received after C: not on the list
        referral("FUTURE", "P1", referral_received_date="2025-07-01"),
        # discharged on C without being seen: off the list at C
        referral(
            "DISCHARGED_ON_C", "P1", referral_received_date="2025-06-01", service_discharge_date=C
        ),
    ]
    contacts = [
        contact("C1", "SEEN_ON_C", contact_date=C),
        contact("C2", "EARLY_CONTACT", contact_date=_received(40)),
        contact("C3", "DNA", contact_date="2025-06-25", attendance_status="3"),
    ]
    return load_store(
        make_store(tmp_path, mpi=mpi, referrals=referrals, care_contacts=contacts), engine=engine
    )


def test_waiting_list_at_census_date(store):
    row = waiting_list(store, C).iloc[0]
    # waits: 7, 8, 126, 127, 364, 365, 728, 729, 30 (early contact), 10 (DNA), 20 (re-referral)
    assert row["waiting"] == 11
    assert row["weeks_0_1"] == 1  # 7
    assert row["weeks_1_2"] == 2  # 8, 10
    assert row["weeks_2_4"] == 1  # 20
    assert row["weeks_4_12"] == 1  # 30
    assert row["weeks_12_18"] == 1  # 126
    assert row["weeks_18_52"] == 2  # 127, 364
    assert row["weeks_over_52"] == 3  # 365, 728, 729
    assert row["over_104_weeks"] == 1  # 729 only: 104 weeks is 728 days
    assert row["over_18_weeks"] == 5
    assert row["over_52_weeks"] == 3
    # sorted waits 7 8 10 20 30 126 127 364 365 728 729: median the 6th = 126;
    # p92: position 0.92 * 10 = 9.2 -> 728 + 0.2 * (729 - 728) = 728.2
    assert row["median_days"] == 126
    assert row["p92_days"] == pytest.approx(728.2)
    assert row["pct_over_18_weeks"] == pytest.approx(5 / 11 * 100)


def test_waiting_list_contact_on_census_date_stops_the_clock(store):
    day_before = waiting_list(store, "2025-06-29").iloc[0]["waiting"]
    on_day = waiting_list(store, C).iloc[0]["waiting"]
    # the day before C, SEEN_ON_C and DISCHARGED_ON_C are still waiting
    assert day_before == on_day + 2


def test_waiting_list_keeps_not_known_rows(store):
    frame = waiting_list(store, C, by="ethnic_group").set_index("ethnic_group")
    # P2 has ethnicity Z: EARLY_CONTACT is "Not known"; P1 and P3 are White (A)
    assert frame.loc["Not known", "waiting"] == 1
    assert frame.loc["White", "waiting"] == 10
    quintiles = waiting_list(store, C, by="imd_quintile").set_index("imd_quintile")
    assert quintiles.loc["Not known", "waiting"] == 1  # P2 has no LSOA


def test_waiting_list_groups_of_one_and_the_age_breakdown(store):
    frame = waiting_list(store, C, by=["age_group"]).set_index("age_group")
    assert frame.loc["0-18", "waiting"] == 2  # DNA, REREFERRED
    assert frame.loc["0-18", "median_days"] == 15
    one = waiting_list(store, C, by=["provider", "age_group", "ethnic_group"])
    assert one["waiting"].sum() == 11


def test_waiting_list_empty_before_any_referral(store):
    row = waiting_list(store, "2020-01-01").iloc[0]
    assert row["waiting"] == 0 and row["weeks_over_52"] == 0
    assert waiting_list(store, "2020-01-01", by="region").empty


def test_completed_waits_in_period(store):
    row = completed_waits(store, "2025-06-01", "2025-06-30").iloc[0]
    # only SEEN_ON_C: received 2025-06-01, stopped 2025-06-30: 29 days
    assert row["completed"] == 1
    assert row["median_days"] == 29 and row["mean_days"] == 29
    assert row["within_18_weeks"] == 1 and row["pct_within_18_weeks"] == 100


def test_removals_without_being_seen(store):
    frame = removals_without_being_seen(store, "2025-05-01", "2025-06-30")
    # REJECTED (2025-05-20, 19 days) and DISCHARGED_ON_C (29 days)
    assert frame.iloc[0]["removed"] == 2
    assert frame.iloc[0]["median_days"] == 24


def test_removals_in_a_month_reconcile(store):
    moves = list_movements(store, "2023-01-01", "2025-07-31")
    assert moves["reconciles"].all()
    june = moves.set_index("month").loc["2025-06"]
    assert june["list_end"] == 11
    assert june["clock_stops"] == 1 and june["removals"] == 1


def test_unknown_breakdown_names_the_choices(store):
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="choose from: provider"):
        waiting_list(store, C, by="colour")
