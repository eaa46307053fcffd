"""measures.md section 4, the 2-hour urgent community response, on hand-worked clocks."""

import pytest

from submission_files import clock, make_store, person, referral
from workbench import load_store
from workbench.measures.ucr import two_hour_performance


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, engine):
    """The fixture's store, ingested once per engine (so each builds its own facts)."""
    folder = tmp_path_factory.mktemp("ucr")
    refs = [
        referral(f"U{i}", "P1", referral_received_date="2025-01-10", team_type="A28")
        for i in range(1, 10)
    ]
    clocks = [
        clock("U1", clock_end_time="11:00:00"),  # 120 minutes: met
        clock("U2", clock_end_time="11:01:00"),  # 121 minutes: not met
        clock("U3", clock_end_time=""),  # missing end
        clock("U4", clock_end_time="08:59:00"),  # end before start
        clock(
            "U5",
            clock_start_time="23:30:00",
            clock_end_date="2025-01-11",
            clock_end_time="00:45:00",
        ),  # crosses midnight: 75 minutes, met
        clock("U6", clock_start_date="2025-02-01", clock_end_date="2025-02-01"),  # February
        clock("U7", clock_start_time=""),  # missing start time
        clock("U8", measurement_type="06"),  # a 2-day clock: not UCR
        clock("U9", clock_start_date="2024-12-31", clock_end_date="2024-12-31"),  # before
    ]
    return make_store(folder, mpi=[person("P1")], referrals=refs, rtt_clocks=clocks)


@pytest.fixture
def store(store_path, engine):
    """Opened afresh in each test (tests/engines/conftest.py says why)."""
    return load_store(store_path, engine=engine)


def test_two_hour_performance_in_scope_met_and_out_of_scope_reasons(store):
    row = two_hour_performance(store, "2025-01-01", "2025-01-31").iloc[0]
    assert row["clocks"] == 6  # U1-U5 and U7 start in January with type 05
    assert row["in_scope"] == 3  # U1, U2, U5
    assert row["met"] == 2  # U1 (exactly 120 minutes), U5 (75)
    assert (row["missing_start"], row["missing_end"], row["end_before_start"]) == (1, 1, 1)
    assert row["performance"] == pytest.approx(200 / 3)
    # Wilson 95% interval for 2/3: 20.77% to 93.85%
    assert row["performance_lower"] == pytest.approx(20.77, abs=0.01)
    assert row["performance_upper"] == pytest.approx(93.85, abs=0.01)
    assert row["standard"] == 70
    assert row["median_minutes"] == 120


def test_two_hour_performance_by_month_of_clock_start(store):
    frame = two_hour_performance(store, "2025-01-01", "2025-02-28", by="month").set_index("month")
    assert list(frame.index) == ["2025-01", "2025-02"]
    assert frame.loc["2025-02", "in_scope"] == 1 and frame.loc["2025-02", "met"] == 1
    assert frame.loc["2025-01", "in_scope"] == 3


def test_two_hour_performance_with_no_clocks(store):
    row = two_hour_performance(store, "2023-01-01", "2023-01-31").iloc[0]
    assert row["clocks"] == 0 and row["in_scope"] == 0
    assert row["performance"] != row["performance"]  # NaN, not 0 or an error
