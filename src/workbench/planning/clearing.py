"""The weekly capacity that clears long waits by a date (measures.md section 8).

The inverse of :func:`workbench.planning.simulate_waiting_list`: for each run (its referrals and
the random part of its removals drawn once), the least steady weekly capacity whose list, at the
end of the target week, has nobody waiting past the threshold. More capacity never leaves more
people waiting, so a bisection on each run finds it; the runs' median is the central figure and
their 2.5th and 97.5th percentiles the 95% band (the upper figure clears in 97.5% of runs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.planning import draws
from workbench.planning.list_state import THRESHOLDS, census_list
from workbench.planning.simulation import DEFAULT_SEED, check_run_settings, serve

#: Bisection stops when every run's capacity is known to within this many removals a week.
TOLERANCE = 0.05


def _least_clearing(
    clears: Any, runs: int, start: float, tolerance: float = TOLERANCE
) -> np.ndarray:
    """Per run, the least capacity ``c`` with ``clears(c)`` true (``clears`` maps an array of
    capacities, one per run, to booleans), between 0 and a bound doubled from ``start``."""
    lo, hi = np.zeros(runs), np.full(runs, max(start, 1.0))
    done = clears(lo)
    for _ in range(40):
        ok = clears(hi)
        if ok.all():
            break
        hi = np.where(ok, hi, 2 * hi)
    else:
        raise WorkbenchError("no capacity clears the list in every run; check the inputs")
    while ((hi - lo) > tolerance).any():
        mid = (lo + hi) / 2
        ok = clears(mid)
        hi, lo = np.where(ok, mid, hi), np.where(ok, lo, mid)
    return np.where(done, 0.0, hi)


def capacity_to_clear(
    waits: Any,
    demand: float,
    by: int | dt.date,
    *,
    census_date: dt.date | None = None,
    measures: Sequence[str] = ("over_52_weeks", "over_18_weeks"),
    runs: int = 200,
    seed: int = DEFAULT_SEED,
    demand_sd: float | None = None,
    capacity_sd: float | None = None,
    arrival_shares: Sequence[float] | None = None,
) -> pd.DataFrame:
    """The steady weekly capacity that leaves nobody waiting over 52 (and over 18) weeks at the
    end of week ``by`` (a week number, or a date with ``census_date``: the last week that ends
    on or before it). measures.md section 8.

    The inputs are those of :func:`workbench.planning.simulate_waiting_list`. Returns one row
    per measure: ``measure``, ``weeks``, ``central`` (the runs' median capacity), ``lower`` and
    ``upper`` (their 2.5th and 97.5th percentiles), in removals a week, and with a census date
    ``by_date`` (the end of the target week).
    """
    weeks = by if not isinstance(by, dt.date) else (by - _census(census_date)).days // 7
    check_run_settings(demand, int(weeks), runs)
    unknown = [m for m in measures if m not in THRESHOLDS]
    if unknown:
        raise WorkbenchError(f"measures must be among {sorted(THRESHOLDS)}, not {unknown}")
    draws.check_sd("demand_sd", demand_sd)
    draws.check_sd("capacity_sd", capacity_sd)
    census = census_list(waits, weeks, arrival_shares)
    rng = np.random.default_rng(seed)
    arrivals = draws.arrivals_by_priority(rng, demand, demand_sd, census.shares, runs, weeks)
    noise = draws.uniforms(rng, (runs, weeks))
    start = (census.total + arrivals.sum(axis=(1, 2)).max()) / weeks + demand

    def clears_for(measure: str) -> Any:
        def clears(capacity: np.ndarray) -> np.ndarray:
            means = np.broadcast_to(capacity[:, None], (runs, weeks))
            removals = draws.counts_from_uniforms(means, capacity_sd, noise)
            return serve(census, arrivals, removals)[measure][:, weeks] == 0

        return clears

    rows = []
    for m in measures:
        lower, central, upper = np.quantile(
            _least_clearing(clears_for(m), runs, start), [0.025, 0.5, 0.975]
        )
        row = {"measure": m, "weeks": weeks, "central": central, "lower": lower, "upper": upper}
        if census_date is not None:
            row["by_date"] = census_date + dt.timedelta(days=7 * int(weeks))
        rows.append(row)
    return pd.DataFrame(rows)


def _census(census_date: dt.date | None) -> dt.date:
    if census_date is None:
        raise WorkbenchError("by is a date, so give census_date too (the list's census date)")
    return census_date
