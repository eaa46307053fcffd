"""Outcome measures (measures.md section 5), one measure family per module.

* :func:`paired_assessments` (``assessments``): paired first/last scored assessments.
* :func:`contact_outcomes` (``contacts``): attended, DNA, cancelled and the DNA rate.
* :func:`inpatient_stays`, :func:`discharge_destinations` (``inpatients``): community
  inpatient spells.
* :func:`ucr_follow_on_admissions` (``ucr_follow_on``): emergency acute admissions after UCR.
* :func:`rates_by_inequality_group`, :func:`inequality_summary`, :func:`rate_by_group`
  (``inequality``): each rate by IMD decile, quintile and ethnic group, and the SII/RII.

Every measure takes the store, the period and ``by=`` breakdowns (the standard ones plus
``imd_decile``; the inequality measures take none), reads a record-level fact
(:mod:`workbench.facts`: ``assessment_pairs``, ``contact_counts``, ``spells``, ``ucr_clocks``),
reduces it on the engine for every grouping set in one pass and returns a tidy pandas frame
that keeps "Not known" rows. :data:`MEASURES` declares them for the measure registry.
"""

from workbench.measures.outcomes.assessments import ASSESSMENTS, paired_assessments
from workbench.measures.outcomes.contacts import CONTACTS, contact_outcomes
from workbench.measures.outcomes.inequality import (
    INEQUALITY,
    INEQUALITY_RATES,
    RATES,
    inequality_summary,
    rate_by_group,
    rates_by_inequality_group,
)
from workbench.measures.outcomes.inpatients import (
    DESTINATIONS,
    INPATIENT_STAYS,
    discharge_destinations,
    inpatient_stays,
)
from workbench.measures.outcomes.ucr_follow_on import FOLLOW_ON, ucr_follow_on_admissions

#: Every outcome measure, in the order compute writes their tables.
MEASURES = (
    ASSESSMENTS,
    CONTACTS,
    INPATIENT_STAYS,
    DESTINATIONS,
    FOLLOW_ON,
    INEQUALITY_RATES,
    INEQUALITY,
)

__all__ = [
    "MEASURES",
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
