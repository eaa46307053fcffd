"""Days as integers (days since 1970-01-01) and how events map to submission dates."""

from __future__ import annotations

from datetime import date

import numpy as np

#: Marks a missing date or time in the integer columns.
MISSING = -1

_EPOCH = date(1970, 1, 1)


def day_number(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - _EPOCH).days


def add_months(d: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``d``."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_index(days: np.ndarray, start_day: int) -> np.ndarray:
    """Whole calendar months between the month of ``start_day`` and the month of each day."""
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    start = np.datetime64(start_day, "D").astype("datetime64[M]").astype(np.int64)
    return months - start


def submission_day(event_days: np.ndarray, cadence: str) -> np.ndarray:
    """The submission date of a state change on each day: the next day (daily) or the first day
    of the next month (monthly)."""
    if cadence == "daily":
        return event_days + 1
    months = event_days.astype("datetime64[D]").astype("datetime64[M]") + 1
    return months.astype("datetime64[D]").astype(np.int64)


def yyyymmdd(day: int) -> str:
    """A day number as YYYYMMDD text (file names)."""
    return str(np.datetime64(int(day), "D")).replace("-", "")
