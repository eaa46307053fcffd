"""Wilson score interval for a proportion (measures.md section 6, "Proportions")."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._common import as_float_array, check_non_negative, is_scalar, z_value

__all__ = ["wilson_interval"]


def wilson_interval(x: Any, n: Any, confidence: float = 0.95) -> tuple[Any, Any]:
    """Wilson score confidence interval for the proportion ``x / n``.

    measures.md section 6 ("Proportions: Wilson score interval"). The closed form is the one
    used for English public health indicators (PHE/OHID "Technical guide: confidence
    intervals", Appendix 3; Fingertips; PHEindicatormethods ``wilson_lower``/``wilson_upper``)::

        lower, upper = (2x + z^2 -/+ z * sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))

    where ``z`` is the ``1 - (1 - confidence)/2`` standard normal quantile. The interval is the
    set of true proportions ``p`` satisfying ``(x/n - p)^2 <= z^2 p(1 - p) / n``.

    Parameters
    ----------
    x : number or array-like
        Numerator: count of cases with the attribute (0 <= x <= n). NaN gives NaN.
    n : number or array-like
        Denominator (sample size). ``n == 0`` gives NaN limits; NaN gives NaN.
    confidence : float, default 0.95
        Confidence level as a proportion, e.g. 0.95 or 0.998.

    Returns
    -------
    (lower, upper) : tuple
        Limits as proportions in [0, 1]. Floats when ``x`` and ``n`` are scalars, otherwise
        numpy arrays broadcast from ``x`` and ``n``.

    Raises
    ------
    ValueError
        If any ``x`` or ``n`` is negative, any ``x > n``, or ``confidence`` is not in (0, 1).

    Examples
    --------
    >>> lo, hi = wilson_interval(20, 360)
    >>> round(lo, 6), round(hi, 6)
    (0.036248, 0.084248)
    >>> wilson_interval(0, 10)[0], wilson_interval(10, 10)[1]
    (0.0, 1.0)
    >>> wilson_interval([5, 0], [0, 0])[0]
    array([nan, nan])
    """
    z = z_value(confidence)
    xa = as_float_array(x, "x")
    na = as_float_array(n, "n")
    check_non_negative(xa, "x")
    check_non_negative(na, "n")
    xb, nb = np.broadcast_arrays(xa, na)
    over = np.flatnonzero(np.nan_to_num(xb, nan=0.0) > np.nan_to_num(nb, nan=np.inf))
    if over.size and not np.all(nb.ravel()[over] == 0):
        pos = [int(i) for i in over if nb.ravel()[i] != 0][:10]
        raise ValueError(
            f"numerator x exceeds denominator n at positions {pos}: a proportion needs 0 <= x <= n"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = nb > 0
        p = np.where(valid, xb / np.where(valid, nb, 1.0), np.nan)
        root = z * np.sqrt(np.maximum(z * z + 4.0 * xb * (1.0 - p), 0.0))
        denom = 2.0 * (nb + z * z)
        lower = np.where(valid, (2.0 * xb + z * z - root) / denom, np.nan)
        upper = np.where(valid, (2.0 * xb + z * z + root) / denom, np.nan)
    # exact 0 and 1 at the edges (x = 0, x = n) despite rounding
    lower = np.where(xb == 0, np.where(valid, 0.0, np.nan), np.clip(lower, 0.0, 1.0))
    upper = np.where((xb == nb) & valid, 1.0, np.clip(upper, 0.0, 1.0))
    if is_scalar(x, n):
        return float(lower), float(upper)
    return lower, upper
