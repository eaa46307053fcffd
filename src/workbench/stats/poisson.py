"""Confidence intervals for counts and rates: Byar's method and the exact Poisson interval.

measures.md section 6 ("Counts and rates: Byar's method, switching to the exact Poisson
interval below 10 events").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import gammaincinv

from ._common import as_float_array, check_non_negative, is_scalar, z_value

__all__ = ["BYARS_MIN_COUNT", "byars_interval", "exact_poisson_interval", "rate_interval"]

#: Counts below this use the exact Poisson interval instead of Byar's approximation.
BYARS_MIN_COUNT = 10


def exact_poisson_interval(x: Any, confidence: float = 0.95) -> tuple[Any, Any]:
    """Exact (chi-square / gamma) Poisson confidence interval for an observed count.

    measures.md section 6. Using the link between the Poisson and chi-square distributions
    (Armitage and Berry 2002; PHE "Technical guide: confidence intervals", Appendix 2)::

        lower = chi2.ppf(alpha / 2, 2x) / 2          (0 when x = 0)
        upper = chi2.ppf(1 - alpha / 2, 2x + 2) / 2

    with ``alpha = 1 - confidence``.

    Parameters
    ----------
    x : number or array-like
        Observed count(s), >= 0. NaN gives NaN.
    confidence : float, default 0.95
        Confidence level as a proportion.

    Returns
    -------
    (lower, upper) : tuple
        Limits for the count; floats for scalar input, numpy arrays otherwise.

    Examples
    --------
    >>> lo, hi = exact_poisson_interval(0)
    >>> lo, round(hi, 3)
    (0.0, 3.689)
    >>> [round(v, 4) for v in exact_poisson_interval(5)]
    [1.6235, 11.6683]
    """
    z_value(confidence)  # validates confidence
    xa = as_float_array(x, "x")
    check_non_negative(xa, "x")
    alpha = 1.0 - float(confidence)
    with np.errstate(invalid="ignore"):
        lower = np.where(xa > 0, gammaincinv(np.where(xa > 0, xa, 1.0), alpha / 2.0), 0.0)
        upper = gammaincinv(xa + 1.0, 1.0 - alpha / 2.0)
    lower = np.where(np.isnan(xa), np.nan, lower)
    if is_scalar(x):
        return float(lower), float(upper)
    return lower, upper


def byars_interval(x: Any, confidence: float = 0.95) -> tuple[Any, Any]:
    """Confidence interval for an observed count: Byar's method, exact below 10 events.

    measures.md section 6. For ``x >= 10`` Byar's approximation to the Poisson interval
    (Breslow and Day 1987; PHE "Technical guide: confidence intervals", Appendix 1;
    PHEindicatormethods ``byars_lower``/``byars_upper``)::

        lower = x (1 - 1/(9x) - z/(3 sqrt(x)))^3
        upper = (x + 1) (1 - 1/(9(x + 1)) + z/(3 sqrt(x + 1)))^3

    For ``x < 10`` the exact interval of :func:`exact_poisson_interval` (as ``phe_rate`` does).
    ``x == 0`` gives a lower limit of 0.

    Parameters
    ----------
    x : number or array-like
        Observed count(s), >= 0. NaN gives NaN.
    confidence : float, default 0.95
        Confidence level as a proportion, e.g. 0.95 or 0.998.

    Returns
    -------
    (lower, upper) : tuple
        Limits for the count; floats for scalar input, numpy arrays otherwise.

    Examples
    --------
    >>> [round(v, 4) for v in byars_interval(65)]
    [50.1632, 82.8491]
    >>> byars_interval(0)[0]
    0.0
    """
    z = z_value(confidence)
    xa = as_float_array(x, "x")
    check_non_negative(xa, "x")
    ex_lo, ex_hi = exact_poisson_interval(xa, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = np.where(xa > 0, xa, 1.0)
        by_lo = xs * (1.0 - 1.0 / (9.0 * xs) - z / (3.0 * np.sqrt(xs))) ** 3
        by_hi = (xa + 1.0) * (1.0 - 1.0 / (9.0 * (xa + 1.0)) + z / (3.0 * np.sqrt(xa + 1.0))) ** 3
    use_byars = xa >= BYARS_MIN_COUNT
    lower = np.where(use_byars, np.maximum(by_lo, 0.0), ex_lo)
    upper = np.where(use_byars, by_hi, ex_hi)
    lower = np.where(np.isnan(xa), np.nan, lower)
    upper = np.where(np.isnan(xa), np.nan, upper)
    if is_scalar(x):
        return float(lower), float(upper)
    return lower, upper


def rate_interval(
    x: Any, denominator: Any, multiplier: float, confidence: float = 0.95
) -> pd.DataFrame | dict[str, float]:
    """Crude rate with its confidence interval (Byar's / exact Poisson).

    measures.md section 6. ``rate = x / denominator * multiplier``; the limits are the count
    limits of :func:`byars_interval` scaled the same way (Fingertips technical guidance,
    "Rates"; PHEindicatormethods ``phe_rate``).

    Parameters
    ----------
    x : number or array-like
        Observed count(s), >= 0.
    denominator : number or array-like
        Population or person-time at risk, >= 0. A zero denominator gives NaN for all three.
    multiplier : float
        Scale of the rate, e.g. 100_000 for a rate per 100,000.
    confidence : float, default 0.95
        Confidence level as a proportion.

    Returns
    -------
    dict or pandas.DataFrame
        ``{"rate", "lower", "upper"}`` as floats for scalar input, otherwise a DataFrame with
        those columns, one row per element.

    Examples
    --------
    >>> r = rate_interval(65, 100_000, 100_000)
    >>> {k: round(v, 3) for k, v in r.items()}
    {'rate': 65.0, 'lower': 50.163, 'upper': 82.849}
    >>> rate_interval([0, 12], [1000, 0], 1000)
       rate  lower     upper
    0   0.0    0.0  3.688879
    1   NaN    NaN       NaN
    """
    xa = as_float_array(x, "x")
    da = as_float_array(denominator, "denominator")
    check_non_negative(da, "denominator")
    multiplier = float(multiplier)
    lo, hi = byars_interval(xa, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(da > 0, multiplier / np.where(da > 0, da, 1.0), np.nan)
    rate, lower, upper = xa * scale, lo * scale, hi * scale
    if is_scalar(x, denominator):
        return {"rate": float(rate), "lower": float(lower), "upper": float(upper)}
    rate, lower, upper = np.broadcast_arrays(rate, lower, upper)
    return pd.DataFrame({"rate": rate.ravel(), "lower": lower.ravel(), "upper": upper.ravel()})
