"""Planning a waiting list (measures.md section 8): queueing formulas and a simulation.

The formulas are those of the R package NHSRwaitinglist (Fong, Walton et al., "Understanding
waiting lists pressures", medRxiv 2022), named without the package's ``calc_`` prefix and with
its arguments in its order (:mod:`workbench.planning.formulas`). The simulation projects the
actual list at a census date, record by record, under a capacity plan
(:func:`simulate_waiting_list`), and answers the inverse question, the weekly capacity that
clears long waits by a date (:func:`capacity_to_clear`).
"""

from .clearing import capacity_to_clear
from .formulas import (
    STANDARD_18_WEEKS,
    STANDARD_52_WEEKS,
    factor_for_percentile,
    queue_load,
    relief_capacity,
    share_within_target,
    target_capacity,
    target_mean_wait,
    target_queue_size,
    waiting_list_pressure,
)
from .simulation import Projection, project_waiting_list, simulate_waiting_list

__all__ = [
    "STANDARD_18_WEEKS",
    "STANDARD_52_WEEKS",
    "Projection",
    "capacity_to_clear",
    "factor_for_percentile",
    "project_waiting_list",
    "queue_load",
    "relief_capacity",
    "share_within_target",
    "simulate_waiting_list",
    "target_capacity",
    "target_mean_wait",
    "target_queue_size",
    "waiting_list_pressure",
]
