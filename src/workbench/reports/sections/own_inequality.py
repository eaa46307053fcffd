"""An organisation's own inequality figures (measures.md sections 5 and 7): each outcome rate by
IMD quintile of its residents, and the slope and relative index of inequality across the five
quintiles, shown only where its counts meet the section 7 minimums and otherwise said plainly.

England's indices run across the ten deciles of the whole country (the ``inequality`` table);
below England the aggregates hold each rate by IMD quintile, so a region's own indices run
across its five quintiles, by the same method
(:func:`workbench.stats.slope_index_of_inequality`). The indices and their intervals are complex
calculations and come from the unrounded counts; the counts and rates shown beside them are
disclosure-controlled (measures.md section 7)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.disclosure import suppress_count
from workbench.measures.outcomes.inequality import MIN_EVENTS
from workbench.measures.registry import column_for
from workbench.reports import narrative as say
from workbench.reports.data import ReportData
from workbench.reports.sections.common import rate_table
from workbench.reports.tables import show
from workbench.stats import percentage_with_interval, slope_index_of_inequality

#: The rates shown by quintile: aggregate table, rate column, what a reader calls it.
RATES = (
    ("contact_outcomes", "dna_rate", "Did-not-attend rate"),
    ("inpatient_stays", "readmission_rate", "Community inpatients readmitted within 30 days"),
    (
        "ucr_follow_on",
        "pct_admitted_2_days",
        "Emergency admission within 2 days of an urgent response",
    ),
)
QUINTILE = "imd_quintile"
QUINTILES = tuple(str(q) for q in range(1, 6))


def _known(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the five quintiles ("Not known" left out of the index only), in order."""
    known = rows[rows[QUINTILE].astype(str).isin(QUINTILES)]
    return known.assign(_q=known[QUINTILE].astype(str).astype(int)).sort_values("_q")


def why_withheld(rows: pd.DataFrame, numerator: str, denominator: str, minimum: int) -> str | None:
    """Why an index of inequality across the quintiles is not shown, in words, or None when it
    may be: every quintile's denominator must reach ``minimum`` (the minimum for charts) and
    the events across them number at least 50 (measures.md section 7).

    Examples
    --------
    >>> rows = pd.DataFrame({"imd_quintile": list("12345"), "n": [5] * 5, "d": [200] * 5})
    >>> why_withheld(rows, "n", "d", 100)
    'fewer than the 50 events across the quintiles an index needs'
    >>> why_withheld(rows.assign(n=20, d=[200, 90, 200, 200, 200]), "n", "d", 100)
    '1 of the 5 quintiles had fewer than 100 in the denominator'
    """
    known = _known(rows)
    dens = {str(q): int(d) for q, d in zip(known[QUINTILE], known[denominator], strict=True)}
    short = [q for q in QUINTILES if dens.get(q, 0) < minimum]
    events = int(known[numerator].sum())
    reasons = []
    if short:
        which = "all 5 quintiles" if len(short) == 5 else f"{len(short)} of the 5 quintiles"
        reasons.append(f"{which} had fewer than {minimum} in the denominator")
    if events < MIN_EVENTS:
        # the exact count is not said: below England only rounded counts are shown (section 7)
        reasons.append(f"fewer than the {MIN_EVENTS} events across the quintiles an index needs")
    return "; ".join(reasons) if reasons else None


def _index(rows: pd.DataFrame, numerator: str, denominator: str) -> dict:
    """The SII (percentage points) and RII across the quintiles, with 95% intervals, from the
    unrounded counts."""
    known = _known(rows)
    n = known[denominator].to_numpy(dtype="float64")
    pct, lower, upper = percentage_with_interval(known[numerator].to_numpy(dtype="float64"), n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return slope_index_of_inequality(pct, n, lower=lower, upper=upper)


def _limits(value: float, lower: float, upper: float, unit: str = "") -> str:
    if not all(math.isfinite(float(v)) for v in (value, lower, upper)):
        return "not available"
    return f"{value:.2f}{unit} (95% CI {lower:.2f}{unit} to {upper:.2f}{unit})"


def index_row(
    rows: pd.DataFrame, table: str, rate: str, label: str, minimum: int
) -> dict[str, str]:
    """One line of the index table: the rate, its events and denominator (controlled), and the
    SII and RII or why they are not shown."""
    column = column_for(table, rate)
    numerator, denominator = column.numerator or "", column.denominator or ""
    known = _known(rows)
    line = {
        "Outcome rate": label,
        "Events (in the 5 quintiles)": say.count_text(suppress_count(int(known[numerator].sum()))),
        "Denominator (in the 5 quintiles)": say.count_text(
            suppress_count(int(known[denominator].sum()))
        ),
    }
    why = why_withheld(rows, numerator, denominator, minimum)
    if why is not None:
        return {
            **line,
            "Slope index (percentage points)": f"not shown: {why}",
            "Relative index": "not shown",
        }
    result = _index(rows, numerator, denominator)
    return {
        **line,
        "Slope index (percentage points)": _limits(
            result["sii"], result["sii_lower"], result["sii_upper"]
        ),
        "Relative index": _limits(result["rii"], result["rii_lower"], result["rii_upper"]),
    }


def own_inequality(data: ReportData, minimum: int) -> list:
    """The organisation's own inequality figures: a sentence saying whether its counts support
    an index, the index table, and each rate by IMD quintile (controlled)."""
    lines, tables = [], []
    for table, rate, label in RATES:
        rows = data.table(table, QUINTILE)
        if rows.empty or QUINTILE not in rows:
            continue
        lines.append(index_row(rows, table, rate, label, minimum))
        tables.append(f"**{label} by IMD quintile, {data.name}.**")
        tables.append(show(rate_table(rows, table, QUINTILE, rate, data.disclosure_control), table))
    if not lines:
        return [f"{data.name} has no outcome rates by IMD quintile in the period."]
    shown = [line for line in lines if not line["Relative index"].startswith("not shown")]
    said = (
        f"{data.name}'s own indices of inequality run across the five IMD quintiles of its "
        f"residents (1 = most deprived); an index is shown only where every quintile has at "
        f"least {minimum} in the denominator and there are at least {MIN_EVENTS} events."
    )
    if not shown:
        said += (
            f" {data.name}'s counts do not meet these minimums for any rate, so no index of its "
            "own is shown; England's, below, is for reference only."
        )
    return [said, pd.DataFrame(lines), *tables]
