"""The assessment pair fact: every pair a referral's scored assessments with a tool can make
(measures.md section 5, "Scored assessments").

A completed assessment has a score and a completion date, and a tool in the shipped tool table
(:mod:`workbench.spec.assessment_tools`; other codes have no direction). The pair of a referral
and tool as at a day D is its first completed assessment and its last completed on or before D,
on different dates. The first is the same whatever D is, so the pairs a referral and tool can
ever make are one per later assessment: one row per completed assessment after the first, with

* ``first_date``, ``first_score``: the first completed assessment;
* ``last_date``, ``last_score``: this assessment, the last of the pair;
* ``next_date``: the next completed assessment's date (NULL when none): the pair is the one as
  at D for ``last_date <= D < next_date``;
* ``change``: last - first read in the tool's direction (positive is better);
* ``higher_is_better`` and every breakdown of the referral (:mod:`workbench.facts._attach`).

A period [S, E] counts the pair as at E whose last assessment is in the period: the row with
``S <= last_date <= E`` and ``next_date`` NULL or after E. The store holds at most one
assessment per referral, tool and date, so dates order a referral's assessments with no ties.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.facts._attach import REFERRAL_KEY, with_referral_breakdowns
from workbench.spec.assessment_tools import ASSESSMENT_TOOLS

if TYPE_CHECKING:
    from workbench.store import Store


PAIR_KEY = (*REFERRAL_KEY, "assessment_tool")


def _tool_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "_tool": [t.code for t in ASSESSMENT_TOOLS],
            "_sign": [1 if t.higher_is_better else -1 for t in ASSESSMENT_TOOLS],
        }
    )


def tool_directions(store: Store) -> ir.Table:
    """The shipped tool table on the store's engine: ``_tool`` (code) and ``_sign`` (1 when a
    higher score is better, -1 when lower is better)."""
    return store.reference("outcomes_assessment_tools", _tool_frame)


def completed_assessments(store: Store) -> ir.Table:
    """Completed assessments of known tools: ``provider_code, referral_id, assessment_tool,
    completion_date, score, _sign``."""
    assessments = store["assessments"]
    done = assessments.filter(
        assessments.provider_code.notnull(),
        assessments.referral_id.notnull(),
        assessments.assessment_tool.notnull(),
        assessments.completion_date.notnull(),
        assessments.score.notnull(),
    )
    tools = tool_directions(store)
    return done.join(tools, done.assessment_tool == tools._tool).select(
        *PAIR_KEY, "completion_date", "score", "_sign"
    )


def pair_records(store: Store) -> ir.Table:
    """Every possible pair (see the module docstring), without breakdowns."""
    done = completed_assessments(store)
    following = ibis.window(group_by=list(PAIR_KEY), order_by="completion_date")
    done = done.mutate(next_date=done.completion_date.lead().over(following))
    firsts = done.group_by(list(PAIR_KEY)).aggregate(first_date=done.completion_date.min())
    first = done.select(*PAIR_KEY, first_date="completion_date", first_score="score")
    firsts = firsts.join(first, [*PAIR_KEY, "first_date"])
    joined = done.join(firsts, list(PAIR_KEY))
    joined = joined.filter(joined.completion_date > joined.first_date)
    return joined.select(
        *PAIR_KEY,
        "first_date",
        "first_score",
        last_date=joined.completion_date,
        last_score=joined.score,
        next_date=joined.next_date,
        change=(joined.score - joined.first_score) * joined._sign,
        higher_is_better=joined._sign == 1,
    )


def assessment_pairs(store: Store, facts: Callable[[str], ir.Table]) -> ir.Table:
    """The assessment pair fact of ``store`` (see the module docstring)."""
    return with_referral_breakdowns(pair_records(store), facts("referral_breakdowns"))
