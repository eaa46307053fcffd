"""Small vectorised sampling helpers on a numpy Generator."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def choose(rng: np.random.Generator, weights: Mapping[str, float], n: int) -> np.ndarray:
    """``n`` codes drawn with the given (unnormalised) weights, as an object array."""
    codes = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=float)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def lognormal_days(rng: np.random.Generator, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Whole days from a lognormal with the given medians and sigmas (element-wise)."""
    return np.floor(median * np.exp(sigma * rng.standard_normal(len(median)))).astype(np.int64)


def group_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``values`` restarted at each group; groups are consecutive runs of
    lengths ``counts``."""
    total = np.cumsum(values)
    ends = np.cumsum(counts)
    starts = ends - counts
    before = np.where(starts > 0, total[np.maximum(starts - 1, 0)], 0)
    before[counts == 0] = 0
    return total - np.repeat(before, counts)


def position_in_group(counts: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each consecutive group of lengths ``counts``."""
    return group_cumsum(np.ones(int(counts.sum()), dtype=np.int64), counts) - 1
