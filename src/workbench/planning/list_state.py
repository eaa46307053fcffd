"""The waiting list at the census date, ordered as the service serves it (measures.md section 8).

The simulation serves in order of clinical priority (two week wait, then urgent, then routine)
and, within a priority, longest wait first. Within one priority that order is first come, first
served, so every list a run reaches is, for each priority, the census list's records from some
position on (oldest first) followed by the referrals that arrived since. This module holds the
census list sorted that way, and counts how many of its records wait past a threshold at each
week, once for all runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError

#: PRIORITY TYPE CODE (sources.md 1.4) in serving order: two week wait, urgent, routine.
#: A missing or unrecognised code is served as routine.
PRIORITY_ORDER = ("3", "2", "1")
#: Waits of 127 days or more are over 18 weeks; 365 or more over 52 (measures.md section 3).
THRESHOLDS = {"over_18_weeks": 127, "over_52_weeks": 365}


@dataclass(frozen=True)
class CensusList:
    """The census list by priority (in :data:`PRIORITY_ORDER`): ``sizes[k]`` records, and
    ``over[name][k, t]`` of them waiting past threshold ``name`` at the end of week ``t``
    (``t = 0`` is the census date), counted before anyone is served."""

    sizes: np.ndarray
    over: dict[str, np.ndarray]
    shares: np.ndarray

    @property
    def total(self) -> int:
        """Records on the list at the census date."""
        return int(self.sizes.sum())


def _priority_index(codes: Any, n: int) -> np.ndarray:
    if codes is None:
        return np.full(n, len(PRIORITY_ORDER) - 1, dtype="int64")
    text = pd.Series(codes, dtype="object").astype("string").str.strip()
    text = text.str.replace(r"\.0$", "", regex=True)  # 2.0 read from a numeric column is "2"
    index = np.full(n, len(PRIORITY_ORDER) - 1, dtype="int64")
    for k, code in enumerate(PRIORITY_ORDER):
        index[(text == code).to_numpy(dtype=bool, na_value=False)] = k
    return index


def _waits_and_priority(waits: Any) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(waits, pd.DataFrame):
        if "wait" not in waits.columns:
            raise WorkbenchError(
                "the waiting list has no 'wait' column: pass one row per pathway on the list "
                "with its wait in days at the census date (and, if known, 'priority_type')"
            )
        days, codes = waits["wait"].to_numpy(), waits.get("priority_type")
        codes = None if codes is None else codes.to_numpy()
    else:
        days, codes = np.asarray(waits), None
    try:
        days = np.asarray(days, dtype="float64").ravel()
    except (TypeError, ValueError):
        message = "waits must be whole days (numbers); check the 'wait' column"
        raise WorkbenchError(message) from None
    if np.isnan(days).any() or (days < 0).any():
        raise WorkbenchError(
            f"{int(np.isnan(days).sum() + (days < 0).sum())} waits are missing or negative; "
            "a wait is the census date minus the received date (measures.md section 3)"
        )
    return days.astype("int64"), _priority_index(codes, len(days))


def census_list(
    waits: Any, weeks: int, arrival_shares: Sequence[float] | None = None
) -> CensusList:
    """The census list of ``waits`` (a frame with ``wait`` in days and optionally
    ``priority_type``, or an array of waits in days, all routine) for a ``weeks`` projection.

    ``arrival_shares`` gives the share of new referrals in each priority of
    :data:`PRIORITY_ORDER`; by default the census list's own shares.
    """
    days, prio = _waits_and_priority(waits)
    k = len(PRIORITY_ORDER)
    sizes = np.bincount(prio, minlength=k).astype("int64")
    over = {name: np.zeros((k, weeks + 1), dtype="int64") for name in THRESHOLDS}
    ends = 7 * np.arange(weeks + 1)
    for j in range(k):
        ascending = np.sort(days[prio == j])
        for name, threshold in THRESHOLDS.items():
            # records whose wait at week t, days + 7t, reaches the threshold
            first = np.searchsorted(ascending, threshold - ends, side="left")
            over[name][j] = len(ascending) - first
    return CensusList(sizes, over, _shares(arrival_shares, sizes))


def _shares(arrival_shares: Sequence[float] | None, sizes: np.ndarray) -> np.ndarray:
    if arrival_shares is None:
        total = sizes.sum()
        if total == 0:
            return np.eye(len(sizes))[-1]
        return sizes / total
    shares = np.asarray(arrival_shares, dtype="float64")
    if shares.shape != sizes.shape or (shares < 0).any() or not np.isclose(shares.sum(), 1):
        raise WorkbenchError(
            f"arrival_shares must be {len(sizes)} shares (two week wait, urgent, routine) "
            "that add up to 1"
        )
    return shares
