"""Slope and relative index of inequality (measures.md section 6, "Slope index of inequality")."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import ndtri, stdtrit

from ._common import as_float_array, z_value

__all__ = ["DEFAULT_SEED", "relative_rank", "slope_index_of_inequality"]

#: Seed for the simulated interval, so that results are reproducible.
DEFAULT_SEED = 20240601


def relative_rank(populations: Any) -> np.ndarray:
    """Mid-point of each group's share of the cumulative population (the SII's x values).

    Groups must be in order from most to least deprived. With shares ``a_i`` of the total,
    ``x_i = a_1 + ... + a_{i-1} + a_i / 2`` (PHEindicatormethods ``FindXValues``).

    Examples
    --------
    >>> relative_rank([12, 10, 78]).round(2).tolist()
    [0.06, 0.17, 0.61]
    """
    pop = as_float_array(populations, "populations").ravel()
    share = pop / pop.sum()
    return np.cumsum(share) - share / 2.0


def _wls_operator(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The 2 x k matrix M with (intercept, slope) = M @ y for weighted least squares."""
    design = np.column_stack([np.ones_like(x), x])
    xtw = design.T * w
    return np.linalg.solve(xtw @ design, xtw)


def slope_index_of_inequality(
    rates: Any,
    populations: Any,
    lower: Any = None,
    upper: Any = None,
    confidence: float = 0.95,
    *,
    se: Any = None,
    transform: bool = False,
    repetitions: int = 100_000,
    seed: int | None = DEFAULT_SEED,
) -> dict[str, Any]:
    """Slope index of inequality (SII) and relative index of inequality (RII).

    measures.md section 6, following the method of English public health indicators
    (PHE "Technical guide: slope index of inequality"; Low and Low 2004; PHEindicatormethods
    ``phe_sii``):

    * groups are ordered most to least deprived (decile 1 first); each gets the relative rank
      ``x_i`` = mid-point of its cumulative population share (:func:`relative_rank`);
    * the rate is regressed on ``x`` by least squares weighted by each group's population share
      ``a_i`` (``phe_sii`` fits ``y sqrt(a) ~ sqrt(a) + x sqrt(a) - 1``, which is that WLS);
    * **sign convention (as phe_sii):** SII = fitted value at ``x = 1`` (least deprived end)
      minus fitted value at ``x = 0`` (most deprived end), i.e. the slope. A rate that is
      higher in deprived areas gives a negative SII;
    * RII = fitted(1) / fitted(0) = (intercept + SII) / intercept, as phe_sii does;
    * a ratio of two rates cannot be negative: where a simulated (or analytic) limit of the RII
      falls below zero (a fitted rate at one end of the scale crossing zero, which happens only
      when the events are too few to support an index), the limit is 0 (measures.md section 7).

    Interval: when ``lower``/``upper`` (95% limits of each rate, as phe_sii assumes) or ``se``
    are given, the **simulation method of phe_sii**: each rate is drawn ``repetitions`` times
    from Normal(rate, se) (or Normal(log rate, se of log rate) when ``transform=True``, then
    exponentiated), the regression refitted to each draw, and the limits taken as the
    ``round(repetitions * alpha/2)``-th and ``round(repetitions * (1 - alpha/2))``-th ordered
    values. ``se`` defaults to ``(upper - lower) / (2 * 1.959964)``. The draws come from a
    numpy generator seeded with ``seed``, so results are deterministic (but are not R's random
    stream: expect agreement with phe_sii to Monte Carlo precision, not to every digit).
    Without ``lower``/``upper``/``se``, the **analytic method**: the t-distribution interval of
    the WLS slope from the residual variance (k - 2 degrees of freedom; PHE "Technical guide:
    confidence intervals", Appendix 7) and a delta-method interval for the RII.

    Parameters
    ----------
    rates : array-like
        Indicator value for each group (5 to 100 groups), most deprived first.
    populations : array-like
        Population of each group (> 0).
    lower, upper : array-like, optional
        95% confidence limits of each group's rate.
    confidence : float, default 0.95
        Confidence level of the SII/RII interval.
    se : array-like, optional
        Standard error of each rate (on the log scale when ``transform=True``); overrides
        ``lower``/``upper``.
    transform : bool, default False
        Simulate on the log scale (phe_sii ``value_type = 1, transform = TRUE`` for rates).
    repetitions : int, default 100_000
        Number of simulations (phe_sii default; at least 1000).
    seed : int or None
        Seed for the simulation.

    Returns
    -------
    dict
        ``sii, sii_lower, sii_upper, rii, rii_lower, rii_upper`` (floats) and ``ci_method``
        ("simulation" or "analytic").

    Examples
    --------
    >>> r = slope_index_of_inequality([30, 28, 26, 24, 22], [100, 100, 100, 100, 100])
    >>> round(r["sii"], 6), round(r["rii"], 6), r["ci_method"]
    (-10.0, 0.677419, 'analytic')
    """
    y = as_float_array(rates, "rates").ravel()
    pop = as_float_array(populations, "populations").ravel()
    _check_groups(y, pop, repetitions)
    z_value(confidence)
    alpha = 1.0 - float(confidence)

    a = pop / pop.sum()
    x = relative_rank(pop)
    m = _wls_operator(x, a)
    intercept, slope = m @ y
    sii = float(slope)
    rii = float((intercept + slope) / intercept)
    se_arr = _rate_standard_errors(lower, upper, se, transform)
    if se_arr is None:
        limits = _analytic_limits(y, x, a, m, intercept, slope, sii, rii, alpha)
        return _sii_result(sii, rii, limits, "analytic")
    if se_arr.size != y.size or np.isnan(se_arr).any() or (se_arr < 0).any():
        raise ValueError(
            "each group needs a non-missing, non-negative standard error or 95% limits"
        )
    limits = _simulated_limits(y, se_arr, m, transform, int(repetitions), seed, alpha)
    return _sii_result(sii, rii, limits, "simulation")


def _check_groups(y: np.ndarray, pop: np.ndarray, repetitions: int) -> None:
    """Raise a ValueError saying what to fix unless the groups can give an SII."""
    k = y.size
    if pop.size != k:
        raise ValueError(f"rates has {k} groups but populations has {pop.size}: give one each")
    if not 5 <= k <= 100:
        raise ValueError(f"the SII needs between 5 and 100 groups (got {k}), as phe_sii does")
    if np.isnan(y).any() or np.isnan(pop).any():
        raise ValueError(
            "rates and populations must have no missing values: the SII needs every group"
        )
    if (pop <= 0).any():
        raise ValueError("every group needs a population > 0 for the SII")
    if int(repetitions) < 1000:
        raise ValueError("repetitions must be at least 1000 (phe_sii's minimum)")


def _rate_standard_errors(lower: Any, upper: Any, se: Any, transform: bool) -> np.ndarray | None:
    """Each rate's standard error: ``se`` as given, else ``(upper - lower) / (2 x 1.959964)``
    (of the logs when ``transform``); None when neither is given (the analytic method)."""
    if se is None and lower is not None and upper is not None:
        lo = as_float_array(lower, "lower").ravel()
        hi = as_float_array(upper, "upper").ravel()
        if transform:
            lo, hi = np.log(lo), np.log(hi)
        return (hi - lo) / (2.0 * float(ndtri(0.975)))
    if se is not None:
        return as_float_array(se, "se").ravel()
    return None


def _sii_result(
    sii: float, rii: float, limits: tuple[float, float, float, float], method: str
) -> dict[str, Any]:
    """The result dict from the SII's and RII's limits, no RII limit below zero (section 7)."""
    sii_lower, sii_upper, rii_lower, rii_upper = limits
    return {
        "sii": sii,
        "sii_lower": sii_lower,
        "sii_upper": sii_upper,
        "rii": rii,
        "rii_lower": max(rii_lower, 0.0),
        "rii_upper": max(rii_upper, 0.0),
        "ci_method": method,
    }


def _analytic_limits(
    y: np.ndarray,
    x: np.ndarray,
    a: np.ndarray,
    m: np.ndarray,
    intercept: float,
    slope: float,
    sii: float,
    rii: float,
    alpha: float,
) -> tuple[float, float, float, float]:
    """t interval of the WLS slope from the residual variance (k - 2 degrees of freedom) and a
    delta-method interval for the RII (PHE "Technical guide: confidence intervals", App. 7)."""
    fitted = intercept + slope * x
    resid = y - fitted
    dof = y.size - 2
    sigma2 = float(np.sum(a * resid**2) / dof)
    cov = sigma2 * (m * (1.0 / a)) @ m.T  # (X'WX)^-1 scaled by the residual variance
    tcrit = float(stdtrit(dof, 1.0 - alpha / 2.0))  # Student's t quantile
    sii_se = float(np.sqrt(cov[1, 1]))
    # RII = 1 + slope / intercept; gradient wrt (intercept, slope)
    grad = np.array([-slope / intercept**2, 1.0 / intercept])
    rii_se = float(np.sqrt(grad @ cov @ grad))
    return sii - tcrit * sii_se, sii + tcrit * sii_se, rii - tcrit * rii_se, rii + tcrit * rii_se


def _simulated_limits(
    y: np.ndarray,
    se_arr: np.ndarray,
    m: np.ndarray,
    transform: bool,
    reps: int,
    seed: int | None,
    alpha: float,
) -> tuple[float, float, float, float]:
    """phe_sii's simulation: each rate drawn ``reps`` times from Normal(rate, se) (of the log
    rate when ``transform``), the regression refitted to each draw, the limits read from the
    ordered results."""
    rng = np.random.default_rng(seed)
    centre = np.log(y) if transform else y
    draws = centre[:, None] + se_arr[:, None] * rng.standard_normal((y.size, reps))
    if transform:
        draws = np.exp(draws)
    coef = m @ draws
    sim_sii = np.sort(coef[1])
    sim_rii = np.sort((coef[0] + coef[1]) / coef[0])
    pos_lo = int(np.round(reps * alpha / 2.0)) - 1
    pos_hi = int(np.round(reps * (1.0 - alpha / 2.0))) - 1
    return (
        float(sim_sii[pos_lo]),
        float(sim_sii[pos_hi]),
        float(sim_rii[pos_lo]),
        float(sim_rii[pos_hi]),
    )
