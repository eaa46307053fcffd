"""XmR statistical process control charts as in NHS "Making Data Count" (measures.md section 6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._common import as_float_array

__all__ = [
    "LIMIT_FACTOR",
    "MIN_RELIABLE_POINTS",
    "RUN_LENGTH",
    "SCREEN_FACTOR",
    "XmRResult",
    "xmr",
]

#: Process limits are mean +/- 2.66 x mean moving range.
LIMIT_FACTOR = 2.66
#: Moving ranges of 3.267 x the mean moving range or more are screened out.
SCREEN_FACTOR = 3.267
#: Points needed in a trend or a shift.
RUN_LENGTH = 7
#: Fewer points than this and the limits are flagged as unreliable.
MIN_RELIABLE_POINTS = 13

OUTSIDE_LIMITS = "outside limits"
TREND = "trend"
TWO_OF_THREE = "two of three beyond two sigma"
SHIFT = "shift"


@dataclass(frozen=True)
class XmRResult:
    """Result of :func:`xmr`.

    Attributes
    ----------
    centre : float
        Mean of the values (the centre line).
    upper_limit, lower_limit : float
        Process limits, ``centre +/- 2.66 * mean_moving_range`` (NaN for a single point).
    mean_moving_range : float
        Mean of the moving ranges after screening (NaN for a single point).
    points : pandas.DataFrame
        One row per value: ``value``, ``moving_range`` (NaN for the first point; unscreened),
        ``signal`` (None or one of "outside limits", "trend", "two of three beyond two sigma",
        "shift") and ``direction`` (None, "improvement", "concern" or "neutral").
    warning : str or None
        Text when there are fewer than 13 points (limits unreliable).
    assurance : str or None
        With a target and a direction: "consistently met", "met by chance" (MDC's
        "hit and miss") or "not met"; else None.
    """

    centre: float
    upper_limit: float
    lower_limit: float
    mean_moving_range: float
    points: pd.DataFrame
    warning: str | None = None
    assurance: str | None = None


def _runs(labels: np.ndarray) -> list[tuple[int, int, int]]:
    """Runs of equal non-zero labels as (label, start, stop) with stop exclusive."""
    runs: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if labels[start] != 0:
                runs.append((int(labels[start]), start, i))
            start = i
    return runs


def _assurance(
    target: float, lower: float, upper: float, higher_is_better: bool | None
) -> str | None:
    """MDC assurance from where the target sits relative to the process limits."""
    if higher_is_better is None or np.isnan(lower) or np.isnan(upper):
        return None
    if target > upper:  # every expected point falls short of (below) the target
        return "not met" if higher_is_better else "consistently met"
    if target < lower:  # every expected point is above the target
        return "consistently met" if higher_is_better else "not met"
    return "met by chance"


def xmr(
    values: Any,
    target: float | None = None,
    higher_is_better: bool | None = True,
    *,
    limits_within: tuple[float, float] | None = None,
) -> XmRResult:
    """XmR (individuals and moving range) chart with Making Data Count rules.

    measures.md section 6 ("Statistical process control"), following NHS England's Making
    Data Count guidance and its reference implementation NHSRplotthedots (``ptd_spc``):

    * centre = mean of the values;
    * moving ranges ``|v[i] - v[i-1]|``; those ``>= 3.267 x`` their mean are screened out
      once and the mean moving range recomputed from the rest;
    * process limits = centre +/- 2.66 x mean moving range; two sigma is two-thirds of the
      way from the centre to a limit (centre +/- 1.7733 x mean moving range).

    Signals, each point taking the first that applies in this priority:

    1. "outside limits": the point is above the upper or below the lower process limit;
    2. "trend": the point is in a run of 7 or more points each higher (or each lower) than
       the one before; all points of the run, including the first, are flagged and a tie
       (equal consecutive values) breaks the run;
    3. "two of three beyond two sigma": within some 3 consecutive points, 2 or more lie beyond
       two sigma on the same side of the centre; those points are flagged (a point beyond a
       limit counts as beyond two sigma; NHSRplotthedots counts only the band between two
       sigma and the limit and also requires all 3 points on that side of the mean);
    4. "shift": the point is in a run of 7 or more consecutive points on the same side of the
       centre; a point exactly on the centre breaks the run.

    ``direction`` is "improvement" or "concern" from the side of the centre (for trends, the
    direction of the trend) and ``higher_is_better``, or "neutral" when ``higher_is_better``
    is None. Assurance compares the target with the process limits (MDC; NHSRplotthedots
    ``ptd_calculate_assurance_type``): a target beyond the limit on the "good" side of the
    process is consistently met, beyond the limit on the "bad" side it is not met, and
    between the limits (inclusive) it is met by chance ("hit and miss").

    ``limits_within`` keeps the process limits inside the values' possible range (measures.md
    section 7: the limits of a percentage are clipped to 0 and 100); signals and assurance are
    judged against the clipped limits.

    Parameters
    ----------
    values : array-like
        The measurements in time order. Must be non-empty and have no missing values.
    target : float, optional
        Target value; when given (and ``higher_is_better`` is not None) assurance is assessed.
    higher_is_better : bool or None, default True
        True if higher values are an improvement, False if lower values are, None if neither.
    limits_within : (float, float), optional
        The least and greatest value possible, e.g. ``(0, 100)`` for a percentage.

    Returns
    -------
    XmRResult

    Examples
    --------
    >>> r = xmr([5, 6, 5, 7, 6, 5, 6, 7, 6, 5, 6, 5, 6, 15])
    >>> round(r.centre, 4), round(r.mean_moving_range, 4), round(r.upper_limit, 4)
    (6.4286, 1.0833, 9.3102)
    >>> r.points["signal"].iloc[-1], r.points["direction"].iloc[-1]
    ('outside limits', 'improvement')
    >>> r.warning is None
    True
    >>> xmr([99, 90, 100, 88, 100], limits_within=(0, 100)).upper_limit
    100.0
    """
    v = _complete_series(values)
    centre = float(v.mean())
    mr, mean_mr = _moving_ranges(v)
    upper, lower = _process_limits(centre, mean_mr, v.size, limits_within)
    side = np.sign(v - centre).astype(int)
    signal, trend_dir = _signals(v, centre, upper, lower, mean_mr, side)
    direction = _directions(signal, trend_dir, side, higher_is_better)
    # object dtype keeps None (not NaN) for points without a signal
    signal_s, direction_s = pd.Series(signal, dtype=object), pd.Series(direction, dtype=object)
    points = pd.DataFrame(
        {"value": v, "moving_range": mr, "signal": signal_s, "direction": direction_s}
    )
    assurance = None
    if target is not None:
        assurance = _assurance(float(target), lower, upper, higher_is_better)
    return XmRResult(
        centre=centre,
        upper_limit=float(upper),
        lower_limit=float(lower),
        mean_moving_range=mean_mr,
        points=points,
        warning=_few_points_warning(v.size),
        assurance=assurance,
    )


def _complete_series(values: Any) -> np.ndarray:
    """The values as floats; a ValueError saying what to do when empty or with gaps."""
    v = as_float_array(values, "values").ravel()
    if v.size == 0:
        raise ValueError("values is empty: an XmR chart needs at least one point")
    missing = np.flatnonzero(np.isnan(v))
    if missing.size:
        raise ValueError(
            f"values has missing entries at positions {missing[:10].tolist()}: an XmR chart "
            "needs a complete time series; fill or drop those periods first"
        )
    return v


def _few_points_warning(n: int) -> str | None:
    """The caution for fewer than 13 points (limits unreliable), else None."""
    if n >= MIN_RELIABLE_POINTS:
        return None
    return (
        f"only {n} point{'s' if n != 1 else ''}: fewer than {MIN_RELIABLE_POINTS}, so the "
        "process limits are unreliable; treat signals with caution"
    )


def _moving_ranges(v: np.ndarray) -> tuple[np.ndarray, float]:
    """Moving ranges ``|v[i] - v[i-1]|`` (NaN first) and their mean after one screening.

    Ranges of 3.267 x the first mean or more are dropped and the mean recomputed from the rest;
    a single point has no mean moving range (NaN).
    """
    n = v.size
    mr = np.full(n, np.nan)
    mr[1:] = np.abs(np.diff(v))
    if n == 1:
        return mr, float("nan")
    first_mean = float(np.nanmean(mr))
    kept = mr[1:]
    if first_mean > 0:
        kept = kept[kept < SCREEN_FACTOR * first_mean]
    return mr, float(kept.mean())


def _process_limits(
    centre: float, mean_mr: float, n: int, limits_within: tuple[float, float] | None
) -> tuple[float, float]:
    """(upper, lower): centre +/- 2.66 x mean moving range, kept inside ``limits_within``."""
    upper = centre + LIMIT_FACTOR * mean_mr
    lower = centre - LIMIT_FACTOR * mean_mr
    if limits_within is not None and n > 1:
        least, greatest = (float(b) for b in limits_within)
        upper, lower = min(max(upper, least), greatest), min(max(lower, least), greatest)
    return upper, lower


def _signals(
    v: np.ndarray, centre: float, upper: float, lower: float, mean_mr: float, side: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each point's signal (None when there is none) and the direction of its trend (0 when
    not in one), the rules applied lowest priority first so higher ones overwrite them."""
    n = v.size
    two_sigma = (2.0 / 3.0) * LIMIT_FACTOR * mean_mr
    signal = np.full(n, None, dtype=object)
    trend_dir = np.zeros(n, dtype=int)

    # 4. shift (lowest priority, so assigned first and overwritten by higher ones)
    for _label, start, stop in _runs(side):
        if stop - start >= RUN_LENGTH:
            signal[start:stop] = SHIFT
    # 3. two of three beyond two sigma on the same side
    if n >= 3 and not np.isnan(two_sigma):
        for beyond in (v > centre + two_sigma, v < centre - two_sigma):
            flag = np.zeros(n, dtype=bool)
            for i in range(n - 2):
                window = beyond[i : i + 3]
                if window.sum() >= 2:
                    flag[i : i + 3] |= window
            signal[flag] = TWO_OF_THREE
    # 2. trend: 7 points = 6 consecutive steps in one direction; ties (step 0) break it
    if n >= RUN_LENGTH:
        steps = np.sign(np.diff(v)).astype(int)
        for label, start, stop in _runs(steps):
            if stop - start >= RUN_LENGTH - 1:
                signal[start : stop + 1] = TREND
                trend_dir[start : stop + 1] = label
    # 1. outside the process limits
    outside = (v > upper) | (v < lower)
    signal[outside] = OUTSIDE_LIMITS
    return signal, trend_dir


def _directions(
    signal: np.ndarray, trend_dir: np.ndarray, side: np.ndarray, higher_is_better: bool | None
) -> np.ndarray:
    """ "improvement", "concern" or "neutral" for each point with a signal (None without)."""
    direction = np.full(signal.size, None, dtype=object)
    has_signal = np.array([s is not None for s in signal], dtype=bool)
    if higher_is_better is None:
        direction[has_signal] = "neutral"
    else:
        good = 1 if higher_is_better else -1
        sense = np.where(signal == TREND, trend_dir, side)
        direction[has_signal & (sense == good)] = "improvement"
        direction[has_signal & (sense == -good)] = "concern"
    return direction
