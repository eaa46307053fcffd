"""Linked acute admissions: after UCR responses (~5% within 2 days, ~12% within 30) and
background emergency and elective admissions of the provider's other persons, each with its
length of stay (``ACUTE_STAY`` in :mod:`workbench.synthetic.calibration`).

An admission is one record, keyed by provider, person and admission date. It is sent in the file
after the admission, with its discharge date when the person has left by then; an admission
still open in that file is sent again, with its discharge date, in the file after the discharge.
An admission still open at the extract's end has no discharge date."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.spec.service_lines import UCR_TEAM_TYPE
from workbench.synthetic import calibration as cal
from workbench.synthetic.dates import MISSING, submission_day
from workbench.synthetic.sampling import lognormal_days


def make_admissions(
    rng: np.random.Generator,
    ref: pd.DataFrame,
    person_group: np.ndarray,
    person_rows: np.ndarray,
    start_day: int,
    end_day: int,
) -> pd.DataFrame:
    """Admissions (``prow``, ``admission_date``, ``admission_method``, ``discharge_date``) in
    [start_day, end_day) for the given persons (rows of the persons frame) and their UCR
    referrals. The discharge date may fall after ``end_day``; the lengths of stay are drawn
    last, so the admissions are those drawn before stays existed."""
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
    adm = adm.sort_values(["admission_date", "prow"], kind="stable", ignore_index=True)
    stay = lengths_of_stay(
        rng, adm["admission_method"].to_numpy(), person_group[adm["prow"].to_numpy()]
    )
    return adm.assign(discharge_date=adm["admission_date"].to_numpy() + stay)


def lengths_of_stay(rng: np.random.Generator, method: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Whole days from admission to discharge for admissions of the given method ('emergency'
    or 'elective') and age group (0 = 0-18, 1 = 19-64, 2 = 65+): the floor of a lognormal of
    ``cal.ACUTE_STAY[method][group]``, cut at ``cal.ACUTE_STAY_MAX_DAYS``; a share
    ``cal.ELECTIVE_DAY_CASE`` of elective admissions are day cases (0 days)."""
    n = len(method)
    median = np.empty(n)
    sigma = np.empty(n)
    for kind, by_group in cal.ACUTE_STAY.items():
        for g, name in enumerate(cal.AGE_GROUPS):
            mask = (method == kind) & (group == g)
            median[mask], sigma[mask] = by_group[name]
    days = np.minimum(lognormal_days(rng, median, sigma), cal.ACUTE_STAY_MAX_DAYS)
    day_case = (method == "elective") & (rng.random(n) < cal.ELECTIVE_DAY_CASE)
    return np.where(day_case, 0, days).astype(np.int64)


def discharge_states(
    rows: pd.DataFrame, key: list[str], cadence: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The admissions' dated rows (``_sub`` set, one version per admission with its true
    ``discharge_date``, MISSING when after the extract's end) with ``discharge_date`` as each
    row's file knows it: the discharge when it came before the file's date, else empty. And the
    updates: for each admission discharged after its last row's file, a row in the file after
    the discharge (none where a later re-send carries the discharge already)."""
    out = rows.copy()
    discharge = out["discharge_date"].to_numpy()
    known = (discharge != MISSING) & (discharge < out["_sub"].to_numpy())
    out["discharge_date"] = np.where(known, discharge, MISSING)
    last_rows = ~out.duplicated(key, keep="last").to_numpy()
    later = last_rows & (discharge != MISSING) & ~known
    updates = out[later].assign(discharge_date=discharge[later])
    updates["_sub"] = submission_day(discharge[later], cadence)
    return out, updates.reset_index(drop=True)


def merged_by_file(
    text: dict[str, np.ndarray | pa.Array],
    sub: np.ndarray,
    more_text: dict[str, np.ndarray | pa.Array],
    more_sub: np.ndarray,
) -> tuple[dict[str, pa.Array], np.ndarray]:
    """Two sets of text rows as one, ordered by file date (each set's order kept within a file,
    the first set's rows first)."""

    def _table(columns: dict[str, np.ndarray | pa.Array]) -> pa.Table:
        return pa.table(
            {
                k: v if isinstance(v, pa.Array) else pa.array(v, type=pa.string())
                for k, v in columns.items()
            }
        )

    both = pa.concat_tables([_table(text), _table(more_text)])
    days = np.concatenate([np.asarray(sub, dtype=np.int64), np.asarray(more_sub, dtype=np.int64)])
    order = np.argsort(days, kind="stable")
    taken = both.take(pa.array(order))
    return {k: pc.cast(taken[k], pa.string()).combine_chunks() for k in text}, days[order]
