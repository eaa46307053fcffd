"""Data quality measures (MEASURES.md section 2): item quality, ethnicity and deprivation in
detail, Core20PLUS5 readiness, a DQMI-style provider score and the rejects from ingest."""

from workbench.measures.dq.core20plus5 import (
    clinical_area_coding,
    core20plus5_readiness,
    primary_diagnosis_coding,
)
from workbench.measures.dq.deprivation import deprivation_quality
from workbench.measures.dq.dqmi import dqmi_item_scores, dqmi_scores
from workbench.measures.dq.ethnicity import ethnicity_quality
from workbench.measures.dq.items import item_quality
from workbench.measures.dq.rejects import rejects_by_reason

__all__ = [
    "clinical_area_coding",
    "core20plus5_readiness",
    "deprivation_quality",
    "dqmi_item_scores",
    "dqmi_scores",
    "ethnicity_quality",
    "item_quality",
    "primary_diagnosis_coding",
    "rejects_by_reason",
]
