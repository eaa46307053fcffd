"""Small helpers shared by the statistics modules (not public)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import ndtri


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for a confidence level in (0, 1).

    ``z = Phi^-1(1 - (1 - confidence) / 2)``, e.g. 1.959964 for 0.95 and 3.090232 for 0.998.
    """
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(
            f"confidence must be a proportion strictly between 0 and 1 (got {confidence!r}); "
            "write 95% as 0.95 and 99.8% as 0.998"
        )
    return float(ndtri(0.5 + confidence / 2.0))  # the normal quantile, as norm.ppf computes it


def as_float_array(values: Any, name: str) -> np.ndarray:
    """Convert input to a float array, with a clear error when that is impossible."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric (a number or an array of numbers): {exc}") from exc


def is_scalar(*values: Any) -> bool:
    """True when every input is a scalar (0-d), so results should be plain floats."""
    return all(np.ndim(v) == 0 for v in values)


def check_non_negative(values: np.ndarray, name: str) -> None:
    """Raise if any (non-missing) value is negative."""
    bad = np.flatnonzero(np.nan_to_num(values, nan=0.0) < 0)
    if bad.size:
        raise ValueError(
            f"{name} must be >= 0; negative values at positions {bad[:10].tolist()}: "
            "check the input counts"
        )
