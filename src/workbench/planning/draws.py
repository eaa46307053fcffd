"""Weekly referrals and removals drawn around their observed rates (measures.md section 8).

A rate's standard deviation decides how a week's count is drawn: none given, a Poisson count (the
variation of random, independent events); zero, the rate itself every week (whole numbers,
the fractions carried from week to week); a positive figure (the observed week-to-week standard
deviation), a normal count with that spread, rounded and never below zero.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from workbench.errors import WorkbenchError


def check_sd(name: str, sd: float | None) -> None:
    """WorkbenchError unless ``sd`` is None or a number of zero or more."""
    if sd is not None and not (np.isfinite(sd) and sd >= 0):
        raise WorkbenchError(f"{name} must be a standard deviation of zero or more, or None")


def steady_counts(means: np.ndarray) -> np.ndarray:
    """Whole counts a week that follow ``means`` (weeks on the last axis) with the fractions
    carried: the count of week t is round(sum of means to t) - round(sum to t - 1)."""
    total = np.floor(np.cumsum(means, axis=-1) + 0.5)
    first = np.zeros(means.shape[:-1] + (1,))
    return np.diff(np.concatenate([first, total], axis=-1), axis=-1).astype("int64")


def counts_from_uniforms(means: np.ndarray, sd: float | None, uniforms: np.ndarray) -> np.ndarray:
    """Weekly counts with mean ``means`` from ``uniforms`` in (0, 1), by the rule of ``sd``.

    The same uniforms and a larger mean never give a smaller count, so runs that share their
    uniforms can be compared across capacities (common random numbers).
    """
    if sd is None:
        return stats.poisson.ppf(uniforms, np.maximum(means, 0)).astype("int64")
    if sd == 0:
        return steady_counts(np.broadcast_to(means, uniforms.shape))
    drawn = np.rint(means + sd * special.ndtri(uniforms))
    return np.maximum(drawn, 0).astype("int64")


def uniforms(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Uniform draws strictly inside (0, 1)."""
    return np.clip(rng.random(shape), 1e-12, 1 - 1e-12)


def arrivals_by_priority(
    rng: np.random.Generator,
    demand: float,
    sd: float | None,
    shares: np.ndarray,
    runs: int,
    weeks: int,
) -> np.ndarray:
    """New referrals each week, ``(runs, priorities, weeks)``: ``demand`` a week in all, split by
    ``shares`` (the Poisson count of each priority; or the week's count shared at random)."""
    k = len(shares)
    if sd is None:
        return rng.poisson(demand * shares[None, :, None], size=(runs, k, weeks))
    if sd == 0:
        means = np.broadcast_to((demand * shares)[None, :, None], (runs, k, weeks))
        return steady_counts(np.ascontiguousarray(means))
    totals = counts_from_uniforms(np.full((runs, weeks), demand), sd, uniforms(rng, (runs, weeks)))
    return np.moveaxis(rng.multinomial(totals, shares), -1, 1).astype("int64")


def daily_cumulative(weekly: np.ndarray) -> np.ndarray:
    """Referrals received by the end of each day, ``(..., 7 * weeks + 1)`` with day 0 the census
    date: each week's count spread as evenly as whole numbers allow over its seven days."""
    before = np.cumsum(weekly, axis=-1) - weekly
    day = np.arange(1, 8)
    within = (weekly[..., None] * day) // 7
    days = (before[..., None] + within).reshape(weekly.shape[:-1] + (-1,))
    return np.concatenate([np.zeros(weekly.shape[:-1] + (1,), dtype="int64"), days], axis=-1)
