"""Byar's and exact Poisson intervals, and crude rates (measures.md section 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq
from scipy.stats import poisson

from workbench.stats import byars_interval, exact_poisson_interval, rate_interval


def _exact_by_root_finding(x: int, confidence: float) -> tuple[float, float]:
    """Independent exact Poisson limits from the Poisson CDF itself (not the chi-square form)."""
    a = (1 - confidence) / 2
    lower = 0.0 if x == 0 else brentq(lambda mu: poisson.sf(x - 1, mu) - a, 1e-12, 10 * x + 50)
    upper = brentq(lambda mu: poisson.cdf(x, mu) - a, 1e-12, 10 * x + 50)
    return lower, upper


def test_exact_upper_limit_for_zero_events_matches_published_value():
    # 3.689: epitools documentation for pois.exact ("When x = 0, for the upper confidence
    # limit pois.exact returns 3.689"), 95% exact Poisson interval.
    lower, upper = exact_poisson_interval(0)
    assert lower == 0.0
    assert upper == pytest.approx(3.689, abs=5e-4)


@pytest.mark.parametrize("x", [0, 1, 2, 5, 9])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_exact_interval_matches_poisson_cdf_inversion(x, confidence):
    # No published table used here: checked against an independent definition (roots of the
    # Poisson CDF / survival function via scipy.stats.poisson).
    expected = _exact_by_root_finding(x, confidence)
    assert exact_poisson_interval(x, confidence) == pytest.approx(expected, rel=1e-8, abs=1e-10)


def test_byars_uses_exact_interval_below_ten_events():
    for x in range(10):
        assert byars_interval(x) == pytest.approx(exact_poisson_interval(x), rel=1e-12)


def test_byars_formula_from_ten_events():
    # Formula as in the Fingertips technical guidance ("Rates") and PHEindicatormethods
    # byars_lower / byars_upper, evaluated by hand for x = 65 at 95%.
    z = 1.959963984540054
    x = 65.0
    expected_lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    expected_upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    assert byars_interval(65) == pytest.approx((expected_lower, expected_upper), rel=1e-12)
    assert byars_interval(65) == pytest.approx((50.1632, 82.8491), abs=1e-4)


def test_byars_is_within_published_accuracy_of_exact_for_ten_or_more():
    # PHE "Technical guide: confidence intervals" (Public Health Data Science, 25 May 2018):
    # "For 95% confidence intervals, Byar's method is within 0.2% of the exact value for
    # numerators of 10 or more."
    x = np.arange(10, 5001)
    by_lo, by_hi = byars_interval(x)
    ex_lo, ex_hi = exact_poisson_interval(x)
    assert np.max(np.abs(by_lo / ex_lo - 1)) < 0.002
    assert np.max(np.abs(by_hi / ex_hi - 1)) < 0.002


def test_zero_events_has_lower_limit_zero():
    assert byars_interval(0)[0] == 0.0
    assert byars_interval([0, 3])[0][0] == 0.0


def test_nan_counts_give_nan_limits():
    lower, upper = byars_interval([np.nan, 12])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert np.isfinite(lower[1]) and np.isfinite(upper[1])


def test_negative_count_is_rejected():
    with pytest.raises(ValueError, match="x must be >= 0"):
        byars_interval(-1)


def test_rate_interval_scales_count_limits():
    result = rate_interval(65, 50_000, 100_000)
    assert isinstance(result, dict)
    lower, upper = byars_interval(65)
    assert result["rate"] == pytest.approx(130.0)
    assert result["lower"] == pytest.approx(lower * 2)
    assert result["upper"] == pytest.approx(upper * 2)


def test_rate_interval_on_arrays_returns_dataframe_and_handles_zero_denominator():
    result = rate_interval([0, 8, 120], [1000, 0, 2000], 1000, confidence=0.998)
    assert isinstance(result, pd.DataFrame)
    assert list(result.columns) == ["rate", "lower", "upper"]
    assert result.loc[0, "lower"] == 0.0
    assert result.loc[1].isna().all()
    lower, upper = byars_interval(120, 0.998)
    assert result.loc[2, "lower"] == pytest.approx(lower / 2)
    assert result.loc[2, "upper"] == pytest.approx(upper / 2)
