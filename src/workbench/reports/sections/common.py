"""Helpers the report sections share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import charts
from workbench.measures.breakdowns import NOT_KNOWN
from workbench.reports.tables import controlled, show
from workbench.spec import TEAM_TYPE

BREAKDOWN_LABELS = {
    "team_type": "Service line",
    "age_group": "Age group",
    "sex": "Sex",
    "ethnic_group": "Ethnic group",
    "imd_quintile": "IMD quintile (1 = most deprived)",
    "month": "Month",
}


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
    label: str,
    rate: str,
    numerator: str,
    denominator: str,
    enabled: bool,
    extra_counts: list[str] | None = None,
) -> pd.DataFrame:
    """A controlled table of one rate by ``label`` with its counts and interval."""
    return controlled(
        frame,
        counts=[*(extra_counts or []), numerator, denominator],
        rates={rate: (numerator, denominator)},
        labels=[label],
        enabled=enabled,
    )


def rate_by_breakdowns(
    data,
    name: str,
    rate: str,
    numerator: str,
    denominator: str,
    dc: bool,
    what: str,
    x_label: str,
    breakdowns=("age_group", "ethnic_group", "imd_quintile"),
    reference=None,
    reference_label=None,
    names: dict | None = None,
) -> list:
    """For each breakdown: interval bars of ``rate`` and its controlled table."""
    items = []
    for breakdown in breakdowns:
        frame = data.table(name, breakdown)
        if frame.empty:
            continue
        table = rate_table(frame, breakdown, rate, numerator, denominator, dc)
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
            )
        )
        items.append(show(table, {**(names or {}), breakdown: BREAKDOWN_LABELS[breakdown]}))
    return items
