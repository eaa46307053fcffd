"""Scored assessments: paired first and last scores (MEASURES.md section 5, "Scored
assessments").

Per referral and assessment tool, the first and the last completed assessments on different
dates form a pair; change = last - first, read in the tool's direction (higher better or lower
better, from :mod:`workbench.spec.assessment_tools`).

Decisions where MEASURES.md is silent:

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
  tied absolute changes, the normal approximation otherwise. NaN when fewer than 6 non-zero
  changes (with 5 the smallest two-sided exact p value is 0.0625);
* breakdowns are those of the referral; the month breakdown is the month of the last
  assessment.
"""

from __future__ import annotations

import datetime as dt

import ibis.expr.types as ir
import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

from workbench.measures.grouping import breakdowns, reduce, sort_groups, with_breakdowns
from workbench.measures.outcomes._common import (
    REFERRAL_KEY,
    add_proportion,
    as_counts,
    count,
    month_expr,
    period,
)
from workbench.spec.assessment_tools import ASSESSMENT_TOOLS

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


def _tool_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "_tool": [t.code for t in ASSESSMENT_TOOLS],
            "_sign": [1 if t.higher_is_better else -1 for t in ASSESSMENT_TOOLS],
        }
    )


def tool_directions(store) -> ir.Table:
    """The shipped tool table on the store's engine: ``_tool`` (code) and ``_sign`` (1 when a
    higher score is better, -1 when lower is better)."""
    return store.reference("outcomes_assessment_tools", _tool_frame)


def assessment_pairs(store, period_start: dt.date | str, period_end: dt.date | str) -> ir.Table:
    """One row per referral and tool with a pair whose last assessment is in the period:
    ``provider_code, referral_id, assessment_tool, first_date, last_date, first_score,
    last_score, change`` (direction-adjusted: positive is better)."""
    s, e = period(period_start, period_end)
    assessments = store["assessments"]
    done = assessments.filter(
        assessments.provider_code.notnull(),
        assessments.referral_id.notnull(),
        assessments.assessment_tool.notnull(),
        assessments.completion_date.notnull(),
        assessments.score.notnull(),
        assessments.completion_date <= e,
    )
    tools = tool_directions(store)
    done = done.join(tools, done.assessment_tool == tools._tool).select(
        *REFERRAL_KEY, "assessment_tool", "completion_date", "score", "_sign"
    )
    key = [*REFERRAL_KEY, "assessment_tool"]
    ends = done.group_by(key).aggregate(
        first_date=done.completion_date.min(), last_date=done.completion_date.max()
    )
    ends = ends.filter(ends.first_date < ends.last_date, ends.last_date >= s)
    first = done.select(*key, first_date="completion_date", first_score="score")
    last = done.select(*key, last_date="completion_date", last_score="score", _sign="_sign")
    pairs = ends.join(first, [*key, "first_date"]).join(last, [*key, "last_date"])
    return pairs.select(
        *key,
        "first_date",
        "last_date",
        "first_score",
        "last_score",
        change=(pairs.last_score - pairs.first_score) * pairs._sign,
    )


def _wilcoxon_p(changes: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p value of ``changes`` against 0 (see module docstring)."""
    nonzero = changes[changes != 0]
    if nonzero.size < MIN_NONZERO_PAIRS:
        return float("nan")
    ties = np.unique(np.abs(nonzero)).size < nonzero.size
    method = "exact" if nonzero.size <= EXACT_LIMIT and not ties else "approx"
    result = wilcoxon(
        nonzero, zero_method="wilcox", correction=False, alternative="two-sided", method=method
    )
    return float(result.pvalue)


def paired_assessments(
    store,
    period_start: dt.date | str,
    period_end: dt.date | str,
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """Paired assessment outcomes by the breakdowns and ``assessment_tool`` (MEASURES.md 5).

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
    by = breakdowns(by)
    pairs = assessment_pairs(store, period_start, period_end)
    records = with_breakdowns(pairs, store, by, month=month_expr(pairs.last_date))
    groups = [*by, "assessment_tool"]
    change = records.change
    frame = reduce(
        records,
        groups,
        pairs=records.count(),
        improved=count(change > 0),
        unchanged=count(change == 0),
        worse=count(change < 0),
        median_change=change.quantile(0.5),
    )
    if not by:
        every_tool = pd.DataFrame({"assessment_tool": [t.code for t in ASSESSMENT_TOOLS]})
        frame = every_tool.merge(frame, on="assessment_tool", how="left")
    as_counts(frame, ["pairs", "improved", "unchanged", "worse"])
    frame["median_change"] = frame["median_change"].astype("float64")
    direction = {t.code: t.higher_is_better for t in ASSESSMENT_TOOLS}
    frame.insert(len(by) + 1, "higher_is_better", frame["assessment_tool"].map(direction))
    for outcome in ("improved", "unchanged", "worse"):
        add_proportion(frame, f"pct_{outcome}", outcome, "pairs")
    frame["nonzero_pairs"] = frame["improved"] + frame["worse"]

    # Wilcoxon: fetch only the groups and the change column of the groups that can have a test.
    testable = frame.loc[frame["nonzero_pairs"] >= MIN_NONZERO_PAIRS, groups]
    p_values = pd.Series(np.nan, index=frame.index, dtype="float64")
    if not testable.empty:
        changes = records.filter(records.change != 0).select(*groups, "change").to_pandas()
        by_group = {
            (k if isinstance(k, tuple) else (k,)): g["change"].to_numpy(dtype="float64")
            for k, g in changes.groupby(groups, sort=False)
        }
        for i, row in testable.iterrows():
            values = by_group.get(tuple(row[groups]), np.array([]))
            p_values[i] = _wilcoxon_p(values)
    frame["wilcoxon_p"] = p_values
    frame = frame[[*groups, "higher_is_better", *PAIR_COLUMNS]]
    return sort_groups(frame, groups)
