"""Community inpatient spells (daily flow, not CSDS): admitted from rehabilitation bed-based
referrals, length of stay ~3 weeks, ~40% delayed after the discharge-ready date, ~8%
readmitted within 30 days."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.spec.service_lines import BED_BASED_TEAM_TYPE
from workbench.synthetic import calibration as cal
from workbench.synthetic.sampling import choose


def _stay(rng: np.random.Generator, admission: np.ndarray) -> dict[str, np.ndarray]:
    n = len(admission)
    ready = admission + np.maximum(
        1,
        np.round(cal.LOS_READY_MEDIAN_DAYS * np.exp(cal.LOS_READY_SIGMA * rng.standard_normal(n))),
    ).astype(np.int64)
    delayed = rng.random(n) < cal.DELAYED_SHARE
    delay = np.maximum(
        1, np.round(cal.DELAY_MEDIAN_DAYS * np.exp(cal.DELAY_SIGMA * rng.standard_normal(n)))
    )
    discharge = ready + np.where(delayed, delay, 0).astype(np.int64)
    return {
        "admission_date": admission,
        "discharge_ready_date": ready,
        "discharge_date": discharge,
        "discharge_destination": choose(rng, cal.DISCHARGE_DESTINATIONS, n),
    }


def make_spells(rng: np.random.Generator, ref: pd.DataFrame) -> pd.DataFrame:
    """Spells (internal types, ``prow`` = person row) for seen bed-based referrals, plus
    readmissions; sorted and numbered by admission."""
    beds = ref[(ref["line"] == BED_BASED_TEAM_TYPE) & ref["seen"]]
    first = pd.DataFrame(
        {"prow": beds["prow"].to_numpy(), **_stay(rng, beds["stop_day"].to_numpy())}
    )
    again = first[rng.random(len(first)) < cal.READMISSION_30D]
    readmit = pd.DataFrame(
        {
            "prow": again["prow"].to_numpy(),
            **_stay(rng, again["discharge_date"].to_numpy() + rng.integers(1, 31, len(again))),
        }
    )
    spells = pd.concat([first, readmit], ignore_index=True)
    return spells.sort_values(["admission_date", "prow"], kind="stable", ignore_index=True)


def spell_extended_days(spells: pd.DataFrame) -> np.ndarray:
    """The discharge date of each spell (so a referral is not closed before its spell ends)."""
    return spells["discharge_date"].to_numpy()
