"""Which percentages a report may draw, and at what grain (measures.md section 7, presentation
rules): the one place that turns a monthly numerator and denominator into the series a chart
shows, with the table shown beside it.

A percentage is drawn in a time series, an SPC chart or a "for whom" comparison only where its
denominator reaches the minimum for charts (a report parameter, :data:`MIN_CHART_DENOMINATOR`
by default). The denominator judged is the one the table beside the chart shows: the rounded
count where disclosure control applies, the exact count for England or with control off, so
that a chart and its table always agree. Below the minimum:

* a monthly series is grouped into quarters (financial-year quarters, April to June first) when
  that lets a larger share of its periods be charted; the table beside the chart is then the
  quarterly one, counted from the exact monthly counts and controlled again;
* a period (or group) still below the minimum is marked "too few to chart"; one whose value is
  suppressed or missing is marked so. Neither is ever a silent gap (the charts draw the words
  and break the line there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbench import charts
from workbench.disclosure import SUPPRESSED
from workbench.measures.registry import measure_of_table
from workbench.reports.tables import column_label, controlled, show

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

#: The least denominator a percentage needs to be drawn, unless a report says otherwise.
MIN_CHART_DENOMINATOR = 100
#: What a period or group below the minimum is marked as.
TOO_FEW = "too few to chart"
#: What a period or group whose value disclosure control hides is marked as.
SUPPRESSED_POINT = "suppressed"
#: What a period or group with no value is marked as.
NO_DATA = "no data"
#: The column of quarter labels in a table grouped into quarters.
QUARTER = "quarter"
_PERIOD_LABELS = {"month": "Month", QUARTER: "Quarter"}


def _numbers(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values.replace(SUPPRESSED, np.nan), errors="coerce").to_numpy(float)


def not_charted_reasons(
    table: pd.DataFrame, rate: str, denominator: str, minimum: int = MIN_CHART_DENOMINATOR
) -> list[str | None]:
    """For each row of a controlled ``table``: None where ``rate`` may be drawn, otherwise why
    not (:data:`SUPPRESSED_POINT`, :data:`NO_DATA` or :data:`TOO_FEW`), judged on the
    denominator as the table shows it.

    Examples
    --------
    >>> t = pd.DataFrame({"pct": [100.0, 90.0, "*", np.nan], "n": [10, 120, "*", 0]})
    >>> not_charted_reasons(t, "pct", "n")
    ['too few to chart', None, 'suppressed', 'no data']
    """
    value = table[rate]
    n = _numbers(table[denominator])
    reasons: list[str | None] = []
    for shown, count in zip(value, n, strict=True):
        if isinstance(shown, str) and shown == SUPPRESSED:
            reasons.append(SUPPRESSED_POINT)
        elif pd.isna(shown):
            reasons.append(NO_DATA)
        elif not count >= minimum:
            reasons.append(TOO_FEW)
        else:
            reasons.append(None)
    return reasons


def quarter_label(month: Any) -> str:
    """The financial-year quarter a month falls in, as a reader says it.

    Examples
    --------
    >>> quarter_label("2025-05"), quarter_label("2026-01")
    ('Apr-Jun 2025', 'Jan-Mar 2026')
    """
    quarter = pd.Period(str(month), freq="M").asfreq("Q-MAR")
    first = quarter.asfreq("M", how="start")
    last = quarter.asfreq("M", how="end")
    return f"{first:%b}-{last:%b %Y}"


def _by_quarter(frame: pd.DataFrame, period: str, counts: list[str]) -> pd.DataFrame:
    """The exact monthly counts of ``frame`` summed by quarter (the rates are recomputed by
    :func:`workbench.reports.tables.controlled`)."""
    order = frame[period].map(lambda m: pd.Period(str(m), freq="M").asfreq("Q-MAR"))
    summed = frame[counts].groupby(order, sort=True).sum()
    out = summed.reset_index(drop=True)
    out.insert(0, QUARTER, [quarter_label(q.asfreq("M", how="start")) for q in summed.index])
    out.attrs = dict(frame.attrs)  # national figures stay national
    return out


@dataclass(frozen=True)
class ChartableSeries:
    """A percentage over time as a report draws it, and the table shown beside it.

    Attributes
    ----------
    table : pandas.DataFrame
        Controlled, one row per period (``month`` or ``quarter`` column).
    source : str
        The aggregate table it comes from (for the registry's labels).
    rate, denominator : str
        The percentage column and the count it is a share of.
    period : str
        ``"month"`` or ``"quarter"``.
    not_charted : list of str or None
        Per period, why it is not drawn (None: drawn).
    minimum : int
        The minimum for charts applied.
    note : str or None
        Words for the caption: why the months were grouped into quarters.
    """

    table: pd.DataFrame
    source: str
    rate: str
    denominator: str
    period: str
    not_charted: list[str | None]
    minimum: int
    note: str | None

    @property
    def labels(self) -> list[str]:
        """The period labels, in time order."""
        return [str(v) for v in self.table[self.period]]

    @property
    def values(self) -> np.ndarray:
        """The percentage per period, NaN where it is not drawn."""
        shown = _numbers(self.table[self.rate])
        return np.where([r is None for r in self.not_charted], shown, np.nan)

    @property
    def charted(self) -> int:
        """How many periods are drawn."""
        return sum(r is None for r in self.not_charted)

    def shown(self) -> Styler:
        """The table beside the chart, with the registry's labels."""
        return show(self.table, self.source, extra=_PERIOD_LABELS)

    def spc(self, title: str, y_label: str, **options: Any) -> charts.Chart:
        """The SPC (or run) chart of the series: :func:`workbench.charts.spc_chart` with the
        periods not charted marked and the quarter grouping stated in the caption."""
        return charts.spc_chart(
            self.values,
            self.labels,
            title=title,
            y_label=y_label,
            x_label=_PERIOD_LABELS[self.period],
            not_charted=self.not_charted,
            note=self.note,
            **options,
        )


def chartable_rate(
    frame: pd.DataFrame,
    table: str,
    rate: str,
    *,
    enabled: bool = True,
    minimum: int = MIN_CHART_DENOMINATOR,
    extra: Sequence[str] = (),
    period: str = "month",
    coarsen: bool = True,
) -> ChartableSeries:
    """The percentage ``rate`` of aggregate ``table`` by ``period`` as a chart may show it
    (measures.md section 7, presentation rules; see the module's docstring).

    Parameters
    ----------
    frame : pandas.DataFrame
        One organisation's rows by month (:meth:`ReportData.table`), with exact counts.
    table : str
        The aggregate table, whose registry declares ``rate``'s numerator and denominator.
    rate : str
        A percentage column of ``table``.
    enabled : bool, default True
        Disclosure control (England's rows are never rounded whatever this says).
    minimum : int, default 100
        The minimum for charts.
    extra : sequence of str
        Further columns for the table; in a quarterly table only the counts among them are
        kept (an average cannot be summed).
    period : str, default "month"
        The column of months.
    coarsen : bool, default True
        Whether months may be grouped into quarters. Only counts of events (clocks, contacts)
        add up across months; pass False for people counted once a month (persons with
        activity) or a stock at each month end (a waiting list), whose short months are then
        marked "too few to chart".
    """
    declared = {c.name: c for c in measure_of_table(table).columns}
    column = declared[rate]
    if column.role != "rate" or not column.numerator or not column.denominator:
        raise KeyError(f"{rate!r} of aggregate table {table} is not a percentage")
    denominator = column.denominator
    monthly = controlled(frame, table, [*extra, rate], labels=[period], enabled=enabled)
    reasons = not_charted_reasons(monthly, rate, denominator, minimum)
    chosen = ChartableSeries(monthly, table, rate, denominator, period, reasons, minimum, None)
    short = sum(r == TOO_FEW for r in reasons)
    if not short or frame.empty or not coarsen:  # only a short denominator calls for quarters
        return chosen
    counts = [c for c in [*extra, column.numerator, denominator] if declared[c].role == "count"]
    quarterly = controlled(
        _by_quarter(frame, period, list(dict.fromkeys(counts))),
        table,
        [*(c for c in extra if declared[c].role == "count"), rate],
        labels=[QUARTER],
        enabled=enabled,
    )
    by_quarter = not_charted_reasons(quarterly, rate, denominator, minimum)
    drawn = sum(r is None for r in by_quarter) / len(by_quarter)
    if drawn <= chosen.charted / len(reasons):
        return chosen
    what = column_label(table, denominator).lower()
    note = (
        f"Months are grouped into quarters: {short} of {len(reasons)} months had fewer than "
        f"{minimum} {what}, the least a percentage is drawn from."
    )
    return ChartableSeries(quarterly, table, rate, denominator, QUARTER, by_quarter, minimum, note)
