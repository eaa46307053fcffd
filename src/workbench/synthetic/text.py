"""Turning internal typed columns into the exact text a provider file carries.

Dates YYYY-MM-DD, times HH:MM:SS, ints as plain integers, floats without trailing noise,
missing values as None (an empty CSV field, a parquet null).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.spec.model import Table
from workbench.synthetic.dates import MISSING
from workbench.synthetic.ids import ID_TEXT

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


_TIMES_ARROW = pa.array(_TIMES, type=pa.string())


def date_text_arrow(days: np.ndarray) -> pa.Array:
    """``date_text`` as an Arrow string array (null where missing), made in Arrow."""
    days = np.asarray(days, dtype=np.int64)
    missing = days == MISSING
    dates = pa.array(np.where(missing, 0, days).astype(np.int32), type=pa.int32())
    text = dates.cast(pa.date32()).cast(pa.string())
    return _nulls_where(text, missing)


def time_text_arrow(minutes: np.ndarray) -> pa.Array:
    """``time_text`` as an Arrow string array (null where missing)."""
    minutes = np.asarray(minutes, dtype=np.int64)
    missing = minutes == MISSING
    return _nulls_where(_TIMES_ARROW.take(pa.array(np.where(missing, 0, minutes) % 1440)), missing)


def int_text_arrow(values: np.ndarray) -> pa.Array:
    """``int_text`` as an Arrow string array (null where missing)."""
    values = np.asarray(values, dtype=np.int64)
    return _nulls_where(pa.array(values).cast(pa.string()), values == MISSING)


def _nulls_where(text: pa.Array, missing: np.ndarray) -> pa.Array:
    if not missing.any():
        return text
    return pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), text)


def code_text(values: np.ndarray) -> np.ndarray:
    """Strings as they are; '' and None become None."""
    out = np.asarray(values, dtype=object).copy()
    out[pd.isna(out) | (out == "")] = None
    return out


def code_text_arrow(values: pd.Series) -> pa.Array:
    """``code_text`` of a column held in pandas' Arrow-backed string storage, done in Arrow
    (no Python string per value): '' and missing become null."""
    array = pa.array(values.array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = array.cast(pa.string())
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def categorical_text(values: pd.Categorical) -> pa.Array:
    """``code_text`` of a coded column (codes.py), made in Arrow from its codes: '' and
    missing become null."""
    codes = np.asarray(values.codes, dtype=np.int32)
    missing = codes < 0
    categories = pa.array(np.asarray(values.categories, dtype=object), type=pa.string())
    text = categories.take(pa.array(np.where(missing, 0, codes)))
    text = _nulls_where(text, missing)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def to_text(frame: pd.DataFrame, table: Table) -> dict[str, np.ndarray | pa.Array]:
    """The spec columns of ``frame`` as text arrays, in spec order: numpy object arrays (None =
    missing), or Arrow string arrays (null = missing) for text columns already held in Arrow.
    An id column held as integers is written by its :data:`~workbench.synthetic.ids.ID_TEXT`
    format."""
    convert = {
        "date": date_text_arrow,
        "time": time_text_arrow,
        "int": int_text_arrow,
        "float": float_text,
    }
    out: dict[str, np.ndarray | pa.Array] = {}
    for col in table.columns:
        if col.name not in frame and col.requirement == "optional":  # not generated: empty
            out[col.name] = np.full(len(frame), None, dtype=object)
            continue
        series = frame[col.name]
        if col.name in ID_TEXT and series.dtype.kind in "iu":
            out[col.name] = ID_TEXT[col.name](series.to_numpy())
        elif col.dtype in convert:
            out[col.name] = convert[col.dtype](series.to_numpy())
        elif isinstance(series.dtype, pd.CategoricalDtype):
            out[col.name] = categorical_text(series.array)
        elif _arrow_backed(series):
            out[col.name] = code_text_arrow(series)
        else:
            out[col.name] = code_text(series.to_numpy())
    return out


def _arrow_backed(series: pd.Series) -> bool:
    dtype = series.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
