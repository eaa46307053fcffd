"""Persons of one provider: age, gender, ethnicity, residence and how many referrals they get."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.synthetic import calibration as cal
from workbench.synthetic.ids import person_keys
from workbench.synthetic.providers import Provider
from workbench.synthetic.sampling import choose

_AGE_RANGES = {0: (0, 19), 1: (19, 65), 2: (65, 101)}


def _ages(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """Age in years at first referral: children skewed young, 65+ declining after 80."""
    age = np.empty(len(group), dtype=np.int64)
    kids = group == 0
    age[kids] = np.minimum(18, np.floor(rng.gamma(1.6, 4.0, kids.sum()))).astype(np.int64)
    adults = group == 1
    age[adults] = 19 + np.floor(46 * rng.beta(1.6, 1.1, adults.sum())).astype(np.int64)
    old = group == 2
    age[old] = np.minimum(104, 65 + np.floor(rng.gamma(3.0, 5.0, old.sum()))).astype(np.int64)
    return age


def _ethnicity(
    rng: np.random.Generator, region: str, quintile: np.ndarray, group: np.ndarray
) -> np.ndarray:
    """True ethnic category from the regional mix, more diverse in deprived areas and among
    younger people."""
    base = np.array(
        cal.ETHNIC_SHARES_LONDON if region == "London" else cal.ETHNIC_SHARES_ENGLAND, float
    )
    white, other = base[:3].sum(), base[3:] / base[3:].sum()
    non_white = (100 - white) / 100
    age_mult = np.array([cal.NON_WHITE_BY_AGE[g] for g in cal.AGE_GROUPS])[group]
    q_mult = np.array(cal.NON_WHITE_BY_QUINTILE)[quintile - 1]
    p_nw = np.clip(non_white * age_mult * q_mult, 0, 0.9)
    is_nw = rng.random(len(group)) < p_nw
    codes = np.array(cal.ETHNIC_CODES, dtype=object)
    out = codes[rng.choice(3, size=len(group), p=base[:3] / white)]
    out[is_nw] = codes[3 + rng.choice(len(other), size=int(is_nw.sum()), p=other)]
    return out


def make_persons(
    rng: np.random.Generator, provider: Provider, n: int, first_day: int, end_day: int
) -> pd.DataFrame:
    """``n`` persons whose first referral falls uniformly in [first_day, end_day).

    Columns: pnum, person_id (the person key of :func:`~workbench.synthetic.ids.person_keys`),
    group (0 = 0-18, 1 = 19-64, 2 = 65+), dob_day, first_ref_day, n_refs, gender,
    ethnic_category, lsoa (index into the provider's catchment).
    """
    group = rng.choice(3, size=n, p=np.array(cal.PERSON_AGE_SHARES) / sum(cal.PERSON_AGE_SHARES))
    age = _ages(rng, group)
    first = rng.integers(first_day, end_day, size=n)
    dob = first - np.floor(age * 365.25).astype(np.int64) - rng.integers(0, 365, size=n)
    extra = rng.poisson(np.array(cal.REFERRALS_PER_PERSON)[group] - 1.0)
    gender = np.empty(n, dtype=object)
    for g, name in enumerate(cal.AGE_GROUPS):
        mask = group == g
        gender[mask] = choose(
            rng, dict(zip(cal.GENDER_CODES, cal.GENDER_SHARES[name], strict=True)), mask.sum()
        )
    weights = np.array(cal.REFERRAL_WEIGHT_BY_DECILE)[provider.imd_decile - 1]
    lsoa = rng.choice(len(provider.lsoa11), size=n, p=weights / weights.sum())
    quintile = (provider.imd_decile[lsoa] + 1) // 2
    return pd.DataFrame(
        {
            "pnum": np.arange(n, dtype=np.int64),
            "person_id": person_keys(provider.index, np.arange(n)),
            "group": group,
            "dob_day": dob,
            "first_ref_day": first,
            "n_refs": 1 + extra,
            "gender": gender,
            "ethnic_category": _ethnicity(rng, provider.region, quintile, group),
            "lsoa": lsoa,
        }
    )


def age_on(dob_day: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Age in whole years on a day (days / 365.25, floored)."""
    return np.floor((day - dob_day) / 365.25).astype(np.int64)
