"""Planning a waiting list (measures.md section 8): queueing formulas and a simulation.

The formulas are those of the R package NHSRwaitinglist (Fong, Walton et al., "Understanding
waiting lists pressures", medRxiv 2022), named without the package's ``calc_`` prefix and with
its arguments in its order (:mod:`workbench.planning.formulas`). The simulation projects the
actual list at a census date, record by record, under a capacity plan
(:func:`simulate_waiting_list`), and answers the inverse question, the weekly capacity that
clears long waits by a date (:func:`capacity_to_clear`). What a plan starts from, the list at the
census date and the weekly rates of referrals and removals, and the formulas' answers for one list
come from :mod:`workbench.planning.inputs`.
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
from .inputs import (
    FormulaAnswers,
    WeeklyRates,
    formula_answers,
    list_at_census,
    waits_from_bands,
    weekly_rates,
)
from .simulation import Projection, project_waiting_list, simulate_waiting_list

__all__ = [
    "STANDARD_18_WEEKS",
    "STANDARD_52_WEEKS",
    "FormulaAnswers",
    "Projection",
    "WeeklyRates",
    "capacity_to_clear",
    "factor_for_percentile",
    "formula_answers",
    "list_at_census",
    "project_waiting_list",
    "queue_load",
    "relief_capacity",
    "share_within_target",
    "simulate_waiting_list",
    "target_capacity",
    "target_mean_wait",
    "target_queue_size",
    "waiting_list_pressure",
    "waits_from_bands",
    "weekly_rates",
]
