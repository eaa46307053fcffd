"""Slope and relative index of inequality (measures.md section 6, "Slope index of inequality").

No published SII output was found in a readable form (PHEindicatormethods keeps its expected
values in tests/testthat/testdata_SII.xlsx), so these tests check the method against
independent computations of the same definitions, using the example data of the phe_sii
documentation (PHEindicatormethods R/SII_function.R, @examples, "Area1").
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from workbench.stats import relative_rank, slope_index_of_inequality

# phe_sii documentation example, Area1 (deciles 1-10, most deprived first)
POP = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
VALUE = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]
LOWER = [72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2]
UPPER = [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4]
SE = [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57]


def test_relative_rank_matches_phe_sii_documentation_example():
    # phe_sii @section Calculation: quantile 1 with 12% of the population has relative rank
    # 0.12/2 = 0.06 and quantile 2 with 10% has 0.12 + 0.10/2 = 0.17
    np.testing.assert_allclose(relative_rank([12, 10, 78]), [0.06, 0.17, 0.61])


def test_sii_is_population_weighted_least_squares_slope():
    # Independent computation: numpy.polyfit with weights sqrt(a) minimises sum a_i r_i^2,
    # i.e. the regression y sqrt(a) ~ sqrt(a) + b sqrt(a) that phe_sii fits with lm().
    a = np.array(POP) / np.sum(POP)
    x = relative_rank(POP)
    slope, intercept = np.polyfit(x, VALUE, 1, w=np.sqrt(a))
    r = slope_index_of_inequality(VALUE, POP, LOWER, UPPER, repetitions=10_000)
    assert r["sii"] == pytest.approx(slope, rel=1e-10)
    # sign convention of phe_sii: fitted(least deprived, x=1) - fitted(most deprived, x=0);
    # life expectancy rises with affluence here, so the SII is positive
    assert r["sii"] > 0
    assert r["rii"] == pytest.approx((intercept + slope) / intercept, rel=1e-10)


def test_exactly_linear_rates_give_the_slope_whatever_the_populations():
    pops = [500, 1500, 800, 1200, 1000, 700, 900]
    x = relative_rank(pops)
    rates = 50 - 20 * x
    r = slope_index_of_inequality(rates, pops)
    assert r["sii"] == pytest.approx(-20.0)
    assert r["rii"] == pytest.approx(30 / 50)
    assert r["sii_lower"] == pytest.approx(-20.0) and r["sii_upper"] == pytest.approx(-20.0)


def test_simulated_interval_matches_exact_normal_propagation():
    # Without transformation the SII is linear in the rates, so its sampling distribution is
    # exactly Normal(sii, M diag(se^2) M'); the simulated limits must agree with
    # sii +/- z * sd to Monte Carlo precision.
    a = np.array(POP) / np.sum(POP)
    x = relative_rank(POP)
    design = np.column_stack([np.ones_like(x), x])
    m = np.linalg.solve(design.T @ (design * a[:, None]), design.T * a)
    sd = np.sqrt(m[1] ** 2 @ np.square(SE))
    r = slope_index_of_inequality(VALUE, POP, se=SE, repetitions=100_000)
    z = norm.ppf(0.975)
    assert r["ci_method"] == "simulation"
    assert r["sii_lower"] == pytest.approx(r["sii"] - z * sd, abs=0.05 * sd)
    assert r["sii_upper"] == pytest.approx(r["sii"] + z * sd, abs=0.05 * sd)
    assert r["rii_lower"] < r["rii"] < r["rii_upper"]


def test_confidence_limits_give_the_same_interval_as_the_standard_errors():
    # phe_sii documentation: supplying SE instead of the 95% limits "gives the same result"
    # (the example's SEs are the limits' half-widths / 1.96, rounded to 2 dp)
    by_cl = slope_index_of_inequality(VALUE, POP, LOWER, UPPER, repetitions=20_000)
    by_se = slope_index_of_inequality(VALUE, POP, se=SE, repetitions=20_000)
    assert by_cl["sii_lower"] == pytest.approx(by_se["sii_lower"], rel=0.05)
    assert by_cl["sii_upper"] == pytest.approx(by_se["sii_upper"], rel=0.05)


def test_simulation_is_deterministic_for_a_seed():
    r1 = slope_index_of_inequality(VALUE, POP, LOWER, UPPER, repetitions=5_000)
    r2 = slope_index_of_inequality(VALUE, POP, LOWER, UPPER, repetitions=5_000)
    assert r1 == r2
    r3 = slope_index_of_inequality(VALUE, POP, LOWER, UPPER, repetitions=5_000, seed=1)
    assert r3["sii_lower"] != r1["sii_lower"]


def test_log_transform_simulates_on_the_log_scale():
    rates = [820.0, 760, 700, 655, 610, 580, 540, 505, 480, 450]
    pops = [10_000] * 10
    lower = [r * np.exp(-1.96 * 0.05) for r in rates]
    upper = [r * np.exp(1.96 * 0.05) for r in rates]
    r = slope_index_of_inequality(rates, pops, lower, upper, transform=True, repetitions=20_000)
    assert r["sii"] < 0 and r["rii"] < 1
    assert r["sii_lower"] < r["sii"] < r["sii_upper"]


def test_analytic_interval_when_no_limits_given():
    r = slope_index_of_inequality(VALUE, POP)
    assert r["ci_method"] == "analytic"
    assert r["sii_lower"] < r["sii"] < r["sii_upper"]
    assert r["rii_lower"] < r["rii"] < r["rii_upper"]


@pytest.mark.parametrize(
    ("rates", "pops", "message"),
    [
        ([1, 2, 3, 4], [1, 1, 1, 1], "between 5 and 100 groups"),
        ([1, 2, 3, 4, np.nan], [1, 1, 1, 1, 1], "no missing values"),
        ([1, 2, 3, 4, 5], [1, 1, 0, 1, 1], "population > 0"),
        ([1, 2, 3, 4, 5], [1, 1, 1, 1], "give one each"),
    ],
)
def test_bad_inputs_raise_clear_errors(rates, pops, message):
    with pytest.raises(ValueError, match=message):
        slope_index_of_inequality(rates, pops)


def test_relative_index_interval_is_never_below_zero():
    # 7 events across ten deciles (the readmission rate the issue saw): the fitted rate at the
    # most deprived end crosses zero in many simulations, and the ratio's lower limit with it
    from workbench.stats import wilson_interval

    events = np.array([0, 1, 0, 2, 0, 1, 0, 2, 0, 1])
    denominators = np.array([30, 25, 40, 35, 30, 28, 33, 31, 29, 26])
    lower, upper = wilson_interval(events, denominators)
    rates = events / denominators * 100
    r = slope_index_of_inequality(rates, denominators, lower * 100, upper * 100)
    assert r["rii_lower"] >= 0 and r["rii_upper"] >= r["rii_lower"]
    assert r["sii"] == pytest.approx(  # the point estimate is the plain weighted slope
        slope_index_of_inequality(rates, denominators)["sii"]
    )
    analytic = slope_index_of_inequality(rates, denominators)
    assert analytic["rii_lower"] >= 0
