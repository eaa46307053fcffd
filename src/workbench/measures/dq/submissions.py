"""Submission coverage: the months each provider did not submit (measures.md section 2).

A month counts as submitted when the provider sent a file of every core table (the MPI,
referrals and care contacts: :data:`workbench.measures.dq.dqmi.CORE_TABLES`) covering it; a file
covers the reporting period that ends the day before its submission date (a monthly file dated
1 May covers April), as for the DQMI-style coverage. The months of the period are expected.

Per provider: ``months_expected``, ``months_submitted``, ``months_not_submitted`` and
``months_missing`` (the months not submitted, ``YYYY-MM`` listed, or "none"). Without the
provider breakdown (England): the months summed over every provider that submitted any file,
and ``months_missing`` as the number of providers with a month missing. Months are about
submissions, not people, so no disclosure control applies (the ``value`` role).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench.measures.declare import AggregateTable, Measure, columns, label, value
from workbench.measures.dq.dqmi import CORE_TABLES, months_between
from workbench.measures.grouping_sets import SET_COLUMN, one_set, unique_sets
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store

NONE_MISSING = "none"


def submitted_months(report: dict, months: Sequence[str]) -> dict[str, set[str]]:
    """Per provider that ever sent a core table: the months of ``months`` covered by a file of
    every core table."""
    seen: dict[str, dict[str, set[str]]] = {}
    for f in report.get("files", []):
        if f["table"] not in CORE_TABLES:  # e.g. an acute trust's admissions: not a submitter
            continue
        covered = dt.date.fromisoformat(f["submission_date"]) - dt.timedelta(days=1)
        month = covered.strftime("%Y-%m")
        tables = seen.setdefault(f["provider_code"], {})
        if month in months:
            tables.setdefault(month, set()).add(f["table"])
    return {
        provider: {m for m, t in by_month.items() if set(CORE_TABLES) <= t}
        for provider, by_month in seen.items()
    }


def submission_coverage_by_sets(
    store: Store, period: Period | None, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Coverage for every grouping set (``("provider",)`` or England) in one pass."""
    sets = unique_sets(sets)
    months = [] if period is None else months_between(period.start, period.end)
    done = submitted_months(store.report, months)
    rows = []
    for provider in sorted(done):
        missing = [m for m in months if m not in done[provider]]
        rows.append(
            {
                "provider": provider,
                "months_expected": len(months),
                "months_submitted": len(months) - len(missing),
                "months_not_submitted": len(missing),
                "months_missing": ", ".join(missing) or NONE_MISSING,
            }
        )
    providers = pd.DataFrame(
        rows,
        columns=[
            "provider",
            "months_expected",
            "months_submitted",
            "months_not_submitted",
            "months_missing",
        ],
    )
    parts = []
    for s in sets:
        if "provider" in s:
            part = providers.copy()
        else:
            short = int((providers["months_not_submitted"] > 0).sum())
            part = pd.DataFrame(
                {
                    "months_expected": [int(providers["months_expected"].sum())],
                    "months_submitted": [int(providers["months_submitted"].sum())],
                    "months_not_submitted": [int(providers["months_not_submitted"].sum())],
                    "months_missing": [f"{short} of {len(providers)} providers missed a month"],
                }
            )
        part[SET_COLUMN] = sets.index(s)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def submission_coverage(
    store: Store, period_start: dt.date | str, period_end: dt.date | str
) -> pd.DataFrame:
    """Per provider: the months of [period_start, period_end] expected, submitted and not
    submitted, and which (see the module docstring)."""
    period = Period.of(period_start, period_end)
    return one_set(submission_coverage_by_sets(store, period, [("provider",)]), ["provider"])


SUBMISSIONS = Measure(
    family="dq",
    name="submissions",
    title="Months submitted and not submitted, per provider",
    section="2",
    function=submission_coverage,
    grouped=submission_coverage_by_sets,
    facts=(),
    breakdowns=("provider",),
    columns=columns(
        value("months_expected", "Months in the period", "months"),
        value("months_submitted", "Months submitted (every core table)", "months"),
        value("months_not_submitted", "Months not submitted", "months"),
        label("months_missing", "Months not submitted (which)"),
    ),
    tables=(AggregateTable("submission_coverage", levels=("provider",)),),
    notes="Reads the ingest report's list of files; a month needs a file of every core table.",
)

MEASURES = (SUBMISSIONS,)
