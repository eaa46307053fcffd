"""Small vectorised sampling helpers on a numpy Generator."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def choose(rng: np.random.Generator, weights: Mapping[str, float], n: int) -> np.ndarray:
    """``n`` codes drawn with the given (unnormalised) weights, as an object array."""
    return np.array(list(weights), dtype=object)[choose_index(rng, weights, n)]


def choose_index(rng: np.random.Generator, weights: Mapping[str, float], n: int) -> np.ndarray:
    """``n`` positions into ``weights`` drawn with its (unnormalised) weights."""
    p = np.array(list(weights.values()), dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


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


def stable_order(*keys: np.ndarray) -> np.ndarray:
    """The permutation that sorts rows by ``keys`` (integer arrays, the first most significant),
    ties kept in their original order: ``np.lexsort(keys[::-1])``, done as one stable sort of
    a combined key when the keys' ranges fit in 63 bits."""
    if len(keys[0]) == 0:
        return np.zeros(0, dtype=np.int64)
    lows = [int(k.min()) for k in keys]
    spans = [int(k.max()) - low + 1 for k, low in zip(keys, lows, strict=True)]
    if np.prod([float(s) for s in spans]) >= 2.0**63:
        return np.lexsort(keys[::-1])
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    for key, low, span in zip(keys, lows, spans, strict=True):
        combined = combined * span + (key.astype(np.int64) - low)
    return np.argsort(combined, kind="stable")
