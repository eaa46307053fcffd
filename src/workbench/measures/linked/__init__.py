"""Linked pathway measures (measures.md section 9): community health services, acute hospitals
and adult social care (CLD) linked on the pseudonymised person alone.

Each measure is declared once in :data:`MEASURES` (:mod:`workbench.measures.registry`) and reads
the linked facts (:mod:`workbench.facts.transitions`, :mod:`workbench.facts.reablement`,
:mod:`workbench.facts.social_care`). The two linkage quality measures are data quality measures
(:mod:`workbench.measures.dq.linkage`).
"""

from workbench.measures.linked.after_ucr import AFTER_UCR, linked_after_ucr
from workbench.measures.linked.both import BOTH, people_with_both_services
from workbench.measures.linked.discharge import (
    DISCHARGE_TO_SERVICE,
    SERVICE_CURVE,
    discharge_to_social_care,
    time_to_social_care_curve,
)
from workbench.measures.linked.reablement import (
    AT_HOME,
    COVERAGE,
    reablement_at_home,
    reablement_coverage,
)
from workbench.measures.linked.transitions import TRANSITIONS, pathway_transitions

MEASURES = (AFTER_UCR, DISCHARGE_TO_SERVICE, SERVICE_CURVE, AT_HOME, COVERAGE, BOTH, TRANSITIONS)

__all__ = [
    "MEASURES",
    "discharge_to_social_care",
    "linked_after_ucr",
    "pathway_transitions",
    "people_with_both_services",
    "reablement_at_home",
    "reablement_coverage",
    "time_to_social_care_curve",
]
