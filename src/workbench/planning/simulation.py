"""A record-level projection of a waiting list under a capacity plan (measures.md section 8).

Each run starts from the actual list at the census date, every record with its own wait. Every
week new referrals join (drawn around the observed weekly rate, spread over the week's days) and
the week's removals (drawn around the planned weekly capacity) leave at the week's end in the
order the service serves: clinical priority (two week wait, urgent, routine), then longest wait.
Within a priority that order is first come, first served, so a run only needs, per priority, how
many of its records have been served: the list left is the rest, oldest first, and each record's
wait stays exact (:mod:`workbench.planning.list_state`). The work per run is a few array steps a
week, whatever the size of the list; the list itself is sorted once.

Many runs (seeded, so the same seed gives the same projection) give a central projection, the
median of the runs, and a 95% band, their 2.5th and 97.5th percentiles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.planning import draws
from workbench.planning.list_state import THRESHOLDS, CensusList, census_list

#: What a projection counts at each week end, in the order tables show them.
MEASURES = ("waiting", *THRESHOLDS)
#: Default seed of the random draws.
DEFAULT_SEED = 20240401


def serve(census: CensusList, arrivals: np.ndarray, removals: np.ndarray) -> dict[str, np.ndarray]:
    """The list of every run at the end of every week, ``{measure: (runs, weeks + 1)}``.

    ``arrivals`` are the new referrals ``(runs, priorities, weeks)``; ``removals`` the removals
    ``(runs, weeks)``, served at each week's end in priority order, longest wait first.
    """
    runs, k, weeks = arrivals.shape
    received = draws.daily_cumulative(arrivals)
    served = np.zeros((runs, k), dtype="int64")
    out = {m: np.zeros((runs, weeks + 1), dtype="int64") for m in MEASURES}
    for t in range(weeks + 1):
        left = removals[:, t - 1].copy() if t else np.zeros(runs, dtype="int64")
        for j in range(k):
            queue = census.sizes[j] + received[:, j, 7 * t] - served[:, j]
            taken = np.minimum(left, queue)
            served[:, j] += taken
            left -= taken
            out["waiting"][:, t] += queue - taken
            from_new = np.maximum(served[:, j] - census.sizes[j], 0)
            for name, threshold in THRESHOLDS.items():
                old = np.maximum(census.over[name][j, t] - served[:, j], 0)
                last_day = max(7 * t - threshold, 0)  # received on or before it: past threshold
                new = np.maximum(received[:, j, last_day] - from_new, 0)
                out[name][:, t] += old + new
    return out


def _quantiles(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lower, central, upper = np.quantile(values, [0.025, 0.5, 0.975], axis=0)
    return central, lower, upper


@dataclass(frozen=True)
class Projection:
    """Every run of a projection: ``runs[measure]`` is ``(runs, weeks + 1)``, week 0 the census."""

    runs: dict[str, np.ndarray]
    census_date: dt.date | None = None

    @property
    def weeks(self) -> int:
        """Weeks projected."""
        return self.runs["waiting"].shape[1] - 1

    def _with_dates(self, frame: pd.DataFrame, column: str, weeks: Any) -> pd.DataFrame:
        if self.census_date is not None:
            frame[column] = [
                None if pd.isna(w) else self.census_date + dt.timedelta(days=7 * int(w))
                for w in weeks
            ]
        return frame

    def summary(self) -> pd.DataFrame:
        """Tidy: ``week`` (and ``week_ending`` with a census date), ``measure`` (waiting,
        over_18_weeks, over_52_weeks), ``central`` (median of the runs), ``lower`` and ``upper``
        (their 2.5th and 97.5th percentiles)."""
        weeks = np.arange(self.weeks + 1)
        parts = []
        for m in MEASURES:
            central, lower, upper = _quantiles(self.runs[m])
            columns = {"week": weeks, "measure": m, "central": central}
            parts.append(pd.DataFrame({**columns, "lower": lower, "upper": upper}))
        frame = pd.concat(parts, ignore_index=True)
        frame = self._with_dates(frame, "week_ending", frame["week"])
        first = ["week", "week_ending"] if self.census_date else ["week"]
        return frame[[*first, "measure", "central", "lower", "upper"]]

    def clearance(self) -> pd.DataFrame:
        """The first week each measure reaches zero: one row per measure with ``central`` (the
        median run's week), ``lower`` and ``upper`` (2.5th and 97.5th percentiles of the runs'
        weeks; empty where those runs do not reach zero within the projection) and
        ``share_cleared`` (the share of runs that reach zero); with a census date, the weeks'
        end dates too."""
        rows = []
        for m in MEASURES:
            zero = self.runs[m] == 0
            first = np.where(zero.any(axis=1), zero.argmax(axis=1), np.inf)
            lower, central, upper = np.quantile(first, [0.025, 0.5, 0.975], method="inverted_cdf")
            row = {"measure": m, "central": central, "lower": lower, "upper": upper}
            rows.append({**row, "share_cleared": float(np.isfinite(first).mean())})
        frame = pd.DataFrame(rows).replace(np.inf, np.nan)
        for col in ("central", "lower", "upper"):
            frame = self._with_dates(frame, f"{col}_date", frame[col])
        return frame


def _capacity_plan(
    capacity: float | Sequence[float], weeks: int, extra: float, from_week: int
) -> np.ndarray:
    plan = np.asarray(capacity, dtype="float64")
    if plan.ndim == 0:
        plan = np.full(weeks, float(plan))
    if plan.shape != (weeks,) or not np.isfinite(plan).all() or (plan < 0).any():
        raise WorkbenchError(
            f"capacity must be removals a week (zero or more): one number, or {weeks} numbers, "
            "one for each week projected"
        )
    plan = plan.copy()
    plan[max(from_week, 1) - 1 :] += extra
    if (plan < 0).any():
        raise WorkbenchError("extra_removals takes capacity below zero; check the plan")
    return plan


def week_of(when: int | dt.date, census_date: dt.date | None, what: str) -> int:
    """Week ``when`` as a number of weeks after the census date (a date falls in the week that
    ends on or after it)."""
    if not isinstance(when, dt.date):
        return int(when)
    if census_date is None:
        raise WorkbenchError(f"{what} is a date, so give census_date too (the list's census date)")
    return -(-(when - census_date).days // 7)


def check_run_settings(demand: float, weeks: int, runs: int) -> None:
    """WorkbenchError for a demand below zero or fewer than one week or run."""
    if not (np.isfinite(demand) and demand >= 0):
        raise WorkbenchError("demand must be new referrals a week, zero or more")
    if weeks < 1 or runs < 1:
        raise WorkbenchError("weeks and runs must each be 1 or more")


def project_waiting_list(
    waits: Any,
    demand: float,
    capacity: float | Sequence[float],
    weeks: int = 52,
    *,
    extra_removals: float = 0.0,
    extra_from: int | dt.date = 1,
    census_date: dt.date | None = None,
    runs: int = 200,
    seed: int = DEFAULT_SEED,
    demand_sd: float | None = None,
    capacity_sd: float | None = None,
    arrival_shares: Sequence[float] | None = None,
) -> Projection:
    """Every run of the list's projection over ``weeks`` (see :func:`simulate_waiting_list`)."""
    check_run_settings(demand, weeks, runs)
    draws.check_sd("demand_sd", demand_sd)
    draws.check_sd("capacity_sd", capacity_sd)
    from_week = week_of(extra_from, census_date, "extra_from")
    plan = _capacity_plan(capacity, weeks, extra_removals, from_week)
    census = census_list(waits, weeks, arrival_shares)
    rng = np.random.default_rng(seed)
    arrivals = draws.arrivals_by_priority(rng, demand, demand_sd, census.shares, runs, weeks)
    noise = draws.uniforms(rng, (runs, weeks))
    removals = draws.counts_from_uniforms(np.broadcast_to(plan, (runs, weeks)), capacity_sd, noise)
    return Projection(serve(census, arrivals, removals), census_date)


def simulate_waiting_list(
    waits: Any,
    demand: float,
    capacity: float | Sequence[float],
    weeks: int = 52,
    *,
    extra_removals: float = 0.0,
    extra_from: int | dt.date = 1,
    census_date: dt.date | None = None,
    runs: int = 200,
    seed: int = DEFAULT_SEED,
    demand_sd: float | None = None,
    capacity_sd: float | None = None,
    arrival_shares: Sequence[float] | None = None,
) -> pd.DataFrame:
    """The projected list, week by week, with a 95% band (measures.md section 8).

    ``waits`` is the list at the census date, one row per pathway: a frame with ``wait`` (days,
    as measures.md section 3 defines it) and, if known, ``priority_type`` (PRIORITY TYPE CODE;
    missing or unknown codes are served as routine), or an array of waits in days (all
    routine). ``demand`` is new referrals a week; ``capacity`` removals a week (clock stops and
    removals without being seen), one figure or one per week; ``extra_removals`` more a week
    from week ``extra_from`` (a week number, or a date with ``census_date``). ``demand_sd`` and
    ``capacity_sd`` are the observed week-to-week standard deviations (None: Poisson; 0: steady;
    :mod:`workbench.planning.draws`). New referrals fall into priorities by ``arrival_shares``
    (two week wait, urgent, routine), by default the census list's own mix.

    Returns the tidy frame of :meth:`Projection.summary`: for each week from 0 (the census) to
    ``weeks``, the list size and the waits over 18 and over 52 weeks, each the median of
    ``runs`` seeded runs with their 2.5th and 97.5th percentiles.
    """
    return project_waiting_list(
        waits,
        demand,
        capacity,
        weeks,
        extra_removals=extra_removals,
        extra_from=extra_from,
        census_date=census_date,
        runs=runs,
        seed=seed,
        demand_sd=demand_sd,
        capacity_sd=capacity_sd,
        arrival_shares=arrival_shares,
    ).summary()
