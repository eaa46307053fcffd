"""measures.md section 4, "Demand": urgent response clocks by reason, source, weekday and hour,
and outside 8am to 8pm, on hand-worked clocks (2025-01-10 is a Friday)."""

import math

import pytest

from submission_files import clock, make_store, person, referral
from workbench import load_store
from workbench.measures.ucr_demand import (
    MISSING_LABEL,
    demand_by_hour,
    demand_by_reason,
    demand_by_source,
    demand_out_of_hours,
)

S, E = "2025-01-01", "2025-01-31"
#: id: (reason, source, start date, start time, end date, end time)
CLOCKS = {
    "D1": ("01", "02", "2025-01-10", "09:00:00", "2025-01-10", "10:00:00"),  # met
    "D2": ("01", "04", "2025-01-10", "07:30:00", "2025-01-10", "10:00:00"),  # 150 min, early
    "D3": ("09", "10", "2025-01-11", "20:00:00", "2025-01-11", "21:00:00"),  # met, from 20:00
    "D4": ("", "01", "2025-01-12", "19:59:00", "2025-01-12", "20:30:00"),  # no reason, met
    "D5": ("XX", "02", "2025-01-10", "09:15:00", "", ""),  # invalid reason, no end
    "D6": ("06", "02", "2025-01-13", "", "2025-01-13", "12:00:00"),  # no start time
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, engine):
    """The fixture's store, ingested once per engine (so each builds its own facts)."""
    folder = tmp_path_factory.mktemp("ucr_demand")
    refs, clocks = [], []
    for rid, (reason, source, start, start_time, end, end_time) in CLOCKS.items():
        refs.append(
            referral(
                rid,
                "P1",
                referral_received_date=start,
                team_type="A28",
                source_of_referral=source,
                ucr_referral_reason=reason,
            )
        )
        clocks.append(
            clock(
                rid,
                clock_start_date=start,
                clock_start_time=start_time,
                clock_end_date=end,
                clock_end_time=end_time,
            )
        )
    return make_store(folder, mpi=[person("P1")], referrals=refs, rtt_clocks=clocks)


@pytest.fixture
def store(store_path, engine):
    """Opened afresh in each test (tests/engines/conftest.py says why)."""
    return load_store(store_path, engine=engine)


def test_demand_by_reason_counts_shares_and_performance(store):
    frame = demand_by_reason(store, S, E).set_index("ucr_referral_reason")
    assert list(frame.index) == ["01", "06", "09", "Not known"]
    assert (frame["group_clocks"] == 6).all()
    falls = frame.loc["01"]
    assert (falls["clocks"], falls["in_scope"], falls["met"]) == (2, 2, 1)
    assert falls["share"] == pytest.approx(100 * 2 / 6)
    assert falls["performance"] == pytest.approx(50)
    assert falls["ucr_referral_reason_label"] == "Falls (without significant injury)"
    assert math.isnan(frame.loc["06", "performance"])  # no clock in scope: no performance
    unknown = frame.loc["Not known"]  # D4 (no reason) and D5 (a code outside the list)
    assert (unknown["clocks"], unknown["in_scope"], unknown["met"]) == (2, 1, 1)
    assert unknown["ucr_referral_reason_label"] == MISSING_LABEL


def test_demand_by_source(store):
    frame = demand_by_source(store, S, E).set_index("source_of_referral")
    assert frame["clocks"].to_dict() == {"01": 1, "02": 3, "04": 1, "10": 1}
    assert frame.loc["04", "performance"] == 0  # D2: 150 minutes
    assert frame.loc["02", "in_scope"] == 1 and frame.loc["02", "met"] == 1
    assert frame.loc["10", "source_of_referral_label"] == "NHS 111"


def test_demand_by_weekday_and_hour_of_the_local_start(store):
    frame = demand_by_hour(store, S, E)
    cells = {(w, h): n for w, h, n in frame[["weekday", "hour", "clocks"]].itertuples(False)}
    assert cells == {
        ("1", "Not known"): 1,  # D6, Monday, no start time
        ("5", "07"): 1,  # D2
        ("5", "09"): 2,  # D1, D5
        ("6", "20"): 1,  # D3, Saturday
        ("7", "19"): 1,  # D4, Sunday
    }
    friday = frame[frame["weekday"] == "5"]
    assert set(friday["weekday_label"]) == {"Friday"}
    assert friday.set_index("hour").loc["09", "share"] == pytest.approx(100 * 2 / 6)


def test_demand_outside_8am_to_8pm(store):
    row = demand_out_of_hours(store, S, E).iloc[0]
    assert (row["clocks"], row["clocks_with_time"], row["clocks_out_of_hours"]) == (6, 5, 2)
    assert row["share_out_of_hours"] == pytest.approx(40)  # D2 (07:30) and D3 (20:00) of 5
    assert (row["in_scope_out_of_hours"], row["met_out_of_hours"]) == (2, 1)
    assert row["performance_out_of_hours"] == pytest.approx(50)


def test_demand_by_provider_and_with_no_clocks(store):
    by_provider = demand_by_reason(store, S, E, by="provider")
    assert set(by_provider["provider"]) == {"RXA"}
    assert by_provider["clocks"].sum() == 6
    empty = demand_out_of_hours(store, "2023-01-01", "2023-01-31").iloc[0]
    assert empty["clocks"] == 0 and math.isnan(empty["share_out_of_hours"])
