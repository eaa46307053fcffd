"""Diagnosis codes that fall in a Core20PLUS5 clinical area (measures.md section 2).

The five adult areas (maternity, severe mental illness, chronic respiratory disease, early cancer
diagnosis, hypertension) and the five children and young people's areas (asthma, diabetes,
epilepsy, oral health, mental health) are NHS England's (sources.md 2d). The code-to-area mapping
is the project's own: ICD-10 by three-character category, SNOMED CT by a short list of common
concepts. It decides only which recorded diagnoses are counted in an area; it is not a clinical
code set and is meant to be replaced by the one an ICB uses.
"""

from __future__ import annotations

ADULT_AREAS = (
    "Maternity",
    "Severe mental illness",
    "Chronic respiratory disease",
    "Early cancer diagnosis",
    "Hypertension",
)
CYP_AREAS = ("Asthma", "Diabetes", "Epilepsy", "Oral health", "Mental health")

#: ICD-10 three-character category prefixes -> (adult area, CYP area); either may be None.
ICD10_AREAS: dict[str, tuple[str | None, str | None]] = {
    **{f"O{i:02d}": ("Maternity", None) for i in range(100)},
    **{f"F{i:02d}": ("Severe mental illness", "Mental health") for i in range(20, 32)},
    **{f"F{i:02d}": (None, "Mental health") for i in (32, 33, 40, 41, 43, 50, 84, 90, 91, 93)},
    **{f"J{i:02d}": ("Chronic respiratory disease", None) for i in (41, 42, 43, 44, 47, 84)},
    "J45": ("Chronic respiratory disease", "Asthma"),
    "J46": ("Chronic respiratory disease", "Asthma"),
    **{f"C{i:02d}": ("Early cancer diagnosis", None) for i in range(100)},
    **{f"I{i:02d}": ("Hypertension", None) for i in range(10, 16)},
    **{f"E{i:02d}": (None, "Diabetes") for i in range(10, 15)},
    "G40": (None, "Epilepsy"),
    "G41": (None, "Epilepsy"),
    **{f"K{i:02d}": (None, "Oral health") for i in range(0, 15)},
}

#: SNOMED CT concept ids -> (adult area, CYP area).
SNOMED_AREAS: dict[str, tuple[str | None, str | None]] = {
    "77386006": ("Maternity", None),  # pregnancy
    "58214004": ("Severe mental illness", "Mental health"),  # schizophrenia
    "13746004": ("Severe mental illness", "Mental health"),  # bipolar disorder
    "35489007": (None, "Mental health"),  # depressive disorder
    "13645005": ("Chronic respiratory disease", None),  # chronic obstructive lung disease
    "195967001": ("Chronic respiratory disease", "Asthma"),  # asthma
    "363346000": ("Early cancer diagnosis", None),  # malignant neoplastic disease
    "38341003": ("Hypertension", None),  # hypertensive disorder
    "46635009": (None, "Diabetes"),  # type 1 diabetes mellitus
    "44054006": (None, "Diabetes"),  # type 2 diabetes mellitus
    "84757009": (None, "Epilepsy"),  # epilepsy
    "80967001": (None, "Oral health"),  # dental caries
}


def clinical_area(scheme: str, code: str, cyp: bool) -> str | None:
    """The Core20PLUS5 clinical area of a diagnosis, or None when it is in none of them.

    ``cyp`` selects the children and young people's areas (age 0-18) instead of the adult ones.
    ICD-10 codes are matched on their first three characters, SNOMED CT on the whole concept id.
    """
    if scheme == "ICD10":
        areas = ICD10_AREAS.get(code[:3].upper())
    elif scheme == "SNOMED":
        areas = SNOMED_AREAS.get(code)
    else:
        areas = None
    if areas is None:
        return None
    return areas[1] if cyp else areas[0]
