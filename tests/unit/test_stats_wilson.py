"""Wilson score interval (measures.md section 6, "Proportions")."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.stats import wilson_interval


@pytest.mark.parametrize(
    ("x", "n", "confidence", "expected_lower"),
    [
        # 0.036248204600072345: DHSC PHStatsMethods ph_statistical_methods/tests/test.wilsons.py
        (20, 360, 0.95, 0.036248204600072345),
        # 0.20375892211705743: same file, 99.8% case
        (550, 2400, 0.998, 0.20375892211705743),
    ],
)
def test_wilson_lower_matches_published_values(x, n, confidence, expected_lower):
    lower, _ = wilson_interval(x, n, confidence)
    assert lower == pytest.approx(expected_lower, rel=1e-12)


@pytest.mark.parametrize(
    ("x", "n", "confidence", "expected_upper"),
    [
        # 0.10504770626130437: DHSC PHStatsMethods ph_statistical_methods/tests/test.wilsons.py
        (30, 400, 0.95, 0.10504770626130437),
        # 0.418131030603369: same file, 99.8% case
        (76, 238, 0.998, 0.418131030603369),
    ],
)
def test_wilson_upper_matches_published_values(x, n, confidence, expected_upper):
    _, upper = wilson_interval(x, n, confidence)
    assert upper == pytest.approx(expected_upper, rel=1e-12)


def test_wilson_interval_is_the_score_test_inversion():
    # Independent definition: the bounds are the roots pi of (p - pi)^2 = z^2 pi (1 - pi) / n.
    x, n, z = 37.0, 120.0, 1.959963984540054
    lower, upper = wilson_interval(x, n)
    p = x / n
    for bound in (lower, upper):
        assert (p - bound) ** 2 == pytest.approx(z**2 * bound * (1 - bound) / n, rel=1e-10)


def test_scalars_in_give_floats_out_and_arrays_give_arrays():
    lower, upper = wilson_interval(5, 10)
    assert isinstance(lower, float) and isinstance(upper, float)
    lower, upper = wilson_interval(np.array([5, 6]), np.array([10, 10]))
    assert isinstance(lower, np.ndarray) and lower.shape == (2,)
    assert np.all(lower < upper)


def test_x_zero_gives_lower_zero_and_x_equals_n_gives_upper_one():
    lower, upper = wilson_interval([0, 10], [10, 10])
    assert lower[0] == 0.0 and upper[1] == 1.0
    assert 0 < upper[0] < 1 and 0 < lower[1] < 1


def test_n_zero_gives_nan():
    lower, upper = wilson_interval(0, 0)
    assert np.isnan(lower) and np.isnan(upper)


def test_nan_in_arrays_propagates_without_disturbing_other_elements():
    lower, upper = wilson_interval([np.nan, 20, 3], [100, 360, np.nan])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert np.isnan(lower[2]) and np.isnan(upper[2])
    assert lower[1] == pytest.approx(0.036248204600072345)


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [(-1, 10, "x must be >= 0"), (11, 10, "exceeds denominator"), (1, -5, "n must be >= 0")],
)
def test_bad_counts_raise_clear_errors(x, n, message):
    with pytest.raises(ValueError, match=message):
        wilson_interval(x, n)


@pytest.mark.parametrize("confidence", [0, 1, 95, -0.5])
def test_confidence_must_be_a_proportion(confidence):
    with pytest.raises(ValueError, match="confidence must be a proportion"):
        wilson_interval(5, 10, confidence)
