"""A table of calendar months on the engine, so monthly series come from one join, not a loop."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import ibis.expr.types as ir
import pandas as pd

from workbench.period import month_ends

if TYPE_CHECKING:
    from workbench.store import Store


def months_frame(start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per calendar month from ``start``'s to ``end``'s: ``month`` (``YYYY-MM``),
    ``first_day`` (the 1st, or ``start`` in the first month) and ``last_day`` (the month end, or
    ``end`` in the last month)."""
    rows = []
    for last in month_ends(start, end):
        first = max(last.replace(day=1), start)
        rows.append((last.strftime("%Y-%m"), first, last))
    frame = pd.DataFrame(rows, columns=["month", "first_day", "last_day"])
    for col in ("first_day", "last_day"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame


def months_table(store: Store, start: dt.date, end: dt.date) -> ir.Table:
    """:func:`months_frame` on the store's engine (registered once per store and period)."""
    name = f"calendar_{start:%Y%m%d}_{end:%Y%m%d}"
    return store.reference(name, lambda: months_frame(start, end))
