"""A Data Quality Maturity Index style score per provider (MEASURES.md section 2).

item score = (valid - excess defaults) / records x 100, where excess defaults =
max(0, defaults - threshold x records) with a per-item default threshold;
provider score = mean of item scores x coverage, where coverage is the share of expected
(table, month) submissions the provider made in the period.

Where MEASURES.md is silent (the CSDS DQMI item list and thresholds were not available,
DOMAIN.md open question 6), the workbench scores every required item of the core tables (mpi,
referrals, care_contacts), with a default threshold of 0 (any default counts against the item)
except the items below, and expects a submission of each core table for every month. A file
covers the reporting period that ends the day before its submission date (a monthly file dated
1 May covers April; a daily file covers the day before).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbench.measures.dq.items import item_quality
from workbench.spec import TABLES

CORE_TABLES = ("mpi", "referrals", "care_contacts")
#: Share of records that may carry a "not known" code before it counts against the item.
DEFAULT_THRESHOLDS = {
    "ethnic_category": 0.05,
    "gender": 0.01,
    "source_of_referral": 0.02,
    "primary_referral_reason": 0.02,
}


def _months(start: dt.date, end: dt.date) -> list[str]:
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month.strftime("%Y-%m"))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def coverage(report: dict, period_start, period_end) -> pd.Series:
    """Per provider: the share of expected (core table, submission month) pairs submitted."""
    start, end = (dt.date.fromisoformat(str(d)) for d in (period_start, period_end))
    months = _months(start, end)
    seen: dict[str, set] = {}
    for f in report["files"]:
        covered = dt.date.fromisoformat(f["submission_date"]) - dt.timedelta(days=1)
        month = covered.strftime("%Y-%m")
        if f["table"] in CORE_TABLES and month in months:
            seen.setdefault(f["provider_code"], set()).add((f["table"], month))
    expected = len(CORE_TABLES) * len(months)
    return pd.Series({p: len(s) / expected for p, s in seen.items()}, name="coverage")


def dqmi_scores(store, period_start, period_end) -> pd.DataFrame:
    """Per provider: ``items`` scored, ``mean_item_score``, ``coverage`` and ``dqmi``, plus the
    item scores in long form from :func:`dqmi_item_scores`."""
    items = dqmi_item_scores(store, period_start, period_end)
    scores = items.groupby("provider")["item_score"].agg(items="count", mean_item_score="mean")
    cov = coverage(store.report, period_start, period_end)
    scores["coverage"] = cov.reindex(scores.index).fillna(0.0)
    scores["dqmi"] = scores["mean_item_score"] * scores["coverage"]
    return scores.reset_index()


def dqmi_item_scores(store, period_start, period_end) -> pd.DataFrame:
    """Per provider and item of the core tables: records, valid, defaults, threshold,
    excess_defaults and item_score."""
    quality = item_quality(store, period_start, period_end, by="provider", tables=CORE_TABLES)
    required = {
        (t, c.name) for t in CORE_TABLES for c in TABLES[t].columns if c.requirement == "required"
    }
    quality = quality[
        [(t, i) in required for t, i in zip(quality["table"], quality["item"], strict=True)]
    ].copy()
    quality = quality[quality["records"] > 0]
    quality["threshold"] = quality["item"].map(DEFAULT_THRESHOLDS).fillna(0.0)
    quality["excess_defaults"] = (
        quality["default"] - quality["threshold"] * quality["records"]
    ).clip(lower=0)
    quality["item_score"] = (
        (quality["valid"] - quality["excess_defaults"]) / quality["records"] * 100
    )
    return quality[
        [
            "provider",
            "table",
            "item",
            "records",
            "valid",
            "default",
            "threshold",
            "excess_defaults",
            "item_score",
        ]
    ].reset_index(drop=True)
