"""Deprivation in detail (measures.md section 2): persons with activity in the period, by the
state of their 2011 LSOA of residence.

An LSOA code is valid when it is in the shipped lookup of its census year. Known = a valid 2011
LSOA, which gives an IMD 2019 decile. A person with only a valid 2021 LSOA is counted in
``lsoa_2021_only``: valid, but with no IMD decile until IMD 2025 is shipped, and never crossed
to IMD 2019 without the official best-fit lookup. With a ``month`` breakdown: the persons with
activity in each month. Reads the person facts (:mod:`workbench.measures.dq.population`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.breakdowns import PERSON_MEASURE_BREAKDOWNS
from workbench.measures.declare import AggregateTable, Measure, columns, count, percentage
from workbench.measures.dq.items import add_percentages
from workbench.measures.dq.population import period_of, persons_by_sets
from workbench.period import Period

if TYPE_CHECKING:
    from workbench.store import Store


STATES = ("known", "missing", "invalid", "lsoa_2021_only")
QUINTILES = tuple(f"quintile_{q}" for q in range(1, 6))


def _aggregates(persons: ir.Table) -> dict[str, ir.Value]:
    known = persons.lsoa_known
    missing = persons.lsoa_missing
    states = {
        "known": known,
        "missing": missing,
        "invalid": ~missing & ~known,
        "lsoa_2021_only": persons.lsoa_2021_only,
    }
    quintiles = {f"quintile_{q}": persons.imd_quintile == str(q) for q in range(1, 6)}
    return {
        "records": persons.count(),
        **{k: ibis.ifelse(v, 1, 0).sum() for k, v in {**states, **quintiles}.items()},
    }


def deprivation_quality_by_sets(
    store: Store, period: Period | None, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """LSOA coding for every grouping set in one pass (see the module docstring)."""
    start, end = (None, None) if period is None else (period.start, period.end)
    frame = persons_by_sets(store, start, end, sets, _aggregates)
    counts = ["records", *STATES, *QUINTILES]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    return add_percentages(frame, columns=STATES)


def deprivation_quality(
    store: Store,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Persons by LSOA coding state, with percentages and Wilson intervals, and the count in
    each IMD quintile (``quintile_1`` most deprived ... ``quintile_5``).
    """
    return DEPRIVATION.run(store, period_of(period_start, period_end), by)


DEPRIVATION = Measure(
    family="dq",
    name="deprivation",
    title="Deprivation (LSOA) coding of persons with activity",
    section="2",
    function=deprivation_quality,
    grouped=deprivation_quality_by_sets,
    facts=("persons", "person_months"),
    breakdowns=PERSON_MEASURE_BREAKDOWNS,
    columns=columns(
        count("records", "Persons with activity", "people"),
        count("known", "Valid 2011 LSOA (IMD decile known)", "people"),
        count("missing", "LSOA missing", "people"),
        count("invalid", "2011 LSOA invalid", "people"),
        count("lsoa_2021_only", "Valid 2021 LSOA only (no IMD 2019 decile)", "people"),
        *(
            count(f"quintile_{q}", f"IMD quintile {q}{text}", "people")
            for q, text in (
                (1, " (most deprived)"),
                (2, ""),
                (3, ""),
                (4, ""),
                (5, " (least deprived)"),
            )
        ),
        percentage("pct_known", "% known", "known", "records"),
        percentage("pct_missing", "% missing", "missing", "records"),
        percentage("pct_invalid", "% invalid", "invalid", "records"),
        percentage("pct_lsoa_2021_only", "% with a 2021 LSOA only", "lsoa_2021_only", "records"),
    ),
    tables=(
        AggregateTable("deprivation_quality", extras=(("age_group",), ("sex",), ("ethnic_group",))),
        AggregateTable("deprivation_quality_monthly", repeat="month"),
    ),
)

MEASURES = (DEPRIVATION,)
