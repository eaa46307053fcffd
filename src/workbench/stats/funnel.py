"""Funnel plot limits for proportions (measures.md section 6, "Funnel plots")."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._common import as_float_array, check_non_negative, is_scalar, z_value

__all__ = ["funnel_limits"]


def funnel_limits(overall_proportion: float, n: Any, confidence: float) -> tuple[Any, Any]:
    """Wilson-inverted funnel plot limits around an overall proportion.

    measures.md section 6: for each denominator ``n`` the limits are the observed proportions
    whose Wilson score interval just reaches the overall proportion ``P``, clipped to 0-100%.
    The Wilson bounds for an observed proportion ``p`` are the roots ``pi`` of
    ``(p - pi)^2 = z^2 pi (1 - pi) / n``. Setting the bound ``pi = P`` and solving for ``p``::

        lower, upper = P -/+ z * sqrt(P (1 - P) / n)

    The lower limit is the observed proportion whose Wilson *upper* bound equals ``P``; the
    upper limit is the one whose Wilson *lower* bound equals ``P``. This is algebraically the
    same as PHEindicatormethods' ``sigma_adjustment`` (``calculate_funnel_limits`` for
    proportions) and reproduces its published test table.

    Parameters
    ----------
    overall_proportion : float
        The overall (baseline) proportion ``P`` in [0, 1], normally sum(x) / sum(n).
    n : number or array-like
        Denominator(s) at which to evaluate the limits. ``n <= 0`` or NaN gives NaN.
    confidence : float
        Two-sided confidence level as a proportion: 0.95 (about 2 sigma) and 0.998
        (about 3 sigma) are the usual pair; any level in (0, 1) is accepted.

    Returns
    -------
    (lower, upper) : tuple
        Limits as proportions, clipped to [0, 1]. Floats for scalar ``n``, else numpy arrays.

    Examples
    --------
    >>> lo, hi = funnel_limits(0.80642448, [1, 20, 1008], 0.95)
    >>> (lo * 100).round(6).tolist(), (hi * 100).round(6).tolist()
    ([3.204264, 63.326744, 78.203374], [100.0, 97.958152, 83.081522])
    """
    p = float(overall_proportion)
    if not 0.0 <= p <= 1.0:
        raise ValueError(
            f"overall_proportion must be a proportion in [0, 1] (got {overall_proportion!r}); "
            "divide percentages by 100"
        )
    z = z_value(confidence)
    na = as_float_array(n, "n")
    check_non_negative(na, "n")
    with np.errstate(divide="ignore", invalid="ignore"):
        safe_n = np.where(na > 0, na, 1.0)
        half_width = np.where(na > 0, z * np.sqrt(p * (1.0 - p) / safe_n), np.nan)
    lower = np.clip(p - half_width, 0.0, 1.0)
    upper = np.clip(p + half_width, 0.0, 1.0)
    if is_scalar(n):
        return float(lower), float(upper)
    return lower, upper
