"""A percentage with its Wilson score interval, as reports show them (measures.md section 6)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .wilson import wilson_interval


def percentage_with_interval(
    x: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x / n`` as a percentage with its Wilson score interval, also in percent.

    Returns three float arrays ``(percentage, lower, upper)``; NaN where ``n`` is 0.

    Examples
    --------
    >>> pct, lower, upper = percentage_with_interval([1, 0], [5, 0])
    >>> round(float(pct[0]), 1), round(float(lower[0]), 2), round(float(upper[0]), 2)
    (20.0, 3.62, 62.45)
    >>> bool(np.isnan(pct[1]))
    True
    """
    x = np.asarray(x, dtype="float64")
    n = np.asarray(n, dtype="float64")
    lower, upper = wilson_interval(x, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(n > 0, x / np.where(n > 0, n, 1.0) * 100.0, np.nan)
    return (
        pct,
        np.asarray(lower, dtype="float64") * 100.0,
        np.asarray(upper, dtype="float64") * 100.0,
    )
