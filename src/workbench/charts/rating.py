"""Ratings of a known percentage in words (measures.md section 2, "Rating")."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._base import numeric

__all__ = ["GOOD", "NEEDS_ATTENTION", "NOT_RATED", "POOR", "rating_label", "rating_table"]

GOOD = "Good"
NEEDS_ATTENTION = "Needs attention"
POOR = "Poor"
#: For a percentage that is missing or suppressed.
NOT_RATED = "Not rated (suppressed or no data)"


def rating_label(pct: Any, good: float = 95, attention: float = 90) -> str:
    """The rating of a percentage in words.

    measures.md section 2: by default 95% and over is "Good", 90% to under 95% "Needs
    attention" and under 90% "Poor". Ratings are always shown with these words, never by
    colour alone.

    Parameters
    ----------
    pct : float
        A percentage (0 to 100). Missing, NaN or ``"*"`` (suppressed) gives "Not rated
        (suppressed or no data)".
    good : float, default 95
        Lowest percentage rated "Good".
    attention : float, default 90
        Lowest percentage rated "Needs attention".

    Returns
    -------
    str

    Examples
    --------
    >>> [rating_label(p) for p in (95, 94.99, 90, 89.9)]
    ['Good', 'Needs attention', 'Needs attention', 'Poor']
    >>> rating_label("*")
    'Not rated (suppressed or no data)'
    """
    if attention > good:
        raise ValueError(
            f"the 'needs attention' threshold ({attention}) must not exceed the 'good' "
            f"threshold ({good})"
        )
    value = float(numeric([pct])[0])
    if np.isnan(value):
        return NOT_RATED
    if value >= good:
        return GOOD
    if value >= attention:
        return NEEDS_ATTENTION
    return POOR


def rating_table(
    frame: pd.DataFrame,
    pct_column: str,
    good: float = 95,
    attention: float = 90,
    rating_column: str = "rating",
) -> pd.DataFrame:
    """A copy of ``frame`` with a column of rating words for ``pct_column``.

    measures.md section 2; see :func:`rating_label`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Table with a percentage column.
    pct_column : str
        The column to rate.
    good, attention : float
        Thresholds, as for :func:`rating_label`.
    rating_column : str, default "rating"
        Name of the added column.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> rating_table(pd.DataFrame({"pct": [97.0, 91.0, "*"]}), "pct")["rating"].tolist()
    ['Good', 'Needs attention', 'Not rated (suppressed or no data)']
    """
    if pct_column not in frame.columns:
        raise KeyError(
            f"rating_table: no column {pct_column!r}; the frame has {list(frame.columns)}"
        )
    out = frame.copy()
    out[rating_column] = [rating_label(p, good, attention) for p in frame[pct_column]]
    return out
