"""XmR charts with Making Data Count rules (measures.md section 6, SPC)."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.stats import XmRResult, xmr

# R: set.seed(123); rnorm(20) -- the data of NHSRplotthedots
# tests/testthat/test-ptd_spc_standard.R ("it returns expected values"); the first values are
# printed in its snapshot tests/testthat/_snaps/ptd_spc_standard.md.
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def _signals(result: XmRResult) -> list:
    return result.points["signal"].tolist()


def test_limits_match_nhsrplotthedots_snapshot():
    r = xmr(RNORM_123)
    # NHSRplotthedots _snaps/ptd_spc_standard.md (r1): mean_col 0.1416238, lpl -3.01138,
    # upl 3.294627
    assert r.centre == pytest.approx(0.1416238, abs=5e-8)
    assert r.lower_limit == pytest.approx(-3.01138, abs=5e-6)
    assert r.upper_limit == pytest.approx(3.294627, abs=5e-7)
    assert r.points["signal"].isna().all()


def test_moving_ranges_are_screened_once_as_published():
    y = list(RNORM_123)
    y[14] = 10  # as the NHSRplotthedots test does: data$y[15] <- 10
    r = xmr(y)
    # NHSRplotthedots _snaps/ptd_spc_standard.md (r2, screen_outliers = TRUE):
    # mean_col 0.6694159, lpl -2.383666, upl 3.722497
    assert r.centre == pytest.approx(0.6694159, abs=5e-8)
    assert r.lower_limit == pytest.approx(-2.383666, abs=5e-7)
    assert r.upper_limit == pytest.approx(3.722497, abs=5e-7)
    # ... and without screening the same snapshot (r3) gives lpl -4.596625, upl 5.935457:
    # the unscreened mean moving range is therefore different, so screening was applied.
    unscreened = np.mean(np.abs(np.diff(y)))
    assert r.centre - 2.66 * unscreened == pytest.approx(-4.596625, abs=5e-7)
    assert r.mean_moving_range < unscreened
    assert r.points.loc[14, "signal"] == "outside limits"


def test_screening_threshold_is_3267_times_the_mean_moving_range():
    values = [5, 6, 5, 7, 6, 5, 6, 7, 6, 5, 6, 5, 6, 15]
    r = xmr(values)
    mr = np.abs(np.diff(values))
    assert (mr >= 3.267 * mr.mean()).sum() == 1
    assert r.mean_moving_range == pytest.approx(mr[mr < 3.267 * mr.mean()].mean())
    assert r.upper_limit == pytest.approx(r.centre + 2.66 * r.mean_moving_range)
    assert r.lower_limit == pytest.approx(r.centre - 2.66 * r.mean_moving_range)


def test_point_beyond_a_limit_is_outside_limits_with_direction():
    values = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10, 9, 10, 30]
    r = xmr(values, higher_is_better=True)
    assert r.points["signal"].iloc[-1] == "outside limits"
    assert r.points["direction"].iloc[-1] == "improvement"
    r = xmr(values, higher_is_better=False)
    assert r.points["direction"].iloc[-1] == "concern"
    r = xmr(values, higher_is_better=None)
    assert r.points["direction"].iloc[-1] == "neutral"


def test_trend_of_seven_points_includes_every_point_of_the_run():
    # NHSRplotthedots test-ptd_calculate_point_type.R: ptd_seven_point_trend(1:7) flags the 7th
    # point, and ptd_part_of_seven_trend marks all 7 points of the run.
    values = [5, 7, 4, 6, 5, 4, 7, 4.0, 4.3, 4.6, 4.9, 5.2, 5.5, 5.8, 4, 6, 5]
    r = xmr(values)
    assert _signals(r)[7:14] == ["trend"] * 7
    assert r.points["direction"].iloc[7:14].tolist() == ["improvement"] * 7
    assert _signals(r)[6] is None and _signals(r)[14] is None


def test_six_points_rising_is_not_a_trend():
    # NHSRplotthedots: ptd_seven_point_trend(1:6) is all zero
    values = [5, 7, 4, 6, 5, 4, 7, 4.3, 4.6, 4.9, 5.2, 5.5, 5.8, 4, 6, 5]
    assert "trend" not in _signals(xmr(values))


def test_a_tie_breaks_a_trend():
    # NHSRplotthedots: ptd_seven_point_trend(c(1:3, 3:6)) is all zero (the repeated 3 breaks it)
    values = [5, 7, 4, 6, 5, 4, 7, 4.0, 4.3, 4.6, 4.6, 4.9, 5.2, 5.5, 5.8, 4, 6, 5]
    assert "trend" not in _signals(xmr(values))


def test_falling_trend_is_a_concern_when_higher_is_better():
    values = [5, 3, 6, 4, 5, 6, 3, 6.0, 5.7, 5.4, 5.1, 4.8, 4.5, 4.2, 6, 4, 5]
    r = xmr(values, higher_is_better=True)
    assert _signals(r)[7:14] == ["trend"] * 7
    assert set(r.points["direction"].iloc[7:14]) == {"concern"}
    r = xmr(values, higher_is_better=False)
    assert set(r.points["direction"].iloc[7:14]) == {"improvement"}


BASE = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 10]


def test_two_of_three_beyond_two_sigma_on_the_same_side():
    values = BASE + [13.5, 13.5, 10, 11]
    r = xmr(values)
    two_sigma_line = r.centre + (2 / 3) * 2.66 * r.mean_moving_range
    assert two_sigma_line < 13.5 < r.upper_limit  # beyond two sigma, inside the limit
    s = _signals(r)
    assert s[16] == s[17] == "two of three beyond two sigma"
    assert r.points["direction"].iloc[16] == "improvement"
    assert all(sig is None for sig in s[:16] + s[18:])


def test_one_of_three_beyond_two_sigma_is_not_a_signal():
    values = BASE + [13.5, 11, 10, 11]
    assert all(sig is None for sig in _signals(xmr(values)))


def test_two_beyond_two_sigma_on_opposite_sides_is_not_a_signal():
    # NHSRplotthedots test-ptd_spc_standard.R: "it only reports special cause for 2 of 3 points
    # close to limits when they are on the same side of the mean" (symmetrical data, 5.5, -5.5).
    values = [1, -1] * 7 + [5.5, -5.5]
    r = xmr(values)
    assert _signals(r)[-2:] == [None, None]


def test_shift_of_seven_or_more_points_on_one_side_of_the_mean():
    values = [11, 12] * 4 + [13, 14, 13, 14, 12.5, 13.5, 14, 14, 12.5]
    r = xmr(values)
    assert _signals(r)[:8] == ["shift"] * 8
    assert set(r.points["direction"].iloc[:8]) == {"concern"}


def test_a_point_on_the_mean_breaks_a_shift():
    # the mean is exactly 12.5: the points equal to it split 7 points above into runs of 4 and 3
    values = [11, 12] * 4 + [13, 14, 13, 14, 12.5, 13.5, 14, 14, 12.5]
    r = xmr(values)
    assert r.centre == 12.5
    assert all(sig is None for sig in _signals(r)[8:])
    # moving the on-mean point just above the mean joins the runs into a shift of 8
    values[12] = 12.6
    assert _signals(xmr(values))[8:16] == ["shift"] * 8


def test_each_point_takes_its_highest_priority_signal():
    # a rising run of 7 that ends beyond the upper limit: the last point is "outside limits",
    # the other six "trend"
    values = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 9.5, 10, 10.5, 11, 11.5, 12, 16]
    r = xmr(values)
    s = _signals(r)
    assert s[-1] == "outside limits"
    assert s[10:16] == ["trend"] * 6
    assert all(sig is None for sig in s[:10])


def test_fewer_than_13_points_warns_and_13_does_not():
    assert "fewer than 13" in xmr(np.arange(12) % 3).warning
    assert xmr(np.arange(13) % 3).warning is None


def test_single_point():
    r = xmr([42.0])
    assert r.centre == 42.0
    assert np.isnan(r.mean_moving_range) and np.isnan(r.upper_limit)
    assert r.points["signal"].tolist() == [None]
    assert "only 1 point" in r.warning
    assert xmr([42.0], target=40).assurance is None


def test_constant_series_has_zero_width_limits_and_no_signals():
    r = xmr([3.0] * 15)
    assert r.mean_moving_range == 0 and r.upper_limit == r.lower_limit == 3.0
    assert r.points["signal"].isna().all()


def test_points_frame_columns():
    r = xmr([1, 2, 3])
    assert list(r.points.columns) == ["value", "moving_range", "signal", "direction"]
    assert np.isnan(r.points["moving_range"].iloc[0])
    assert r.points["moving_range"].iloc[1:].tolist() == [1.0, 1.0]


# Assurance: NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R uses
# (lpl, upl) = (1, 3), (5, 7), (1, 5) with target 4 and expects, for "increase",
# consistent_fail, consistent_pass, inconsistent; for "decrease" the reverse of the first two.
@pytest.mark.parametrize(
    ("values", "higher_is_better", "expected"),
    [
        ([1.9, 2.1] * 7, True, "not met"),  # limits 2 +/- 0.532, all below a target of 4
        ([5.9, 6.1] * 7, True, "consistently met"),  # limits 6 +/- 0.532, all above 4
        ([3, 5] * 7, True, "met by chance"),  # target within the limits: hit and miss
        ([1.9, 2.1] * 7, False, "consistently met"),
        ([5.9, 6.1] * 7, False, "not met"),
        ([3, 5] * 7, False, "met by chance"),
        ([1.9, 2.1] * 7, None, None),
    ],
)
def test_assurance_against_target(values, higher_is_better, expected):
    r = xmr(values, target=4, higher_is_better=higher_is_better)
    assert r.assurance == expected


def test_no_target_means_no_assurance():
    assert xmr([1, 2, 3] * 5).assurance is None


def test_missing_values_are_rejected_with_positions():
    with pytest.raises(ValueError, match=r"positions \[1\]"):
        xmr([1.0, np.nan, 3.0])


def test_empty_values_are_rejected():
    with pytest.raises(ValueError, match="empty"):
        xmr([])
