"""Diagnoses recorded against referrals: a primary for ~45%, sometimes a secondary; mostly
ICD-10, some SNOMED CT; a realistic minority in the Core20PLUS5 clinical areas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.synthetic import calibration as cal
from workbench.synthetic.sampling import choose


def _draw_codes(rng: np.random.Generator, lines: np.ndarray, cyp: np.ndarray) -> np.ndarray:
    codes = np.where(
        cyp,
        choose(rng, cal.DIAGNOSES_CYP, len(lines)),
        choose(rng, cal.DIAGNOSES_ADULT, len(lines)),
    ).astype(object)
    specific = rng.random(len(lines)) < 0.7
    for line, pool in cal.DIAGNOSES_BY_LINE.items():
        mask = (lines == line) & specific
        codes[mask] = choose(rng, pool, int(mask.sum()))
    return codes


def make_diagnoses(rng: np.random.Generator, ref: pd.DataFrame) -> pd.DataFrame:
    """Diagnosis rows (internal types) for the referrals; the date is the first attended contact,
    or the received date for referrals not (yet) seen."""
    n = len(ref)
    has = rng.random(n) < cal.PRIMARY_DIAGNOSIS
    second = has & (rng.random(n) < cal.SECONDARY_DIAGNOSIS)
    lines = ref["line"].to_numpy()
    cyp = ref["group"].to_numpy() == 0
    day = np.where(ref["seen"], ref["stop_day"], ref["received_day"])
    parts = []
    for primary, mask in ((1, has), (0, second)):
        idx = np.flatnonzero(mask)
        parts.append(
            pd.DataFrame(
                {
                    "rnum": ref["rnum"].to_numpy()[idx],
                    "referral_id": ref["referral_id"].to_numpy()[idx],
                    "diagnosis_code": _draw_codes(rng, lines[idx], cyp[idx]),
                    "diagnosis_date": day[idx],
                    "primary": np.full(len(idx), primary, dtype=np.int64),
                }
            )
        )
    dx = pd.concat(parts, ignore_index=True)
    snomed = dx["diagnosis_code"].map(cal.SNOMED_FOR)
    use = snomed.notna() & (rng.random(len(dx)) < cal.SNOMED_SHARE * 2.5)
    dx["diagnosis_scheme"] = np.where(use, "SNOMED", "ICD10").astype(object)
    dx.loc[use, "diagnosis_code"] = snomed[use]
    dx = dx.sort_values(["rnum", "primary"], ascending=[True, False], kind="stable")
    return dx.drop_duplicates(["rnum", "diagnosis_scheme", "diagnosis_code"], keep="first")
