"""Scored assessments: paired first and last scores (measures.md section 5, "Scored
assessments").

Per referral and assessment tool, the first and the last completed assessments on different
dates form a pair; change = last - first, read in the tool's direction (higher better or lower
better, from :mod:`workbench.spec.assessment_tools`).

Decisions where measures.md is silent:

* completed assessment: a row with a score and a completion date, of a tool in the shipped tool
  table (other tool codes have no direction and are left out; the data quality report counts
  invalid codes);
* as at the end of the period: only assessments completed on or before ``period_end`` take
  part, and a pair is counted in the period when its last assessment falls in it. A referral
  assessed again later is counted again in that later period, with its longer pair; a report
  for a past period never changes when later assessments arrive;
* the store holds at most one assessment per referral, tool and date (the table's key), so the
  first and last are the rows at the minimum and maximum completion dates; there are no ties
  to break. Two assessments on the same single date are therefore never a pair;
* ``change`` is reported in the improvement direction: last - first for a higher-is-better
  tool, first - last for a lower-is-better one, so a positive change always means better;
* Wilcoxon signed-rank test, two-sided, of the direction-adjusted changes against zero, with
  ``zero_method="wilcox"`` (unchanged pairs are dropped, the classic test) and no continuity
  correction; the exact null distribution when there are at most 50 non-zero changes and no
  tied absolute changes, the normal approximation otherwise (with the tie correction). NaN when
  fewer than 6 non-zero changes (with 5 the smallest two-sided exact p value is 0.0625);
* breakdowns are those of the referral; the month breakdown is the month of the last
  assessment.

Every pair a referral and tool can make is a row of the assessment pair fact
(:mod:`workbench.facts.assessment_pairs`); the pair of a period is one filter on it. The
Wilcoxon test needs only how many pairs of each group have each change (ranks follow from the
distribution of the absolute changes), so only those counts are fetched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
from scipy.special import ndtr

from workbench.breakdowns import month_of
from workbench.facts import fact_table
from workbench.facts.assessment_pairs import tool_directions
from workbench.measures.declare import (
    AggregateTable,
    Measure,
    average,
    columns,
    label,
    percentage,
    value,
)
from workbench.measures.declare import count as count_column
from workbench.measures.grouping_sets import SET_COLUMN, aggregate_by_sets
from workbench.measures.outcomes._common import (
    OUTCOME_BREAKDOWNS,
    REFERRAL_EXTRAS,
    add_proportion,
    as_counts,
    count,
    ordered,
    set_columns,
    sets_with,
)
from workbench.period import Period
from workbench.spec.assessment_tools import ASSESSMENT_TOOLS

if TYPE_CHECKING:
    from workbench.store import Store


__all__ = ["assessment_pairs", "paired_assessments", "tool_directions"]

#: Fewer non-zero changes than this give no Wilcoxon p value.
MIN_NONZERO_PAIRS = 6
#: Up to this many non-zero changes (and no ties) the exact distribution is used.
EXACT_LIMIT = 50

PAIR_COLUMNS = (
    "pairs",
    "improved",
    "unchanged",
    "worse",
    "pct_improved",
    "pct_improved_lower",
    "pct_improved_upper",
    "pct_unchanged",
    "pct_unchanged_lower",
    "pct_unchanged_upper",
    "pct_worse",
    "pct_worse_lower",
    "pct_worse_upper",
    "median_change",
    "nonzero_pairs",
    "wilcoxon_p",
)


def assessment_pairs(
    store: Store, period_start: dt.date | str, period_end: dt.date | str
) -> ir.Table:
    """One row per referral and tool with a pair whose last assessment is in the period:
    ``provider_code, referral_id, assessment_tool, first_date, last_date, first_score,
    last_score, change`` (direction-adjusted: positive is better), and the referral's
    breakdowns."""
    return _pairs_in(store, Period.of(period_start, period_end))


def _pairs_in(store: Store, period: Period) -> ir.Table:
    pairs = fact_table(store, "assessment_pairs")
    s, e = ibis.literal(period.start), ibis.literal(period.end)
    chosen = pairs.filter(
        pairs.last_date >= s,
        pairs.last_date <= e,
        pairs.next_date.isnull() | (pairs.next_date > e),
    )
    return chosen.drop("next_date").mutate(month=month_of(chosen.last_date))


def _wilcoxon_p(changes: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p value of ``changes`` against 0 (see module docstring):
    the definition, with :func:`scipy.stats.wilcoxon`. The measure works the same value out of
    counts (:func:`wilcoxon_from_counts`), so as not to fetch the changes themselves."""
    nonzero = changes[changes != 0]
    if nonzero.size < MIN_NONZERO_PAIRS:
        return float("nan")
    ties = np.unique(np.abs(nonzero)).size < nonzero.size
    method = "exact" if nonzero.size <= EXACT_LIMIT and not ties else "approx"
    from scipy.stats import wilcoxon  # the definition's check only; scipy.stats is slow to import

    result = wilcoxon(
        nonzero, zero_method="wilcox", correction=False, alternative="two-sided", method=method
    )
    return float(result.pvalue)


@cache
def _signed_rank_pmf(n: int) -> np.ndarray:
    """The exact null distribution of the signed-rank statistic W+ of ``n`` untied non-zero
    changes: P(W+ = k) for k = 0 .. n(n+1)/2 (the number of subsets of the ranks 1..n summing
    to k, over 2^n)."""
    ways = np.zeros(n * (n + 1) // 2 + 1, dtype=object)
    ways[0] = 1
    for rank in range(1, n + 1):
        ways[rank:] = ways[rank:] + ways[: len(ways) - rank].copy()
    return np.array([float(w) for w in ways]) / 2.0**n


def _exact_p(n: int, r_plus: float) -> float:
    """Two-sided exact p value of W+ = ``r_plus`` with ``n`` untied non-zero changes, as
    :func:`scipy.stats.wilcoxon` gives it (twice the smaller tail, at most 1)."""
    pmf = _signed_rank_pmf(n)
    mean = n * (n + 1) / 4
    low, high = int(np.ceil(r_plus)), int(np.floor(r_plus))

    def cdf(k: int) -> float:
        return pmf[: k + 1].sum() if k <= mean else 1 - pmf[k + 1 :].sum()

    def sf(k: int) -> float:
        return pmf[k:].sum() if k <= mean else 1 - pmf[:k].sum()

    return float(np.clip(2 * min(sf(high), cdf(low)), 0, 1))


def wilcoxon_from_counts(
    group: np.ndarray, change: np.ndarray, pairs: np.ndarray, groups: int
) -> np.ndarray:
    """The Wilcoxon p value of groups ``0 .. groups - 1`` from counts: ``pairs[i]`` pairs of
    group ``group[i]`` have the non-zero change ``change[i]`` (one row per group and change).

    Each p value is the one :func:`_wilcoxon_p` gives for the group's changes: W+ is the sum of
    the average ranks of the absolute changes over the positive changes, worked from how many
    pairs have each absolute change; the p value comes from the exact distribution where it
    applies (at most 50 non-zero changes, none tied), otherwise from the normal approximation
    with the tie correction and no continuity correction. NaN under 6 non-zero changes."""
    out = np.full(groups, np.nan)
    if len(group) == 0:
        return out
    size = np.abs(change)
    order = np.lexsort((size, group))
    g, size, change, pairs = group[order], size[order], change[order], pairs[order]
    starts = np.r_[True, (g[1:] != g[:-1]) | (size[1:] != size[:-1])]
    block = np.cumsum(starts) - 1
    tied = np.bincount(block, weights=pairs)  # pairs with each absolute change
    positive = np.bincount(block, weights=np.where(change > 0, pairs, 0))
    owner = g[starts]
    before = np.cumsum(tied) - tied
    first = np.where(np.r_[True, owner[1:] != owner[:-1]], np.arange(len(owner)), 0)
    before = before - before[np.maximum.accumulate(first)]
    rank = before + (tied + 1) / 2
    n = np.bincount(owner, weights=tied, minlength=groups)
    r_plus = np.bincount(owner, weights=positive * rank, minlength=groups)
    ties = np.bincount(owner, weights=tied**3 - tied, minlength=groups)
    most = np.zeros(groups)
    np.maximum.at(most, owner, tied)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt((n * (n + 1) * (2 * n + 1) - ties / 2) / 24)
        z = (r_plus - n * (n + 1) * 0.25) / se
    testable = n >= MIN_NONZERO_PAIRS
    out[testable] = 2 * ndtr(-np.abs(z[testable]))
    for i in np.flatnonzero(testable & (n <= EXACT_LIMIT) & (most == 1)):
        out[i] = _exact_p(int(n[i]), float(r_plus[i]))
    return out


def _fill_every_tool(frame: pd.DataFrame, sets: list[tuple[str, ...]]) -> pd.DataFrame:
    """Give every tool in the tool table a row (0 pairs) in the set without breakdowns."""
    if ("assessment_tool",) not in sets:
        return frame
    i = sets.index(("assessment_tool",))
    have = set(frame.loc[frame[SET_COLUMN] == i, "assessment_tool"])
    missing = [t.code for t in ASSESSMENT_TOOLS if t.code not in have]
    if not missing:
        return frame
    extra = pd.DataFrame({"assessment_tool": missing, SET_COLUMN: i})
    return pd.concat([frame, extra], ignore_index=True)


def paired_assessments_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Paired assessment outcomes for every grouping set (and assessment tool) in one pass."""
    records = _pairs_in(store, period)
    with_tool = sets_with(sets, "assessment_tool")
    change = records.change
    frame = aggregate_by_sets(
        records,
        with_tool,
        {
            "pairs": records.count(),
            "improved": count(change > 0),
            "unchanged": count(change == 0),
            "worse": count(change < 0),
            "median_change": change.quantile(0.5),
        },
    )
    frame = _fill_every_tool(frame, with_tool)
    as_counts(frame, ["pairs", "improved", "unchanged", "worse"])
    frame["median_change"] = frame["median_change"].astype("float64")
    direction = {t.code: t.higher_is_better for t in ASSESSMENT_TOOLS}
    frame["higher_is_better"] = frame["assessment_tool"].map(direction).astype(bool)
    for outcome in ("improved", "unchanged", "worse"):
        add_proportion(frame, f"pct_{outcome}", outcome, "pairs")
    frame["nonzero_pairs"] = frame["improved"] + frame["worse"]

    keys = set_columns(with_tool)
    groups = [SET_COLUMN, *keys]
    frame["wilcoxon_p"] = np.nan
    if (frame["nonzero_pairs"] >= MIN_NONZERO_PAIRS).any():
        nonzero = records.filter(records.change != 0)
        counts = aggregate_by_sets(nonzero, sets_with(with_tool, "change"), {"n": nonzero.count()})
        both = pd.concat([frame[groups], counts[groups]], ignore_index=True)
        ids = both.groupby(groups, sort=False, dropna=False).ngroup().to_numpy()
        p = wilcoxon_from_counts(
            ids[len(frame) :],
            counts["change"].to_numpy("float64"),
            counts["n"].to_numpy("float64"),
            int(ids.max()) + 1,
        )
        frame["wilcoxon_p"] = p[ids[: len(frame)]]
    out = ordered(frame, with_tool, ("higher_is_better", *PAIR_COLUMNS))
    out["wilcoxon_p"] = out["wilcoxon_p"].astype("float64")
    return out


def paired_assessments(
    store: Store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Paired assessment outcomes by the breakdowns and ``assessment_tool`` (measures.md 5).

    A pair is the first and the last completed assessment of a referral with a tool, on
    different dates, whose last assessment is in [period_start, period_end] (assessments after
    the period end are not looked at). change = last - first, read in the tool's direction.

    Returns the breakdown columns, ``assessment_tool``, ``higher_is_better``, ``pairs``,
    ``improved`` (change > 0), ``unchanged`` (= 0), ``worse`` (< 0), ``pct_improved``,
    ``pct_unchanged``, ``pct_worse`` (% of pairs, each with ``_lower``/``_upper`` 95% Wilson
    limits), ``median_change`` (in the improvement direction, score points), ``nonzero_pairs``
    and ``wilcoxon_p`` (two-sided signed-rank test of the changes, NaN under 6 non-zero
    changes). Without breakdowns every tool in the tool table has a row (0 pairs when none).
    """
    return ASSESSMENTS.run(store, Period.of(period_start, period_end), by)


ASSESSMENTS = Measure(
    family="outcomes",
    name="assessments",
    within=("assessment_tool",),
    title="Paired scored assessments: first and last scores",
    section="5",
    function=paired_assessments,
    grouped=paired_assessments_by_sets,
    facts=("assessment_pairs",),
    breakdowns=OUTCOME_BREAKDOWNS,
    columns=columns(
        label("assessment_tool", "Assessment tool"),
        label("higher_is_better", "A higher score is better"),
        count_column("pairs", "Paired assessments", "pairs"),
        count_column("improved", "Improved", "pairs"),
        count_column("unchanged", "Unchanged", "pairs"),
        count_column("worse", "Worse", "pairs"),
        percentage("pct_improved", "% of pairs improved", "improved", "pairs"),
        percentage("pct_unchanged", "% of pairs unchanged", "unchanged", "pairs"),
        percentage("pct_worse", "% of pairs worse", "worse", "pairs"),
        average("median_change", "Median change (score points, positive is better)", "pairs", ""),
        count_column("nonzero_pairs", "Pairs with a change", "pairs"),
        value("wilcoxon_p", "Wilcoxon signed-rank test p value"),
    ),
    tables=(AggregateTable("paired_assessments", extras=REFERRAL_EXTRAS[1:]),),
)
