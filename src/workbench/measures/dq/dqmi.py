"""A Data Quality Maturity Index style score per provider (measures.md section 2).

item score = (valid - excess defaults) / records x 100, where excess defaults =
max(0, defaults - threshold x records) with a per-item default threshold;
provider score = mean of item scores x coverage, where coverage is the share of expected
(table, month) submissions the provider made in the period.

Where measures.md is silent (the CSDS DQMI item list and thresholds were not available,
sources.md open question 6), the workbench scores every required item of the core tables (mpi,
referrals, care_contacts), with a default threshold of 0 (any default counts against the item)
except the items below, and expects a submission of each core table for every month. A file
covers the reporting period that ends the day before its submission date (a monthly file dated
1 May covers April; a daily file covers the day before).

Without the provider breakdown (England), the item scores are over every provider's records and
the coverage is the mean coverage of the providers that submitted a core table in the period.
A period with no records gives an empty frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench.measures.declare import AggregateTable, Measure, columns, value
from workbench.measures.dq.items import item_quality_by_sets
from workbench.measures.dq.population import period_of
from workbench.measures.grouping_sets import SET_COLUMN, one_set, split_by_set, unique_sets
from workbench.period import Period
from workbench.spec import TABLES

if TYPE_CHECKING:
    from workbench.store import Store


CORE_TABLES = ("mpi", "referrals", "care_contacts")
#: Share of records that may carry a "not known" code before it counts against the item.
DEFAULT_THRESHOLDS = {
    "ethnic_category": 0.05,
    "gender": 0.01,
    "source_of_referral": 0.02,
    "primary_referral_reason": 0.02,
}
ITEM_SCORE_COLUMNS = (
    "table",
    "item",
    "records",
    "valid",
    "default",
    "threshold",
    "excess_defaults",
    "item_score",
)
SCORE_COLUMNS = ("items", "mean_item_score", "coverage", "dqmi")


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """The months (``YYYY-MM``) from ``start``'s to ``end``'s, in order."""
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month.strftime("%Y-%m"))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def coverage(report: dict, period_start: dt.date | str, period_end: dt.date | str) -> pd.Series:
    """Per provider: the share of expected (core table, submission month) pairs submitted."""
    start, end = (dt.date.fromisoformat(str(d)) for d in (period_start, period_end))
    months = months_between(start, end)
    seen: dict[str, set] = {}
    for f in report.get("files", []):
        covered = dt.date.fromisoformat(f["submission_date"]) - dt.timedelta(days=1)
        month = covered.strftime("%Y-%m")
        if f["table"] in CORE_TABLES and month in months:
            seen.setdefault(f["provider_code"], set()).add((f["table"], month))
    expected = len(CORE_TABLES) * len(months)
    return pd.Series(
        {p: len(s) / expected for p, s in seen.items()}, name="coverage", dtype="float64"
    )


def dqmi_item_scores_by_sets(
    store: Store, period: Period | None, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Item scores of the required items of the core tables for every grouping set, from one
    item quality query per core table."""
    quality = item_quality_by_sets(store, period, sets, tables=CORE_TABLES)
    required = {
        (t, c.name) for t in CORE_TABLES for c in TABLES[t].columns if c.requirement == "required"
    }
    keep = pd.Series(
        [(t, i) in required for t, i in zip(quality["table"], quality["item"], strict=True)],
        index=quality.index,
        dtype=bool,
    )
    quality = quality[keep & (quality["records"] > 0)].copy()
    quality["threshold"] = quality["item"].map(DEFAULT_THRESHOLDS).fillna(0.0).astype("float64")
    quality["excess_defaults"] = (
        quality["default"] - quality["threshold"] * quality["records"]
    ).clip(lower=0)
    quality["item_score"] = (
        (quality["valid"] - quality["excess_defaults"]) / quality["records"] * 100
    ).astype("float64")
    keys = [c for c in ("provider",) if c in quality.columns]
    return quality[[*keys, *ITEM_SCORE_COLUMNS, SET_COLUMN]].reset_index(drop=True)


def dqmi_by_sets(
    store: Store, period: Period | None, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Provider (or England) scores for every grouping set (see the module docstring)."""
    sets = unique_sets(sets)
    items = dqmi_item_scores_by_sets(store, period, sets)
    # with no period no submission is expected: coverage, and so the score, is not known
    cov = None if period is None else coverage(store.report, period.start, period.end)
    parts = []
    for s, part in split_by_set(items, sets):
        if s:
            scores = part.groupby(list(s))["item_score"].agg(items="count", mean_item_score="mean")
            scores = scores.reset_index()
            scores["coverage"] = (
                float("nan") if cov is None else scores["provider"].map(cov).fillna(0.0)
            )
        else:
            scores = pd.DataFrame(
                {
                    "items": [len(part)],
                    "mean_item_score": [part["item_score"].mean()],
                    "coverage": [float("nan") if cov is None or not len(cov) else cov.mean()],
                }
            )
            scores = scores[scores["items"] > 0]
        scores["items"] = scores["items"].astype("int64")
        scores["mean_item_score"] = scores["mean_item_score"].astype("float64")
        scores["coverage"] = scores["coverage"].astype("float64")
        scores["dqmi"] = scores["mean_item_score"] * scores["coverage"]
        scores[SET_COLUMN] = sets.index(s)
        parts.append(scores[[*s, *SCORE_COLUMNS, SET_COLUMN]])
    return pd.concat(parts, ignore_index=True)


def dqmi_scores(
    store: Store, period_start: dt.date | str, period_end: dt.date | str
) -> pd.DataFrame:
    """Per provider: ``items`` scored, ``mean_item_score``, ``coverage`` and ``dqmi``, plus the
    item scores in long form from :func:`dqmi_item_scores`. Empty for a period with no records."""
    return one_set(
        dqmi_by_sets(store, period_of(period_start, period_end), [("provider",)]), ["provider"]
    )


def dqmi_item_scores(
    store: Store, period_start: dt.date | str, period_end: dt.date | str
) -> pd.DataFrame:
    """Per provider and item of the core tables: records, valid, defaults, threshold,
    excess_defaults and item_score."""
    frame = dqmi_item_scores_by_sets(store, period_of(period_start, period_end), [("provider",)])
    return frame.drop(columns=[SET_COLUMN])


DQMI = Measure(
    family="dq",
    name="dqmi",
    title="Data quality maturity index (DQMI style) score",
    section="2",
    function=dqmi_scores,
    grouped=dqmi_by_sets,
    facts=("person_months",),
    breakdowns=("provider",),
    columns=columns(
        value("items", "Data items scored"),
        value("mean_item_score", "Mean item score"),
        value("coverage", "Share of expected submissions made"),
        value("dqmi", "DQMI score (mean item score x coverage)"),
    ),
    tables=(AggregateTable("dqmi", levels=("provider",)),),
)

MEASURES = (DQMI,)
