"""From record versions to submission files: change-log dating, duplicates and bad dates.

Every record version has an event day (when its state changed). With the daily cadence the
version goes in the file dated the next day; with the monthly cadence in the file dated the first
day of the next month. Within one file a record appears once, in its state at the end of the
day or month. Versions before period start go in the first file; versions after it are dropped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.synthetic.codes import replace_values
from workbench.synthetic.dates import month_index, submission_day
from workbench.synthetic.defects import DefectModel


def date_submissions(
    versions: pd.DataFrame, key: list[str], cadence: str, start_day: int, end_day: int
) -> pd.DataFrame:
    """Versions with a ``_sub`` (submission day) column, one row per key per submission."""
    event = np.maximum(versions["_event"].to_numpy(), start_day)
    keep = event < end_day
    out = versions[keep].copy()
    out["_event"] = event[keep]
    out["_sub"] = submission_day(out["_event"].to_numpy(), cadence)
    out = out.sort_values(["_sub", *key, "_seq"], kind="stable")
    return out.drop_duplicates(["_sub", *key], keep="last").reset_index(drop=True)


def add_resubmissions(
    rows: pd.DataFrame,
    key: list[str],
    model: DefectModel,
    rng: np.random.Generator,
    cadence: str,
    start_day: int,
    end_day: int,
    correct: tuple[str, dict[str, str], str] | None = None,
) -> pd.DataFrame:
    """A share of rows sent again in a later file (same key). Only a record's final version is
    re-sent, so the re-send never undoes a later change. ``correct`` = (column, wrong value by
    true value, fallback wrong value): for some re-sends the first copy carried a wrong value
    that the re-send corrects."""
    if rows.empty:
        return rows
    final = ~rows.duplicated(key, keep="last").to_numpy()
    sub = rows["_sub"].to_numpy()
    eligible = final & (sub < end_day)
    n_eligible = int(eligible.sum())
    if n_eligible == 0:
        return rows
    month = month_index(rows["_event"].to_numpy(), start_day)
    p = model.rate("duplicate_resubmission", month) * len(rows) / n_eligible
    chosen = eligible & (rng.random(len(rows)) < np.clip(p, 0, 1))
    again = rows[chosen].copy()
    if cadence == "daily":
        later = sub[chosen] + rng.integers(1, 31, len(again))
    else:
        months = sub[chosen].astype("datetime64[D]").astype("datetime64[M]")
        later = (months + rng.integers(1, 3, len(again))).astype("datetime64[D]").astype(np.int64)
    again["_sub"] = np.minimum(later, end_day)
    rows = rows.copy()
    if correct is not None:
        column, wrong, fallback = correct
        fix = np.flatnonzero(chosen)[rng.random(len(again)) < 0.3]
        first_copy = [wrong.get(v, fallback) for v in rows[column].to_numpy(dtype=object)[fix]]
        rows[column] = replace_values(rows[column], fix, first_copy)
    out = pd.concat([rows, again], ignore_index=True)
    return out.sort_values(["_sub", *key, "_seq"], kind="stable", ignore_index=True)
