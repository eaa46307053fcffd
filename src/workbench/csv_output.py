"""Writing CSV files for people: the one place the workbench writes a CSV someone may open in a
spreadsheet, so that no cell can run as a formula.

Formula injection (OWASP, "CSV Injection"): a spreadsheet reads a cell whose text starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula, so a value such as
``=HYPERLINK("http://x.invalid/?leak","click me")`` becomes a live link when the file is opened.
Every such text cell, and every such column name, is written with a single quote ``'`` in
front, which spreadsheets show as text and never evaluate.

Rules (measures.md section 7 governs what the figures may show; this module only how they are
written):

- Numeric, boolean and date columns are written as they are: ``-3.5`` in a number column is a
  number, not a formula.
- A text cell (in a text, categorical or mixed column) starting with one of the six characters
  gets the quote, except a text cell that is wholly a plain number (``-3``, ``+4.5``,
  ``-1e-3``), which no spreadsheet can run and which is left as it is.
- An optional ``comment`` is written as a first line starting with ``# `` (used to say, for
  example, that disclosure control was off); its line breaks become spaces.
- Lines end with CR LF (RFC 4180), so a cell holding a line break or carriage return is
  quoted; the file is written whole or not at all (a temporary file, then a rename). ``-`` as
  the path writes to standard output instead.

For tools that read the file (R, Power BI, pandas, Excel), :func:`export_frame` writes a
measure's figures as the report page shows them, with one mark for a value held back: a value
disclosure control suppressed (the page's ``*``) is ``[c]`` and a value that does not exist (a
share of nothing) is ``[x]``, the marks of the reports' spreadsheets (the Analysis Function's
shorthand), so ``read.csv(na.strings = c("[c]", "[x]"))`` or ``pd.read_csv(na_values=["[c]",
"[x]"])`` reads every figure column as numbers. Percentages, rates, averages and their
intervals are rounded to the page's decimals; months (``YYYY-MM``) become ISO dates, the first
day of the month (``2025-04-01``), which every tool reads as a date.
"""

from __future__ import annotations

import io
import math
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.atomic import write_atomic
from workbench.disclosure import SUPPRESSED

#: A value disclosure control held back, in an export (the reports' spreadsheets use it too).
CONFIDENTIAL = "[c]"
#: A value that does not exist (a share of nothing), in an export.
NOT_AVAILABLE = "[x]"
#: The decimals the report pages show percentages, rates and averages with.
PAGE_DECIMALS = 1
#: ``path`` meaning standard output.
STDOUT = "-"
#: A month as the aggregates write it.
MONTH_TEXT = re.compile(r"^(\d{4})-(\d{2})$")

#: A text value a spreadsheet would read as a formula (OWASP's list of leading characters).
FORMULA_START = r"^[=+\-@\t\r]"
#: A text value that is wholly a plain number, and so cannot be a formula.
PLAIN_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def inert_text(values: pa.Array) -> pa.Array:
    """``values`` (text) with a ``'`` put in front of every value a spreadsheet would run."""
    values = values.cast(pa.string())
    risky = pc.and_(
        pc.match_substring_regex(values, FORMULA_START),
        pc.invert(pc.match_substring_regex(values, PLAIN_NUMBER)),
    )
    quoted = pc.binary_join_element_wise(pa.scalar("'"), values, "")
    return pc.if_else(pc.fill_null(risky, False), quoted, values)


def _is_text(column: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(column.dtype)
        or pd.api.types.is_bool_dtype(column.dtype)
        or pd.api.types.is_datetime64_any_dtype(column.dtype)
        or pd.api.types.is_timedelta64_dtype(column.dtype)
    )


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and every column name made inert (module
    docstring); numeric, boolean and date columns are untouched."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if _is_text(column):
            text = pa.array(column.astype("string"), type=pa.string(), from_pandas=True)
            out[name] = pd.Series(
                inert_text(text).to_pandas(), index=column.index, dtype=object
            ).where(column.notna(), None)
    names = pa.array([str(n) for n in out.columns], pa.string())
    out.columns = inert_text(names).to_pylist()
    return out


def month_as_date(value: Any) -> Any:
    """A month written ``YYYY-MM`` as the date of its first day; any other value as it is."""
    match = MONTH_TEXT.match(value) if isinstance(value, str) else None
    return pd.Timestamp(int(match[1]), int(match[2]), 1).date() if match else value


def _figure(value: Any, decimals: int | None, marker: Any) -> Any:
    """One figure for export: the marker as ``[c]``, no value as ``[x]``, rounded to
    ``decimals`` when given, whole numbers as integers."""
    if isinstance(value, str):
        return CONFIDENTIAL if value == marker else value
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return NOT_AVAILABLE
    if isinstance(value, bool):
        return value
    number = float(value)
    if decimals is not None and not number.is_integer():
        return round(number, decimals)
    return int(number) if number.is_integer() else number


def export_frame(
    frame: pd.DataFrame,
    figures: Iterable[str],
    rounded: Iterable[str] = (),
    *,
    decimals: int = PAGE_DECIMALS,
    marker: Any = SUPPRESSED,
) -> pd.DataFrame:
    """``frame`` as tools should read it (module docstring): in each of the ``figures`` columns
    (counts, rates, averages), ``marker`` (the page's ``*``) becomes :data:`CONFIDENTIAL` and a
    missing value :data:`NOT_AVAILABLE`, whole numbers are integers, and the ``rounded`` ones
    (percentages, rates, averages, interval bounds) are rounded to ``decimals``, as on the
    page; a ``month`` column of ``YYYY-MM`` text becomes dates (:func:`month_as_date`).
    Other columns are left as they are."""
    out = frame.copy()
    rounded = set(rounded)
    for name in [c for c in figures if c in out.columns]:
        places = decimals if name in rounded else None
        out[name] = pd.Series(
            [_figure(v, places, marker) for v in out[name].tolist()], index=out.index, dtype=object
        )
    if "month" in out.columns and _is_text(out["month"]):
        out["month"] = out["month"].map(month_as_date)
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, comment: str | None = None) -> Path:
    """Write ``frame`` to ``path`` as UTF-8 CSV without its index, every text cell and column
    name made inert, after an optional ``# comment`` first line; returns ``path``. A ``path``
    of ``-`` (:data:`STDOUT`) writes the same text to standard output."""
    buffer = io.StringIO()
    if comment is not None:
        buffer.write("# " + " ".join(str(comment).splitlines()) + "\r\n")
    inert_frame(frame).to_csv(buffer, index=False, lineterminator="\r\n")
    if str(path) == STDOUT:  # as bytes where possible: no second CR on Windows
        sys.stdout.flush()
        binary = getattr(sys.stdout, "buffer", None)
        if binary is not None:
            binary.write(buffer.getvalue().encode("utf-8"))
            binary.flush()
        else:
            sys.stdout.write(buffer.getvalue())
        return Path(STDOUT)
    return write_atomic(Path(path), buffer.getvalue())
