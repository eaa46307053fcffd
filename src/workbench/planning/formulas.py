"""Queueing formulas for waiting lists (measures.md section 8, "Planning").

The formulas analysts use from the R package NHSRwaitinglist (NHS-R Community,
<https://github.com/nhs-r-community/NHSRwaitinglist>, functions ``calc_queue_load``,
``calc_target_mean_wait``, ``calc_target_queue_size``, ``calc_relief_capacity``,
``calc_target_capacity`` and ``calc_waiting_list_pressure``), after Fong, Mushtaq, House,
Gordon, Chen, Griffiths, Ahmad and Walton, "Understanding waiting lists pressures", medRxiv 2022,
doi:10.1101/2022.08.23.22279117.

Names drop the package's ``calc_`` prefix (a workbench function is named after what it returns)
and keep its arguments, their order and their defaults, so ``calc_target_queue_size(30, 52, 4)``
in R is ``target_queue_size(30, 52, 4)`` here. Rates are per week and waits in weeks (any unit
will do, so long as all arguments share it). Each function takes numbers or arrays and returns a
float for numbers, an array (broadcast) for arrays.

The *factor* divides the target wait to give the mean wait to aim for. If waits are exponential,
the share waiting longer than the target is ``e^-factor``, so a factor of 4 keeps about 98.2%
within the target; :func:`factor_for_percentile` gives the factor for a stated share.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from workbench.errors import WorkbenchError

__all__ = [
    "STANDARD_18_WEEKS",
    "STANDARD_52_WEEKS",
    "factor_for_percentile",
    "queue_load",
    "relief_capacity",
    "share_within_target",
    "target_capacity",
    "target_mean_wait",
    "target_queue_size",
    "waiting_list_pressure",
]

#: The 18-week aspiration: 92% of the list waiting 18 weeks or less (measures.md section 8).
STANDARD_18_WEEKS = (18.0, 0.92)
#: The 52-week standard: 99% of the list waiting 52 weeks or less (measures.md section 8).
STANDARD_52_WEEKS = (52.0, 0.99)


def _numbers(name: str, value: Any) -> np.ndarray:
    """``value`` as a float array; WorkbenchError naming the argument if it is not numeric."""
    try:
        arr = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        raise WorkbenchError(
            f"{name} must be a number or an array of numbers, not {type(value).__name__}; "
            "pass it as a number"
        ) from None
    return arr


def _positive(name: str, arr: np.ndarray) -> np.ndarray:
    if np.any(arr <= 0):
        raise WorkbenchError(f"{name} must be above zero: it divides the formula; pass a positive")
    return arr


def _out(result: np.ndarray) -> Any:
    return float(result) if result.ndim == 0 else result


def queue_load(demand: Any, capacity: Any) -> Any:
    """The queue load: ``demand / capacity`` (NHSRwaitinglist ``calc_queue_load``).

    The number of arrivals for each patient who leaves the list. A load of 1 or more means the
    list grows without bound; below 1 it settles. measures.md section 8.
    """
    d = _numbers("demand", demand)
    c = _positive("capacity", _numbers("capacity", capacity))
    return _out(d / c)


def target_mean_wait(target_wait: Any, factor: Any = 4) -> Any:
    """The mean wait to aim for: ``target_wait / factor`` (``calc_target_mean_wait``).

    With exponential waits, a mean of ``target_wait / factor`` leaves ``e^-factor`` of the list
    past the target (factor 4: about 1.8%; factor 6: about 0.25%). measures.md section 8.
    """
    w = _numbers("target_wait", target_wait)
    f = _positive("factor", _numbers("factor", factor))
    return _out(w / f)


def target_queue_size(demand: Any, target_wait: Any, factor: Any = 4) -> Any:
    """The list size to aim for: ``demand * target_wait / factor`` (``calc_target_queue_size``).

    Little's law: a list in steady state holds demand x mean wait, and the mean wait to aim for
    is :func:`target_mean_wait`. Meaningful only where capacity exceeds demand. measures.md
    section 8.
    """
    d = _numbers("demand", demand)
    return _out(d * np.asarray(target_mean_wait(target_wait, factor)))


def relief_capacity(
    demand: Any,
    queue_size: Any,
    target_queue_size: Any,
    time_to_target: Any = 26,
    num_referrals: Any = 0,
    cv_demand: Any = 0,
) -> Any:
    """The capacity that brings the list to its target size in ``time_to_target`` weeks
    (``calc_relief_capacity``): ``demand + (queue_size - target_queue_size) / time_to_target``.

    Relief is needed where the list is more than twice its target size. Where the demand is an
    estimate from ``num_referrals`` referrals with coefficient of variation ``cv_demand``, the
    package first raises it to ``demand / (1 - 2 * demand * cv_demand / sqrt(num_referrals))``
    (when that divisor is positive); with ``num_referrals = 0`` (the default) demand is used as
    given. measures.md section 8.
    """
    d = _numbers("demand", demand)
    q = _numbers("queue_size", queue_size)
    tq = _numbers("target_queue_size", target_queue_size)
    t = _positive("time_to_target", _numbers("time_to_target", time_to_target))
    n = _numbers("num_referrals", num_referrals)
    cv = _numbers("cv_demand", cv_demand)
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = 2 * d * cv / np.sqrt(np.where(n > 0, n, 1.0))
        raised = np.where((n > 0) & (margin < 1), d / (1 - margin), d)
    return _out(raised + (q - tq) / t)


def target_capacity(
    demand: Any, target_wait: Any, factor: Any = 4, cv_demand: Any = 1, cv_capacity: Any = 1
) -> Any:
    """The capacity that holds the mean wait at ``target_wait / factor`` (``calc_target_capacity``):
    ``demand + ((cv_demand^2 + cv_capacity^2) / 2) * (factor / target_wait)``.

    Kingman's approximation for a queue with variable arrivals (``cv_demand``, the coefficient of
    variation of the time between arrivals) and variable service (``cv_capacity``); both are 1
    for random (Poisson) arrivals and removals. measures.md section 8.
    """
    d = _numbers("demand", demand)
    w = _positive("target_wait", _numbers("target_wait", target_wait))
    f = _numbers("factor", factor)
    cd = _numbers("cv_demand", cv_demand)
    cc = _numbers("cv_capacity", cv_capacity)
    return _out(d + ((cd**2 + cc**2) / 2) * (f / w))


def waiting_list_pressure(mean_wait: Any, target_wait: Any) -> Any:
    """The pressure on a list: ``2 * mean_wait / target_wait`` (``calc_waiting_list_pressure``).

    Below 1 the list is likely to meet its target; above 1 it is likely to miss it.
    measures.md section 8.
    """
    m = _numbers("mean_wait", mean_wait)
    w = _positive("target_wait", _numbers("target_wait", target_wait))
    return _out(2 * m / w)


def factor_for_percentile(percentile: float) -> float:
    """The factor that keeps ``percentile`` of an exponential list within its target:
    ``-ln(1 - percentile)``.

    92% within 18 weeks gives 2.53; 99% within 52 weeks gives 4.61. measures.md section 8.
    """
    p = float(_numbers("percentile", percentile))
    if not 0 < p < 1:
        raise WorkbenchError(
            f"percentile must be a share between 0 and 1 (0.92 for 92%), not {p:g}"
        )
    return -math.log1p(-p)


def share_within_target(factor: float) -> float:
    """The share of an exponential list within its target for a factor: ``1 - e^-factor``
    (factor 4: 0.9817). measures.md section 8."""
    f = float(_numbers("factor", factor))
    return -math.expm1(-f)
