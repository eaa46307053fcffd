"""The record of a table exactly as a report shows it: its title, column labels (with units),
the disclosure-controlled values and which columns are counts. The notebook attaches it to the
table's display output under :data:`MIMETYPE` (see :func:`workbench.reports.display.show_items`);
the render step reads it back from the executed notebook to write the report's spreadsheet
(:mod:`workbench.publish.spreadsheet`). This module owns that format.

Values are the ones on the page: numbers rounded as the page rounds them, the suppression mark
(``"*"``, measures.md section 7) where disclosure control hid a value, ``None`` where the page
shows no value. Nothing else reaches the record, so a spreadsheet can never say more than the
page.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from numbers import Integral
from typing import Any

import pandas as pd

from workbench.disclosure import SUPPRESSED
from workbench.measures.registry import measure_of_table

#: The display-data type a shown table's record travels under in an executed notebook.
MIMETYPE = "application/vnd.chs-workbench.table+json"
#: Decimal places a report shows when the table does not say otherwise.
DEFAULT_DECIMALS = 1


@dataclass(frozen=True)
class ShownTable:
    """One table as the report showed it.

    Attributes
    ----------
    title : what the table is: the title of the chart it sits under ("" when none).
    columns : the column headers as the page shows them (registry labels).
    units : the unit of each column ("" when none), e.g. ``%`` or ``days``.
    rows : the values, row by row: numbers, text, :data:`SUPPRESSED` or ``None``.
    counts : the headers of the columns that are counts of records (disclosure-controlled).
    measure : the measure's title, and ``section`` its section of measures.md ("" if unknown).
    disclosure_control : whether control was applied; ``national`` whether the table is of
        England as a whole (then counts are neither rounded nor suppressed).
    """

    title: str
    columns: list[str]
    units: list[str]
    rows: list[list[Any]]
    counts: list[str] = field(default_factory=list)
    measure: str = ""
    section: str = ""
    disclosure_control: bool = True
    national: bool = False

    def to_json(self) -> dict[str, Any]:
        """The record as JSON-able values (what travels in the notebook)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShownTable:
        """The record written by :meth:`to_json`."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def frame(self) -> pd.DataFrame:
        """The values as a frame with the page's headers."""
        return pd.DataFrame(self.rows, columns=self.columns)


def _cell(value: Any, decimals: int) -> Any:
    """A value as the page shows it, as JSON: numbers rounded as the page rounds them."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number) or math.isinf(number):
        return None
    # the page shows whole numbers over 99 without decimals (workbench.reports.tables.show)
    if number.is_integer() and (abs(number) > 99 or isinstance(value, Integral)):
        return int(number)
    return round(number, decimals)


def _declared_units(table: str | None, names: list[str], width: int) -> list[str]:
    """The registry's unit of each column (all "" when the columns are not known)."""
    if not table or len(names) != width:
        return [""] * width
    declared = {c.name: c for c in measure_of_table(table).columns}
    return [declared[n].unit if n in declared else "" for n in names]


def shown_table(item: Any, title: str = "") -> ShownTable:
    """The record of ``item`` (a pandas Styler from :func:`workbench.reports.tables.show`, or a
    plain DataFrame) as the page shows it, titled ``title``."""
    frame: pd.DataFrame = item.data if hasattr(item, "data") else item
    attrs = frame.attrs
    table = attrs.get("aggregate_table")
    names = list(attrs.get("column_names") or frame.columns)
    hidden_columns = set(getattr(item, "hidden_columns", []))
    hidden_rows = set(getattr(item, "hidden_rows", []))
    if hidden_columns or hidden_rows:  # only what the page shows
        if len(names) == frame.shape[1]:
            names = [n for i, n in enumerate(names) if i not in hidden_columns]
        keep_columns = [i for i in range(frame.shape[1]) if i not in hidden_columns]
        keep_rows = [i for i in range(frame.shape[0]) if i not in hidden_rows]
        frame = frame.iloc[keep_rows, keep_columns]
    decimals = int(attrs.get("decimals", DEFAULT_DECIMALS))
    measure = measure_of_table(table) if table else None
    counts = (attrs.get("disclosure_columns") or {}).get("counts", [])
    rows = [[_cell(v, decimals) for v in row] for row in frame.itertuples(index=False, name=None)]
    return ShownTable(
        title=title,
        columns=[str(c) for c in frame.columns],
        units=_declared_units(table, names, frame.shape[1]),
        rows=rows,
        counts=[str(c) for c in counts if c in frame.columns],
        measure=measure.title if measure else "",
        section=measure.section if measure else "",
        disclosure_control=bool(attrs.get("disclosure_control", True)),
        national=attrs.get("disclosure_level") == "national",
    )


def is_suppressed(value: Any) -> bool:
    """True for a value disclosure control hid."""
    return value == SUPPRESSED
