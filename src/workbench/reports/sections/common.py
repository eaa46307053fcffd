"""Helpers the report sections share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench import charts
from workbench.measures.breakdowns import BREAKDOWN_LABELS, NOT_KNOWN
from workbench.measures.registry import column_for
from workbench.reports.chartable import MIN_CHART_DENOMINATOR, not_charted_reasons
from workbench.reports.tables import column_label, controlled, show
from workbench.spec import TEAM_TYPE

if TYPE_CHECKING:
    from workbench.reports.data import ReportData


def numeric(values: pd.Series) -> pd.Series:
    """A controlled column as numbers: suppressed ``"*"`` becomes NaN."""
    return pd.to_numeric(values.replace("*", np.nan), errors="coerce")


def team_type_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Replace service line codes with their names (codes kept for "Not known")."""
    if "team_type" not in frame:
        return frame
    out = frame.copy()
    out["team_type"] = out["team_type"].map(lambda c: TEAM_TYPE.codes.get(c, NOT_KNOWN))
    return out


def rate_table(
    frame: pd.DataFrame,
    table: str,
    label: str,
    rate: str,
    enabled: bool,
    extra: list[str] | None = None,
) -> pd.DataFrame:
    """A controlled table of one rate of aggregate ``table`` by ``label``, with the counts it
    is made of, its interval and any ``extra`` columns."""
    return controlled(frame, table, [*(extra or []), rate], labels=[label], enabled=enabled)


def rate_by_breakdowns(
    data: ReportData,
    name: str,
    rate: str,
    dc: bool,
    x_label: str,
    breakdowns: Sequence[str] = ("age_group", "ethnic_group", "imd_quintile"),
    reference: float | None = None,
    reference_label: str | None = None,
    minimum: int = MIN_CHART_DENOMINATOR,
) -> list:
    """For each breakdown: interval bars of ``rate`` and its controlled table; a group whose
    denominator (as the table shows it) is under ``minimum`` gets no bar but "too few to chart"
    (measures.md section 7)."""
    what = column_label(name, rate)
    denominator = column_for(name, rate).denominator or ""
    items = []
    for breakdown in breakdowns:
        frame = data.table(name, breakdown)
        if frame.empty:
            continue
        table = rate_table(frame, name, breakdown, rate, dc)
        items.append(
            charts.proportion_bars(
                table.assign(**{rate: numeric(table[rate])}),
                breakdown,
                rate,
                f"{rate}_lower",
                f"{rate}_upper",
                title=f"{what} by {BREAKDOWN_LABELS[breakdown].lower()}",
                x_label=x_label,
                reference=reference,
                reference_label=reference_label,
                not_shown=not_charted_reasons(table, rate, denominator, minimum),
            )
        )
        items.append(show(table, name))
    return items
