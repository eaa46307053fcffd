"""The waiting-list projection of measures.md section 8 against answers known in closed form.

A steady synthetic list with known demand and capacity has known answers: the list at the
relief capacity's target week is the target queue size; a list of N with removals exceeding
referrals by r a week clears in N / r weeks; a first-come-first-served list in steady state
holds demand x (its oldest wait - 18 weeks) past 18 weeks (Little's law); the capacity that
clears the over-52 waits in 52 weeks serves the census list's long waiters in 52 weeks.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbench import planning
from workbench.errors import WorkbenchError

CENSUS = dt.date(2025, 3, 31)


def steady_list(demand: int, weeks_back: int) -> np.ndarray:
    """The waits (days) of a list that received ``demand`` a week, spread over each week's
    days as the simulation spreads them, for ``weeks_back`` weeks, and served none of it."""
    per_day = np.diff((demand * np.arange(7 * weeks_back + 1)) // 7)
    return np.repeat(np.arange(7 * weeks_back), per_day[::-1])


def row(frame: pd.DataFrame, week: int, measure: str = "waiting") -> pd.Series:
    return frame[(frame["week"] == week) & (frame["measure"] == measure)].iloc[0]


def test_relief_capacity_reaches_the_target_queue_size_within_the_band():
    target = planning.target_queue_size(30, 52)  # 390
    relief = planning.relief_capacity(30, 1200, target, 26)  # 61.15 a week
    waits = np.arange(1200) % 400
    frame = planning.simulate_waiting_list(waits, 30, relief, 26, runs=300, seed=7)
    at_26 = row(frame, 26)
    assert at_26["lower"] < target < at_26["upper"]
    assert at_26["central"] == pytest.approx(target, abs=15)
    assert row(frame, 0)["central"] == 1200


def test_clearance_week_is_list_over_net_removals():
    # 1,000 waiting, 30 referrals and 50 removals a week: zero after 1,000 / 20 = 50 weeks
    projection = planning.project_waiting_list(
        np.arange(1000) % 300, 30, 50, 80, runs=300, seed=3, census_date=CENSUS
    )
    waiting = projection.clearance().set_index("measure").loc["waiting"]
    assert waiting["lower"] <= 50 <= waiting["upper"]
    assert waiting["central"] == pytest.approx(50, abs=3)
    assert waiting["share_cleared"] == 1.0
    assert waiting["central_date"] == CENSUS + dt.timedelta(weeks=int(waiting["central"]))


def test_steady_clearance_is_exact():
    frame = planning.project_waiting_list(
        np.arange(1000) % 300, 30, 50, 60, demand_sd=0, capacity_sd=0, runs=5
    )
    cleared = frame.clearance().set_index("measure").loc["waiting"]
    assert (cleared["lower"], cleared["central"], cleared["upper"]) == (50, 50, 50)


def test_steady_list_keeps_littles_law_past_18_weeks():
    # capacity = demand and first come first served: the list stays the last 26 weeks of
    # referrals, 780 of them, and 30 x (26 - 18) = 240 wait past 18 weeks, every week
    waits = steady_list(30, 26)
    assert len(waits) == 780
    frame = planning.simulate_waiting_list(waits, 30, 30, 52, demand_sd=0, capacity_sd=0)
    for week in (0, 1, 13, 52):
        assert row(frame, week)["central"] == 780
        assert row(frame, week, "over_18_weeks")["central"] == pytest.approx(240, abs=5)
        assert row(frame, week, "over_52_weeks")["central"] == 0


def test_random_steady_list_holds_its_size_within_the_band():
    waits = steady_list(30, 26)
    frame = planning.simulate_waiting_list(waits, 30, 30, 52, runs=300, seed=11)
    at_52 = row(frame, 52)
    assert at_52["lower"] < 780 < at_52["upper"]
    assert at_52["central"] == pytest.approx(780, abs=40)


def test_capacity_to_clear_over_52_serves_the_long_waiters_in_time():
    # with no referrals, everyone on the list at the census waits over 52 weeks by week 52
    # (their waits are 1 day or more), so the capacity is 2,600 / 52 = 50 a week
    waits = 1 + np.arange(2600) % 500
    got = planning.capacity_to_clear(waits, 0, 52, measures=["over_52_weeks"], runs=100, seed=5)
    clear = got.iloc[0]
    assert clear["lower"] <= 50 <= clear["upper"] + 0.05
    assert clear["central"] == pytest.approx(50, abs=2)


def test_capacity_to_clear_steady_is_exact_and_monotone():
    waits = 1 + np.arange(2600) % 500
    got = planning.capacity_to_clear(
        waits,
        30,
        CENSUS + dt.timedelta(weeks=26),
        census_date=CENSUS,
        demand_sd=0,
        capacity_sd=0,
        runs=3,
    ).set_index("measure")
    # over 52 by week 26: the census records of 183 days or more (waits + 182 >= 365)
    long_waiters = int((waits + 182 >= 365).sum())
    assert got.loc["over_52_weeks", "central"] == pytest.approx(long_waiters / 26, abs=0.1)
    assert got.loc["over_18_weeks", "central"] > got.loc["over_52_weeks", "central"]
    assert got.loc["over_52_weeks", "by_date"] == CENSUS + dt.timedelta(weeks=26)
    capacity = got.loc["over_52_weeks", "central"]
    frame = planning.simulate_waiting_list(waits, 30, capacity, 26, demand_sd=0, capacity_sd=0)
    assert row(frame, 26, "over_52_weeks")["central"] == 0
    frame = planning.simulate_waiting_list(
        waits, 30, capacity - 0.5, 26, demand_sd=0, capacity_sd=0
    )
    assert row(frame, 26, "over_52_weeks")["central"] > 0


def test_serves_clinical_priority_then_longest_wait():
    # 5 urgent waiting 1 day, 20 routine waiting 400 days; 10 removals in week 1 take the
    # 5 urgent and the 5 longest routine waits, leaving 15 over 52 weeks
    waits = pd.DataFrame(
        {"wait": [1] * 5 + list(range(400, 420)), "priority_type": ["2"] * 5 + ["1"] * 20}
    )
    frame = planning.simulate_waiting_list(
        waits, 0, 10, 2, demand_sd=0, capacity_sd=0, arrival_shares=[0, 0, 1]
    )
    assert row(frame, 1)["central"] == 15
    assert row(frame, 1, "over_52_weeks")["central"] == 15
    assert row(frame, 2, "over_52_weeks")["central"] == 5
    # 7 urgent referrals a week, served before the routine list, take all 7 removals
    frame = planning.simulate_waiting_list(
        waits, 7, 7, 2, demand_sd=0, capacity_sd=0, arrival_shares=[0, 1, 0]
    )
    assert row(frame, 2)["central"] == 25
    assert row(frame, 2, "over_52_weeks")["central"] == 20


def test_extra_removals_from_a_date():
    waits = np.full(100, 10)
    frame = planning.simulate_waiting_list(
        waits,
        0,
        0,
        15,
        extra_removals=10,
        extra_from=CENSUS + dt.timedelta(days=15),
        census_date=CENSUS,
        demand_sd=0,
        capacity_sd=0,
    )
    sizes = frame[frame["measure"] == "waiting"].set_index("week")["central"]
    assert list(sizes.loc[[2, 3, 4, 12, 13]]) == [100, 90, 80, 0, 0]
    assert row(frame, 3)["week_ending"] == CENSUS + dt.timedelta(weeks=3)


def test_same_seed_same_projection_and_another_seed_differs():
    waits = np.arange(5000) % 700
    first = planning.simulate_waiting_list(waits, 100, 110, 20, runs=50, seed=42)
    again = planning.simulate_waiting_list(waits, 100, 110, 20, runs=50, seed=42)
    other = planning.simulate_waiting_list(waits, 100, 110, 20, runs=50, seed=43)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_observed_spread_widens_the_band():
    waits = np.arange(2000) % 300
    poisson = row(planning.simulate_waiting_list(waits, 100, 100, 26, runs=200), 26)
    spread = row(planning.simulate_waiting_list(waits, 100, 100, 26, runs=200, demand_sd=40), 26)
    assert spread["upper"] - spread["lower"] > poisson["upper"] - poisson["lower"]


def test_summary_is_tidy():
    frame = planning.simulate_waiting_list(np.arange(100), 5, 6, 4, runs=20)
    assert list(frame.columns) == ["week", "measure", "central", "lower", "upper"]
    assert list(frame["measure"].unique()) == ["waiting", "over_18_weeks", "over_52_weeks"]
    assert len(frame) == 3 * 5
    assert (frame["lower"] <= frame["central"]).all()
    assert (frame["central"] <= frame["upper"]).all()


@pytest.mark.parametrize(
    ("waits", "kwargs", "message"),
    [
        (pd.DataFrame({"days": [1]}), {}, "no 'wait' column"),
        (np.array([1.0, -2.0]), {}, "missing or negative"),
        (np.arange(10), {"capacity": [1, 2]}, "one for each week"),
        (np.arange(10), {"demand": -1}, "demand"),
        (np.arange(10), {"runs": 0}, "runs"),
        (np.arange(10), {"demand_sd": -1}, "demand_sd"),
        (np.arange(10), {"arrival_shares": [0.5, 0.2]}, "arrival_shares"),
        (np.arange(10), {"extra_from": CENSUS}, "census_date"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(waits, kwargs, message):
    args = {"demand": 5, "capacity": 5, "weeks": 4, **kwargs}
    with pytest.raises(WorkbenchError, match=message):
        planning.simulate_waiting_list(waits, **args)


def test_capacity_to_clear_refuses_an_unknown_measure_or_a_date_without_census():
    with pytest.raises(WorkbenchError, match="measures"):
        planning.capacity_to_clear(np.arange(10), 1, 4, measures=["waiting_long"])
    with pytest.raises(WorkbenchError, match="census_date"):
        planning.capacity_to_clear(np.arange(10), 1, CENSUS)


def test_thresholds_are_those_of_the_waiting_list():
    # over 18 weeks: 127 days or more; over 52 weeks: 365 days or more (measures.md section 3)
    waits = np.array([126, 127, 364, 365])
    frame = planning.simulate_waiting_list(waits, 0, 0, 1, demand_sd=0, capacity_sd=0)
    assert row(frame, 0, "over_18_weeks")["central"] == 3
    assert row(frame, 0, "over_52_weeks")["central"] == 1
    # a week later the 364-day wait is past 52 weeks too
    assert row(frame, 1, "over_52_weeks")["central"] == 2


def test_numeric_priority_codes_are_read_and_unknown_ones_served_as_routine():
    waits = pd.DataFrame({"wait": [1, 2, 400, 401], "priority_type": [2.0, None, 1, 9]})
    frame = planning.simulate_waiting_list(
        waits, 0, 1, 2, demand_sd=0, capacity_sd=0, arrival_shares=[0, 0, 1]
    )
    # week 1 serves the urgent one; week 2 the longest routine wait (401), leaving 400
    assert list(frame[frame["measure"] == "over_52_weeks"]["central"]) == [2, 2, 1]
