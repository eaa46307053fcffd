"""Wilson-inverted funnel plot limits (measures.md section 6, "Funnel plots")."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.stats import funnel_limits, wilson_interval

# PHEindicatormethods tests/testthat/testdata_funnel_prop_outputs.csv (ukhsa-collaboration),
# the published expected output of calculate_funnel_limits for proportions, baseline
# 80.642448%. Columns: population, 95% lower ("2s0025"), 95% upper, 99.8% lower ("3s0001"),
# 99.8% upper, all in percent.
BASELINE = 0.80642448
PUBLISHED = [
    (1, 3.204264, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (18, 62.390093, 98.894803, 51.864359, 100),
    (20, 63.326743, 97.958152, 53.341156, 100),
    (41, 68.548635, 92.73626, 61.574398, 99.710497),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (9998, 79.867989, 81.416907, 79.421375, 81.863521),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]


@pytest.mark.parametrize(("n", "lo95", "hi95", "lo998", "hi998"), PUBLISHED)
def test_limits_match_phe_published_funnel_table(n, lo95, hi95, lo998, hi998):
    lo, hi = funnel_limits(BASELINE, n, 0.95)
    assert lo * 100 == pytest.approx(lo95, abs=2e-6)
    assert hi * 100 == pytest.approx(hi95, abs=2e-6)
    lo, hi = funnel_limits(BASELINE, n, 0.998)
    assert lo * 100 == pytest.approx(lo998, abs=2e-6)
    assert hi * 100 == pytest.approx(hi998, abs=2e-6)


@pytest.mark.parametrize("confidence", [0.95, 0.998, 0.9])
def test_wilson_interval_at_each_limit_just_reaches_the_overall_proportion(confidence):
    p = 0.3
    n = np.array([50.0, 200.0, 1000.0, 25_000.0])
    lo, hi = funnel_limits(p, n, confidence)
    # observed proportion at the lower limit: its Wilson *upper* bound is the overall proportion
    _, upper_bound = wilson_interval(lo * n, n, confidence)
    np.testing.assert_allclose(upper_bound, p, rtol=1e-10)
    # observed proportion at the upper limit: its Wilson *lower* bound is the overall proportion
    lower_bound, _ = wilson_interval(hi * n, n, confidence)
    np.testing.assert_allclose(lower_bound, p, rtol=1e-10)


def test_limits_are_clipped_to_zero_and_one():
    lo, hi = funnel_limits(0.5, [1, 2], 0.998)
    assert np.all(lo == 0.0) and np.all(hi == 1.0)


def test_limits_narrow_as_denominator_grows_and_998_is_wider():
    n = np.array([10, 100, 1000, 10_000])
    lo95, hi95 = funnel_limits(0.2, n, 0.95)
    lo998, hi998 = funnel_limits(0.2, n, 0.998)
    assert np.all(np.diff(hi95 - lo95) < 0)
    assert np.all(lo998 <= lo95) and np.all(hi998 >= hi95)


def test_zero_or_missing_denominator_gives_nan():
    lo, hi = funnel_limits(0.2, [0, np.nan, 10], 0.95)
    assert np.isnan(lo[:2]).all() and np.isnan(hi[:2]).all()
    assert np.isfinite(lo[2])


def test_scalar_denominator_gives_floats():
    lo, hi = funnel_limits(0.2, 100, 0.95)
    assert isinstance(lo, float) and isinstance(hi, float)


def test_overall_proportion_must_be_a_proportion():
    with pytest.raises(ValueError, match="divide percentages by 100"):
        funnel_limits(80.6, [10], 0.95)
