"""Inequality in the outcome rates (MEASURES.md section 5, "Inequality"; section 6, "Slope
index of inequality").

Each outcome rate (:data:`RATES`) by IMD decile, IMD quintile and broad ethnic group, with 95%
Wilson intervals, and the slope index of inequality (SII) and relative index of inequality
(RII) across the ten IMD 2019 deciles with 95% intervals
(:func:`workbench.stats.slope_index_of_inequality`).

Decisions where MEASURES.md is silent:

* the IMD decile is the person's, from the 2011 LSOA through the shipped IMD 2019 lookup ("1"
  = most deprived). Records with no decile are kept as "Not known" in every table and left out
  only of the SII regression; ``excluded_not_known`` / ``excluded_numerator`` say how many;
* the quintile table is the sum of the decile table (quintile q = deciles 2q-1 and 2q), which
  is exactly the standard ``imd_quintile`` breakdown;
* the SII regression weights each decile by the rate's own denominator in that decile (e.g.
  the contacts attended or missed for the DNA rate), as the rate's "population"; deciles with a
  zero denominator are left out (the SII needs at least 5 deciles, otherwise it is NaN);
* rates are percentages; the SII is in percentage points. Sign convention as phe_sii: SII =
  fitted rate at the least deprived end minus fitted rate at the most deprived end, so a rate
  higher in deprived areas gives a negative SII; RII = fitted(least) / fitted(most deprived);
* the SII interval is phe_sii's simulation from each decile's 95% Wilson limits (seeded, so
  reproducible);
* the assessment rate (% improved) pools the pairs of every tool.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.measures.breakdowns import IMD_DECILE, NOT_KNOWN
from workbench.measures.grouping import sort_groups
from workbench.measures.outcomes._common import add_proportion
from workbench.measures.outcomes.assessments import paired_assessments
from workbench.measures.outcomes.contacts import contact_outcomes
from workbench.measures.outcomes.inpatients import inpatient_stays
from workbench.measures.outcomes.ucr_follow_on import ucr_follow_on_admissions
from workbench.stats import slope_index_of_inequality

#: Fewest deciles with a denominator the SII is computed on (as phe_sii).
MIN_DECILES = 5
GROUPINGS = ("imd_decile", "imd_quintile", "ethnic_group")


@dataclass(frozen=True)
class Rate:
    """An outcome rate: the measure that counts it and its numerator and denominator columns."""

    measure: Callable[..., pd.DataFrame]
    numerator: str
    denominator: str
    description: str


RATES: dict[str, Rate] = {
    "dna_rate": Rate(
        contact_outcomes, "dna", "attended_or_dna", "DNAs / (attended + DNAs), contacts"
    ),
    "pct_improved": Rate(
        paired_assessments, "improved", "pairs", "assessment pairs improved, all tools"
    ),
    "pct_discharged_on_day_ready": Rate(
        inpatient_stays,
        "discharged_on_day_ready",
        "spells_with_ready_date",
        "spells discharged on the day ready, of spells with a valid ready date",
    ),
    "readmission_rate": Rate(
        inpatient_stays,
        "readmitted_30_days",
        "discharged_alive",
        "spells readmitted within 30 days, of spells discharged alive",
    ),
    "pct_ucr_admitted_2_days": Rate(
        ucr_follow_on_admissions, "admitted_2_days", "clocks", "UCR clocks admitted in 0-2 days"
    ),
    "pct_ucr_admitted_30_days": Rate(
        ucr_follow_on_admissions, "admitted_30_days", "clocks", "UCR clocks admitted in 0-30 days"
    ),
}


def rate_by_group(
    counts: pd.DataFrame, numerator: str, denominator: str, group: str | None = None
) -> pd.DataFrame:
    """A rate by ``group`` from a frame of counts: ``group`` (when given), ``numerator``,
    ``denominator``, ``rate`` (numerator / denominator, %) and ``rate_lower`` / ``rate_upper``
    (95% Wilson). Rows of ``counts`` in the same group (e.g. one per assessment tool) are
    summed first; without ``group`` everything is summed into one row."""
    if group is None:
        totals = pd.DataFrame(
            {
                "numerator": [int(counts[numerator].sum())],
                "denominator": [int(counts[denominator].sum())],
            }
        )
    else:
        totals = (
            counts.groupby(group, sort=False)[[numerator, denominator]]
            .sum()
            .reset_index()
            .rename(columns={numerator: "numerator", denominator: "denominator"})
        )
        totals = sort_groups(totals, [group])
    totals[["numerator", "denominator"]] = totals[["numerator", "denominator"]].astype("int64")
    add_proportion(totals, "rate", "numerator", "denominator")
    return totals


def _quintile(decile: str) -> str:
    return NOT_KNOWN if decile == NOT_KNOWN else str((int(decile) + 1) // 2)


def _counts(
    name: str, store, period_start: dt.date | str, period_end: dt.date | str
) -> pd.DataFrame:
    rate = RATES[name]
    frame = rate.measure(store, period_start, period_end, by=[IMD_DECILE, "ethnic_group"])
    return frame[[IMD_DECILE, "ethnic_group", rate.numerator, rate.denominator]]


def _names(measures: Iterable[str] | None) -> list[str]:
    names = list(RATES) if measures is None else list(measures)
    unknown = [m for m in names if m not in RATES]
    if unknown:
        raise KeyError(f"unknown rate {', '.join(unknown)}; choose from: {', '.join(RATES)}")
    return names


def _rates_from_counts(name: str, counts: pd.DataFrame) -> pd.DataFrame:
    rate = RATES[name]
    counts = counts.assign(imd_quintile=counts[IMD_DECILE].map(_quintile))
    frames = []
    for grouping in GROUPINGS:
        table = rate_by_group(counts, rate.numerator, rate.denominator, grouping)
        table = table.rename(columns={grouping: "group"})
        table.insert(0, "grouping", grouping)
        frames.append(table)
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "measure", name)
    return out


def rates_by_inequality_group(
    store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    measures: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Each outcome rate in ``measures`` (default: every one in :data:`RATES`) by IMD decile,
    IMD quintile and broad ethnic group: ``measure``, ``grouping`` (imd_decile, imd_quintile,
    ethnic_group), ``group`` (the decile, quintile or group; "Not known" kept), ``numerator``,
    ``denominator``, ``rate`` (%) and ``rate_lower`` / ``rate_upper`` (95% Wilson). Only groups
    with records appear."""
    frames = [
        _rates_from_counts(name, _counts(name, store, period_start, period_end))
        for name in _names(measures)
    ]
    return pd.concat(frames, ignore_index=True)


def sii_across_deciles(by_decile: pd.DataFrame, seed: int | None = None) -> dict:
    """The SII and RII of a rate from its decile table (:func:`rate_by_group` by
    ``imd_decile``), "Not known" and empty deciles left out, with the counts left out."""
    known = by_decile[by_decile[IMD_DECILE] != NOT_KNOWN]
    unknown = by_decile[by_decile[IMD_DECILE] == NOT_KNOWN]
    used = known[known["denominator"] > 0].copy()
    used["_order"] = used[IMD_DECILE].astype(int)
    used = used.sort_values("_order")
    out = {
        "deciles_used": int(len(used)),
        "denominator_used": int(used["denominator"].sum()),
        "excluded_not_known": int(unknown["denominator"].sum()),
        "excluded_numerator": int(unknown["numerator"].sum()),
        "sii": np.nan,
        "sii_lower": np.nan,
        "sii_upper": np.nan,
        "rii": np.nan,
        "rii_lower": np.nan,
        "rii_upper": np.nan,
        "ci_method": None,
    }
    if len(used) < MIN_DECILES:
        return out
    kwargs = {} if seed is None else {"seed": seed}
    with np.errstate(divide="ignore", invalid="ignore"):
        result = slope_index_of_inequality(
            used["rate"].to_numpy(dtype="float64"),
            used["denominator"].to_numpy(dtype="float64"),
            lower=used["rate_lower"].to_numpy(dtype="float64"),
            upper=used["rate_upper"].to_numpy(dtype="float64"),
            **kwargs,
        )
    out.update(result)
    return out


def inequality_summary(
    store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    measures: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The slope and relative index of inequality of each outcome rate across IMD deciles.

    One row per rate in ``measures`` (default: all of :data:`RATES`): ``measure``,
    ``description``, ``numerator``, ``denominator``, ``rate`` (overall, %, with
    ``rate_lower``/``rate_upper``), ``deciles_used`` (deciles with a denominator),
    ``denominator_used``, ``excluded_not_known`` and ``excluded_numerator`` (the denominator
    and numerator with no IMD decile, left out of the regression only), ``sii``, ``sii_lower``,
    ``sii_upper`` (percentage points), ``rii``, ``rii_lower``, ``rii_upper`` and
    ``ci_method``. SII and RII are NaN with fewer than 5 deciles.
    """
    rows = []
    for name in _names(measures):
        rate = RATES[name]
        counts = _counts(name, store, period_start, period_end)
        total = rate_by_group(counts, rate.numerator, rate.denominator)
        overall = {
            "numerator": int(total["numerator"].iloc[0]),
            "denominator": int(total["denominator"].iloc[0]),
            **{c: float(total[c].iloc[0]) for c in ("rate", "rate_lower", "rate_upper")},
        }
        by_decile = rate_by_group(counts, rate.numerator, rate.denominator, IMD_DECILE)
        rows.append(
            {
                "measure": name,
                "description": rate.description,
                **overall,
                **sii_across_deciles(by_decile),
            }
        )
    return pd.DataFrame(rows)
