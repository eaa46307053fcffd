"""What a plan starts from (measures.md section 8): a list rebuilt from its wait bands, weekly
rates from the list's dynamics, and the formulas' answers for one list, worked by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from workbench.errors import WorkbenchError
from workbench.planning import WeeklyRates, formula_answers, waits_from_bands, weekly_rates

BANDS = {
    "weeks_0_1": 4,
    "weeks_1_2": 3,
    "weeks_2_4": 0,
    "weeks_4_12": 10,
    "weeks_12_18": 5,
    "weeks_18_52": 6,
    "weeks_over_52": 3,
    "over_104_weeks": 1,
}


def test_a_list_rebuilt_from_bands_keeps_every_band_and_long_wait_count():
    waits = waits_from_bands(BANDS)
    assert len(waits) == 31
    assert (waits <= 7).sum() == 4
    assert ((waits >= 29) & (waits <= 84)).sum() == 10
    assert (waits > 126).sum() == 9  # over 18 weeks: the 18-52 and over-52 bands
    assert (waits >= 365).sum() == 3 and (waits >= 729).sum() == 1
    assert list(waits) == sorted(waits)


def test_a_band_is_spread_evenly_over_its_days():
    waits = waits_from_bands({**dict.fromkeys(BANDS, 0), "weeks_12_18": 2})
    # 85 to 126 is 42 days; two people sit at the middle of each half: 85 + 10.5, 85 + 31.5
    assert waits.tolist() == [95, 116]


def test_bands_missing_or_negative_are_refused():
    with pytest.raises(WorkbenchError, match="weeks_0_1"):
        waits_from_bands({"weeks_1_2": 3})
    with pytest.raises(WorkbenchError, match="zero or more"):
        waits_from_bands({**BANDS, "weeks_2_4": -1})


def _dynamics(additions, removals):
    weeks = pd.date_range("2025-01-05", periods=len(additions), freq="7D").date
    return pd.DataFrame({"week_ending": weeks, "additions": additions, "removals": removals})


def test_weekly_rates_are_the_last_weeks_means_and_spreads():
    rates = weekly_rates(_dynamics([100, 10, 12, 14], [1, 8, 8, 8]), weeks=3)
    assert rates.weeks == 3
    assert rates.demand == pytest.approx(12) and rates.demand_sd == pytest.approx(2)
    assert rates.capacity == pytest.approx(8) and rates.capacity_sd == 0
    # index of dispersion: variance 4 over mean 12
    assert rates.cv_demand == pytest.approx(math.sqrt(4 / 12))
    assert rates.cv_capacity == 0


def test_weekly_rates_need_one_group():
    two = pd.concat([_dynamics([1, 2], [1, 2])] * 2)
    with pytest.raises(WorkbenchError, match="one group"):
        weekly_rates(two)
    with pytest.raises(WorkbenchError, match="week_ending"):
        weekly_rates(pd.DataFrame({"additions": [1]}))


def test_formula_answers_for_the_18_week_standard():
    rates = WeeklyRates(13, demand=30, demand_sd=math.sqrt(30), capacity=25, capacity_sd=0)
    got = formula_answers(rates, list_size=1200, mean_wait=10, target_wait=18, percentile=0.92)
    factor = -math.log(0.08)  # 2.5257
    assert got.factor == pytest.approx(factor)
    assert got.share_within == pytest.approx(0.92)
    assert got.load == pytest.approx(1.2)
    assert got.target_mean_wait == pytest.approx(18 / factor)
    assert got.target_queue_size == pytest.approx(30 * 18 / factor)  # 213.8
    assert got.relief_capacity == pytest.approx(30 + (1200 - 30 * 18 / factor) / 26)
    # Poisson referrals (cv 1), steady removals (cv 0): 30 + (1 + 0) / 2 * factor / 18
    assert got.target_capacity == pytest.approx(30 + 0.5 * factor / 18)
    assert got.pressure == pytest.approx(2 * 10 / 18)
    assert got.as_dict()["list_size"] == 1200


def test_no_removals_gives_no_load():
    rates = WeeklyRates(4, demand=5, demand_sd=0, capacity=0, capacity_sd=0)
    assert np.isnan(formula_answers(rates, 10, 2).load)
