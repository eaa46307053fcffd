"""What a plan starts from (measures.md section 8): the list at the census date, the weekly
rates of referrals and removals, and the queueing formulas' answers for one list.

An analyst with the store reads the actual list, record by record (:func:`list_at_census`); a
report, which reads only aggregates, rebuilds it from the list's wait bands
(:func:`waits_from_bands`). Either way the weekly rates come from the list's weekly dynamics
(:func:`weekly_rates`, from :mod:`workbench.measures.dynamics`) and the formulas' answers from
:func:`formula_answers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import ibis
import numpy as np
import pandas as pd

from workbench.breakdowns import LEVELS
from workbench.errors import WorkbenchError
from workbench.facts import fact_table
from workbench.measures.waits import OVER_104_WEEKS, WAIT_BANDS
from workbench.period import parse_date
from workbench.planning import formulas

if TYPE_CHECKING:
    from workbench.store import Store

#: Where the open ">104 weeks" band is taken to end when a list is rebuilt from bands (days).
LONGEST_WAIT = OVER_104_WEEKS + 364


def list_at_census(
    store: Store,
    census_date: dt.date | str,
    level: str = "england",
    code: str | None = None,
    service: str | None = None,
    team_type: str | None = None,
) -> pd.DataFrame:
    """The waiting list at the end of ``census_date`` (measures.md section 3), one row per
    pathway with its ``wait`` (census date - received date, in days) and ``priority_type``
    (PRIORITY TYPE CODE), for one organisation (``level`` provider, icb, region or england and
    its ``code``) and, if given, one ``service`` (Adult or Children and young people) and
    service line (``team_type``). No identifier leaves the store: only waits and priorities."""
    if level not in LEVELS:
        raise WorkbenchError(f"level {level!r}: choose one of {', '.join(LEVELS)}")
    if level != "england" and not code:
        raise WorkbenchError(f"give the {level} code (for example the region code Y56)")
    census = ibis.literal(parse_date(census_date, "census date"))
    p = fact_table(store, "pathways")
    rows = p.filter(p.clock_start <= census, p.exit_date.isnull() | (p.exit_date > census))
    for column, wanted in ((level, code), ("service", service), ("team_type", team_type)):
        if column != "england" and wanted is not None:
            rows = rows.filter(rows[column] == wanted)
    referrals = store["referrals"].select("provider_code", "referral_id", "priority_type")
    joined = rows.left_join(referrals, ["provider_code", "referral_id"])
    out = joined.select(
        wait=census.delta(joined.clock_start, unit="day"), priority_type=joined.priority_type
    )
    frame = out.to_pandas()
    frame["wait"] = frame["wait"].astype("int64")
    return frame.sort_values("wait", ignore_index=True)


def waits_from_bands(counts: Mapping[str, Any]) -> np.ndarray:
    """A list's waits in days rebuilt from its wait-band counts (the columns of
    :data:`workbench.measures.waits.WAIT_BANDS`, as the ``waiting_list`` aggregate holds them):
    each band's people spread evenly over its days. The open band over 52 weeks is split by
    ``over_104_weeks`` when given (those waiting 729 days or more spread to
    :data:`LONGEST_WAIT`), else spread over 365 to 728 days. The counts past 18 and 52 weeks
    are those of the bands exactly; only the order within a band is assumed."""
    parts = []
    for column, _, first, last in WAIT_BANDS:
        n = _whole(counts, column)
        if last is not None:
            parts.append(_spread(n, first, last))
            continue
        longest = min(_whole(counts, "over_104_weeks"), n) if "over_104_weeks" in counts else 0
        parts.append(_spread(n - longest, first, OVER_104_WEEKS - 1))
        parts.append(_spread(longest, OVER_104_WEEKS, LONGEST_WAIT))
    return np.sort(np.concatenate(parts)).astype("int64")


def _whole(counts: Mapping[str, Any], column: str) -> int:
    if column not in counts:
        raise WorkbenchError(f"the list's wait bands need the column {column!r}")
    value = counts[column]
    if pd.isna(value) or float(value) < 0:
        raise WorkbenchError(f"{column} must be a count of people (zero or more), not {value}")
    return int(value)


def _spread(n: int, first: int, last: int) -> np.ndarray:
    if n <= 0:
        return np.zeros(0, dtype="int64")
    return np.floor(first + (np.arange(n) + 0.5) * (last - first + 1) / n).astype("int64")


@dataclass(frozen=True)
class WeeklyRates:
    """Referrals added (demand) and removals (capacity: seen or removed unseen) a week, their
    means and week-to-week standard deviations over the last ``weeks`` weeks."""

    weeks: int
    demand: float
    demand_sd: float
    capacity: float
    capacity_sd: float

    @property
    def cv_demand(self) -> float:
        """The coefficient of variation of the time between referrals, from the weekly counts'
        index of dispersion: sqrt(variance / mean) (1 for random, Poisson, referrals)."""
        return _cv(self.demand, self.demand_sd)

    @property
    def cv_capacity(self) -> float:
        """The same for removals: sqrt(variance / mean) of the weekly removals."""
        return _cv(self.capacity, self.capacity_sd)


def _cv(mean: float, sd: float) -> float:
    return float(np.sqrt(sd**2 / mean)) if mean > 0 else 1.0


def weekly_rates(dynamics: pd.DataFrame, weeks: int = 13) -> WeeklyRates:
    """Demand and capacity from one list's weekly dynamics (the ``list_dynamics`` measure of
    measures.md section 8, one row per week): the mean and standard deviation of ``additions``
    and of ``removals`` over the last ``weeks`` weeks (all weeks when fewer)."""
    need = {"week_ending", "additions", "removals"}
    if not need <= set(dynamics.columns):
        raise WorkbenchError(
            "weekly rates need one list's weekly dynamics (week_ending, additions, removals): "
            "pass the rows of workbench.measures.dynamics.list_dynamics for one group"
        )
    if dynamics["week_ending"].duplicated().any():
        raise WorkbenchError("the dynamics hold more than one row a week: choose one group first")
    if dynamics.empty or weeks < 1:
        raise WorkbenchError("weekly rates need at least one week of dynamics")
    last = dynamics.sort_values("week_ending").tail(weeks)
    add = last["additions"].astype("float64")
    rem = last["removals"].astype("float64")
    return WeeklyRates(len(last), float(add.mean()), _sd(add), float(rem.mean()), _sd(rem))


def _sd(values: pd.Series) -> float:
    return float(values.std(ddof=1)) if len(values) > 1 else 0.0


@dataclass(frozen=True)
class FormulaAnswers:
    """The queueing formulas' answers for one list (measures.md section 8): the inputs, the
    factor from the percentile and the share it keeps within the target, the load, the target
    mean wait and list size, the relief capacity (to reach the target size in
    ``weeks_to_target``), the target capacity (to hold it) and the pressure."""

    demand: float
    capacity: float
    list_size: float
    mean_wait: float
    target_wait: float
    percentile: float
    weeks_to_target: float
    factor: float
    share_within: float
    load: float
    target_mean_wait: float
    target_queue_size: float
    relief_capacity: float
    target_capacity: float
    pressure: float

    def as_dict(self) -> dict[str, float]:
        """Every field by name."""
        return asdict(self)


def formula_answers(
    rates: WeeklyRates,
    list_size: float,
    mean_wait: float,
    target_wait: float = 18,
    percentile: float = 0.92,
    weeks_to_target: float = 26,
) -> FormulaAnswers:
    """The formulas of :mod:`workbench.planning.formulas` for a list of ``list_size`` people
    whose mean wait is ``mean_wait`` weeks, under ``rates``, for a standard of ``percentile``
    within ``target_wait`` weeks (the factor is -ln(1 - percentile): 2.53 for 92%), reached in
    ``weeks_to_target`` weeks. Capacity needed to hold the target uses the rates' coefficients
    of variation (:class:`WeeklyRates`). measures.md section 8."""
    factor = formulas.factor_for_percentile(percentile)
    target_size = formulas.target_queue_size(rates.demand, target_wait, factor)
    load = formulas.queue_load(rates.demand, rates.capacity) if rates.capacity > 0 else np.nan
    return FormulaAnswers(
        demand=rates.demand,
        capacity=rates.capacity,
        list_size=float(list_size),
        mean_wait=float(mean_wait),
        target_wait=float(target_wait),
        percentile=float(percentile),
        weeks_to_target=float(weeks_to_target),
        factor=factor,
        share_within=formulas.share_within_target(factor),
        load=float(load),
        target_mean_wait=float(formulas.target_mean_wait(target_wait, factor)),
        target_queue_size=float(target_size),
        relief_capacity=float(
            formulas.relief_capacity(rates.demand, list_size, target_size, weeks_to_target)
        ),
        target_capacity=float(
            formulas.target_capacity(
                rates.demand, target_wait, factor, rates.cv_demand, rates.cv_capacity
            )
        ),
        pressure=float(formulas.waiting_list_pressure(mean_wait, target_wait)),
    )
