"""Inequality in the outcome rates (measures.md section 5, "Inequality"; section 6, "Slope
index of inequality").

Each outcome rate (:data:`RATES`) by IMD decile, IMD quintile and broad ethnic group, with 95%
Wilson intervals, and the slope index of inequality (SII) and relative index of inequality
(RII) across the ten IMD 2019 deciles with 95% intervals
(:func:`workbench.stats.slope_index_of_inequality`).

Decisions where measures.md is silent:

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

Each rate is counted by one pass of its measure (:data:`RATES`: ``source``) by IMD decile and
ethnic group; rates of the same measure share that pass, and quintiles are sums of deciles. The
two inequality measures are for the whole period and England: they take no breakdowns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbench.breakdowns import IMD_DECILE, NOT_KNOWN
from workbench.errors import WorkbenchError
from workbench.measures.declare import (
    AggregateTable,
    Measure,
    columns,
    count,
    label,
    percentage,
    value,
)
from workbench.measures.grouping_sets import SET_COLUMN, one_set, sort_groups, unique_sets
from workbench.measures.outcomes._common import add_proportion
from workbench.measures.outcomes.assessments import ASSESSMENTS, paired_assessments
from workbench.measures.outcomes.contacts import CONTACTS, contact_outcomes
from workbench.measures.outcomes.inpatients import INPATIENT_STAYS, inpatient_stays
from workbench.measures.outcomes.ucr_follow_on import FOLLOW_ON, ucr_follow_on_admissions
from workbench.period import Period
from workbench.stats import slope_index_of_inequality

if TYPE_CHECKING:
    from workbench.store import Store


#: Fewest deciles with a denominator the SII is computed on (as phe_sii).
MIN_DECILES = 5
#: Fewest events, across the deciles, for the SII and RII to be shown (measures.md section 7).
MIN_EVENTS = 50
GROUPINGS = ("imd_decile", "imd_quintile", "ethnic_group")


@dataclass(frozen=True)
class Rate:
    """An outcome rate: the measure that counts it and its numerator and denominator columns."""

    measure: Callable[..., pd.DataFrame]
    numerator: str
    denominator: str
    description: str
    source: Measure | None = None


RATES: dict[str, Rate] = {
    "dna_rate": Rate(
        contact_outcomes,
        "dna",
        "attended_or_dna",
        "DNAs / (attended + DNAs), contacts",
        CONTACTS,
    ),
    "pct_improved": Rate(
        paired_assessments,
        "improved",
        "pairs",
        "assessment pairs improved, all tools",
        ASSESSMENTS,
    ),
    "pct_discharged_on_day_ready": Rate(
        inpatient_stays,
        "discharged_on_day_ready",
        "spells_with_ready_date",
        "spells discharged on the day ready, of spells with a valid ready date",
        INPATIENT_STAYS,
    ),
    "readmission_rate": Rate(
        inpatient_stays,
        "readmitted_30_days",
        "discharged_alive",
        "spells readmitted within 30 days, of spells discharged alive",
        INPATIENT_STAYS,
    ),
    "pct_ucr_admitted_2_days": Rate(
        ucr_follow_on_admissions,
        "admitted_2_days",
        "clocks",
        "UCR clocks admitted in 0-2 days",
        FOLLOW_ON,
    ),
    "pct_ucr_admitted_30_days": Rate(
        ucr_follow_on_admissions,
        "admitted_30_days",
        "clocks",
        "UCR clocks admitted in 0-30 days",
        FOLLOW_ON,
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


#: The breakdowns every rate is counted by: the regression's deciles and the ethnic groups
#: (quintiles are sums of deciles).
COUNTED_BY = (IMD_DECILE, "ethnic_group")


def _counts(name: str, store: Store, period: Period) -> pd.DataFrame:
    """The counts of rate ``name`` by IMD decile and ethnic group, from one pass of its measure,
    kept for the session so that rates of the same measure, and both inequality tables, share
    it."""
    rate = RATES[name]

    def count() -> pd.DataFrame:
        if rate.source is not None:
            return one_set(rate.source.grouped(store, period, [COUNTED_BY]), list(COUNTED_BY))
        return rate.measure(store, period.start, period.end, by=list(COUNTED_BY))

    source = rate.source.name if rate.source is not None else name
    frame = store.kept(("outcome rate counts", period.start, period.end, source), count)
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


RATE_COLUMNS = (
    "measure",
    "grouping",
    "group",
    "numerator",
    "denominator",
    "rate",
    "rate_lower",
    "rate_upper",
)
SUMMARY_COLUMNS = (
    "measure",
    "description",
    "numerator",
    "denominator",
    "rate",
    "rate_lower",
    "rate_upper",
    "deciles_used",
    "denominator_used",
    "excluded_not_known",
    "excluded_numerator",
    "sii",
    "sii_lower",
    "sii_upper",
    "rii",
    "rii_lower",
    "rii_upper",
    "ci_method",
)


def _rates_table(store: Store, period: Period, measures: Iterable[str] | None) -> pd.DataFrame:
    frames = [_rates_from_counts(name, _counts(name, store, period)) for name in _names(measures)]
    out = pd.concat(frames, ignore_index=True)
    return out[list(RATE_COLUMNS)]


def _summary_table(store: Store, period: Period, measures: Iterable[str] | None) -> pd.DataFrame:
    rows = []
    for name in _names(measures):
        rate = RATES[name]
        counts = _counts(name, store, period)
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
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _whole_period_only(
    sets: Sequence[Sequence[str]], table: Callable[[], pd.DataFrame], what: str
) -> pd.DataFrame:
    """``table()`` for the set without breakdowns (the only one these measures take)."""
    sets = unique_sets(sets)
    wrong = [s for s in sets if s]
    if wrong:
        raise WorkbenchError(
            f"outcomes {what} cannot be broken down by {', '.join(wrong[0])}; it takes: none"
        )
    frame = table()
    frame[SET_COLUMN] = 0
    return frame


def inequality_rates_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Every rate by IMD decile, quintile and ethnic group, for the one set without breakdowns
    (the groupings are the rows)."""
    return _whole_period_only(sets, lambda: _rates_table(store, period, None), "inequality_rates")


def inequality_summary_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """The SII and RII of every rate, for the one set without breakdowns."""
    return _whole_period_only(sets, lambda: _summary_table(store, period, None), "inequality")


def rates_by_inequality_group(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    measures: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Each outcome rate in ``measures`` (default: every one in :data:`RATES`) by IMD decile,
    IMD quintile and broad ethnic group: ``measure``, ``grouping`` (imd_decile, imd_quintile,
    ethnic_group), ``group`` (the decile, quintile or group; "Not known" kept), ``numerator``,
    ``denominator``, ``rate`` (%) and ``rate_lower`` / ``rate_upper`` (95% Wilson). Only groups
    with records appear. Each rate's measure is run once, by decile and ethnic group."""
    return _rates_table(store, Period.of(period_start, period_end), measures)


def why_index_withheld(by_decile: pd.DataFrame, minimum: int) -> str | None:
    """Why the SII and RII of a rate are not shown, in words, or None when they may be.

    measures.md section 7 (presentation rules): the indices are shown only where every IMD
    decile's denominator reaches ``minimum`` (the minimum for charts) and the events (the
    numerator) across the deciles number at least :data:`MIN_EVENTS`. ``by_decile`` has one row
    per decile (``group`` or ``imd_decile``, ``numerator``, ``denominator``); "Not known" is
    not a decile and is not counted.

    Examples
    --------
    >>> deciles = pd.DataFrame({"group": [str(d) for d in range(1, 11)],
    ...                         "numerator": [1] * 10, "denominator": [60] * 10})
    >>> why_index_withheld(deciles, 50)
    'only 10 events across the deciles, fewer than the 50 an index needs'
    >>> why_index_withheld(deciles.assign(numerator=5), 50) is None
    True
    """
    key = "group" if "group" in by_decile else IMD_DECILE
    known = by_decile[by_decile[key].astype(str) != NOT_KNOWN]
    denominators = {str(k): int(v) for k, v in zip(known[key], known["denominator"], strict=True)}
    short = [d for d in (str(i) for i in range(1, 11)) if denominators.get(d, 0) < minimum]
    events = int(known["numerator"].sum())
    reasons = []
    if short:
        which = "all 10 deciles" if len(short) == 10 else f"{len(short)} of the 10 deciles"
        reasons.append(f"{which} had fewer than {minimum} in the denominator")
    if events < MIN_EVENTS:
        reasons.append(
            f"only {events} events across the deciles, fewer than the {MIN_EVENTS} an index needs"
        )
    return "; ".join(reasons) if reasons else None


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
    kwargs: dict[str, Any] = {} if seed is None else {"seed": seed}
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
    store: Store,
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
    return _summary_table(store, Period.of(period_start, period_end), measures)


INEQUALITY_RATES = Measure(
    family="outcomes",
    name="inequality_rates",
    title="Outcome rates by IMD decile, IMD quintile and ethnic group",
    section="5",
    function=rates_by_inequality_group,
    grouped=inequality_rates_by_sets,
    facts=("contact_counts", "assessment_pairs", "spells", "ucr_clocks"),
    breakdowns=(),
    columns=columns(
        label("measure", "Outcome rate"),
        label("grouping", "Grouping (IMD decile, IMD quintile or ethnic group)"),
        label("group", "Group"),
        count("numerator", "Numerator"),
        count("denominator", "Denominator"),
        percentage("rate", "Rate (%)", "numerator", "denominator"),
    ),
    tables=(AggregateTable("inequality_rates", levels=("england",)),),
)

INEQUALITY = Measure(
    family="outcomes",
    name="inequality",
    title="Slope and relative index of inequality of the outcome rates",
    section="5",
    function=inequality_summary,
    grouped=inequality_summary_by_sets,
    facts=("contact_counts", "assessment_pairs", "spells", "ucr_clocks"),
    breakdowns=(),
    columns=columns(
        label("measure", "Outcome rate"),
        label("description", "What the rate counts"),
        count("numerator", "Numerator"),
        count("denominator", "Denominator"),
        percentage("rate", "Rate (%)", "numerator", "denominator"),
        value("deciles_used", "IMD deciles in the regression"),
        count("denominator_used", "Denominator in the regression"),
        count("excluded_not_known", "Denominator with no IMD decile (left out)"),
        count("excluded_numerator", "Numerator with no IMD decile (left out)"),
        value("sii", "Slope index of inequality (percentage points)", "percentage points"),
        value("sii_lower", "Slope index of inequality: lower 95% limit", "percentage points"),
        value("sii_upper", "Slope index of inequality: upper 95% limit", "percentage points"),
        value("rii", "Relative index of inequality"),
        value("rii_lower", "Relative index of inequality: lower 95% limit"),
        value("rii_upper", "Relative index of inequality: upper 95% limit"),
        label("ci_method", "How the intervals were computed"),
    ),
    tables=(AggregateTable("inequality", levels=("england",)),),
)
