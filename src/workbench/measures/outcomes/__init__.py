"""Outcome measures (MEASURES.md section 5), one measure family per module.

* :func:`paired_assessments` (``assessments``): paired first/last scored assessments.
* :func:`contact_outcomes` (``contacts``): attended, DNA, cancelled and the DNA rate.
* :func:`inpatient_stays`, :func:`discharge_destinations` (``inpatients``): community
  inpatient spells.
* :func:`ucr_follow_on_admissions` (``ucr_follow_on``): emergency acute admissions after UCR.
* :func:`rates_by_inequality_group`, :func:`inequality_summary`, :func:`rate_by_group`
  (``inequality``): each rate by IMD decile, quintile and ethnic group, and the SII/RII.

Every measure takes the store, the period and ``by=`` breakdowns (the standard ones plus
``imd_decile``), builds portable Ibis expressions (rules in ``_common``), reduces on the engine
and returns a tidy pandas frame that keeps "Not known" rows.
"""

from workbench.measures.outcomes.assessments import paired_assessments
from workbench.measures.outcomes.contacts import contact_outcomes
from workbench.measures.outcomes.inequality import (
    RATES,
    inequality_summary,
    rate_by_group,
    rates_by_inequality_group,
)
from workbench.measures.outcomes.inpatients import discharge_destinations, inpatient_stays
from workbench.measures.outcomes.ucr_follow_on import ucr_follow_on_admissions

__all__ = [
    "RATES",
    "contact_outcomes",
    "discharge_destinations",
    "inequality_summary",
    "inpatient_stays",
    "paired_assessments",
    "rate_by_group",
    "rates_by_inequality_group",
    "ucr_follow_on_admissions",
]
