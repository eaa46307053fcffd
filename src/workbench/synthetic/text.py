"""Turning internal typed columns into the exact text a provider file carries.

Dates YYYY-MM-DD, times HH:MM:SS, ints as plain integers, floats without trailing noise,
missing values as None (an empty CSV field, a parquet null).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.spec.model import Table
from workbench.synthetic.dates import MISSING

_TIMES = np.array([f"{m // 60:02d}:{m % 60:02d}:00" for m in range(1440)], dtype=object)


def date_text(days: np.ndarray) -> np.ndarray:
    """Day numbers as 'YYYY-MM-DD' (None where missing)."""
    days = np.asarray(days, dtype=np.int64)
    out = np.full(len(days), None, dtype=object)
    ok = days != MISSING
    out[ok] = np.datetime_as_string(days[ok].astype("datetime64[D]"), unit="D").astype(object)
    return out


def time_text(minutes: np.ndarray) -> np.ndarray:
    """Minutes after midnight as 'HH:MM:SS' (None where missing)."""
    minutes = np.asarray(minutes, dtype=np.int64)
    out = np.full(len(minutes), None, dtype=object)
    ok = minutes != MISSING
    out[ok] = _TIMES[minutes[ok] % 1440]
    return out


def int_text(values: np.ndarray) -> np.ndarray:
    """Integers as plain text (None where missing)."""
    values = np.asarray(values, dtype=np.int64)
    out = values.astype(str).astype(object)
    out[values == MISSING] = None
    return out


def float_text(values: np.ndarray) -> np.ndarray:
    """Floats with no trailing noise: '12', '2.5' (None where NaN)."""
    values = np.asarray(values, dtype=float)
    out = np.full(len(values), None, dtype=object)
    ok = ~np.isnan(values)
    whole = ok & (values == np.round(values))
    out[whole] = values[whole].astype(np.int64).astype(str).astype(object)
    frac = ok & ~whole
    out[frac] = np.char.mod("%.1f", values[frac]).astype(object)
    return out


def code_text(values: np.ndarray) -> np.ndarray:
    """Strings as they are; '' and None become None."""
    out = np.asarray(values, dtype=object).copy()
    out[pd.isna(out) | (out == "")] = None
    return out


def to_text(frame: pd.DataFrame, table: Table) -> dict[str, np.ndarray]:
    """The spec columns of ``frame`` as text arrays, in spec order."""
    convert = {"date": date_text, "time": time_text, "int": int_text, "float": float_text}
    return {
        col.name: convert.get(col.dtype, code_text)(frame[col.name].to_numpy())
        for col in table.columns
    }
