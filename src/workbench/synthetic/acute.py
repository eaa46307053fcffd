"""Linked acute admissions: after UCR responses (~5% within 2 days, ~12% within 30) and
background emergency and elective admissions of the provider's other persons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.spec.service_lines import UCR_TEAM_TYPE
from workbench.synthetic import calibration as cal


def make_admissions(
    rng: np.random.Generator,
    ref: pd.DataFrame,
    person_group: np.ndarray,
    person_rows: np.ndarray,
    start_day: int,
    end_day: int,
) -> pd.DataFrame:
    """Admissions (``prow``, ``admission_date``, ``admission_method``) in [start_day, end_day)
    for the given persons (rows of the persons frame) and their UCR referrals."""
    ucr = ref[ref["line"] == UCR_TEAM_TYPE]
    u = rng.random(len(ucr))
    soon = u < cal.UCR_ADMIT_2D
    later = (u >= cal.UCR_ADMIT_2D) & (u < cal.UCR_ADMIT_2D + cal.UCR_ADMIT_3_30D)
    offset = np.where(soon, rng.integers(0, 3, len(ucr)), rng.integers(3, 31, len(ucr)))
    pick = soon | later
    after_ucr = pd.DataFrame(
        {
            "prow": ucr["prow"].to_numpy()[pick],
            "admission_date": ucr["received_day"].to_numpy()[pick] + offset[pick],
            "admission_method": "emergency",
        }
    )
    years = (end_day - start_day) / 365.25
    parts = [after_ucr]
    for m, method in enumerate(("emergency", "elective")):
        rates = np.array([cal.ACUTE_RATES[g][m] for g in cal.AGE_GROUPS])[person_group[person_rows]]
        counts = rng.poisson(rates * years)
        rows = np.repeat(person_rows, counts)
        parts.append(
            pd.DataFrame(
                {
                    "prow": rows,
                    "admission_date": rng.integers(start_day, end_day, len(rows)),
                    "admission_method": method,
                }
            )
        )
    adm = pd.concat(parts, ignore_index=True)
    adm = adm[(adm["admission_date"] >= start_day) & (adm["admission_date"] < end_day)]
    adm = adm.drop_duplicates(["prow", "admission_date"], keep="first")
    return adm.sort_values(["admission_date", "prow"], kind="stable", ignore_index=True)
