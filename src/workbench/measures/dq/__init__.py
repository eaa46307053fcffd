"""Data quality measures (measures.md section 2): item quality, ethnicity and deprivation in
detail, Core20PLUS5 readiness, a DQMI-style provider score and the rejects from ingest.

Each measure is declared once in :data:`MEASURES` (:mod:`workbench.measures.registry`); the
person-based ones read the person and pathway facts, item quality the store's tables.
"""

from workbench.measures.dq.core20plus5 import (
    CLINICAL_AREAS,
    CORE20PLUS5,
    clinical_area_coding,
    core20plus5_readiness,
    primary_diagnosis_coding,
)
from workbench.measures.dq.deprivation import DEPRIVATION, deprivation_quality
from workbench.measures.dq.dqmi import DQMI, dqmi_item_scores, dqmi_scores
from workbench.measures.dq.ethnicity import ETHNICITY, ethnicity_quality
from workbench.measures.dq.items import ITEMS, item_quality
from workbench.measures.dq.linkage import (
    LINKAGE_COUNCILS,
    LINKAGE_PROVIDERS,
    linkage_quality_councils,
    linkage_quality_providers,
)
from workbench.measures.dq.rejects import REJECTS, rejects_by_reason
from workbench.measures.dq.submissions import SUBMISSIONS, submission_coverage

MEASURES = (
    ETHNICITY,
    DEPRIVATION,
    CORE20PLUS5,
    CLINICAL_AREAS,
    ITEMS,
    DQMI,
    REJECTS,
    SUBMISSIONS,
    LINKAGE_COUNCILS,
    LINKAGE_PROVIDERS,
)

__all__ = [
    "MEASURES",
    "clinical_area_coding",
    "core20plus5_readiness",
    "deprivation_quality",
    "dqmi_item_scores",
    "dqmi_scores",
    "ethnicity_quality",
    "item_quality",
    "linkage_quality_councils",
    "linkage_quality_providers",
    "primary_diagnosis_coding",
    "rejects_by_reason",
    "submission_coverage",
]
