"""Ethnicity in detail (measures.md section 2): persons with activity in the period, by the
state of their ETHNIC CATEGORY (2001 census codes).

known = A-H, J-N, P, R, S; not stated = ``Z``; not known = ``99`` (the two defaults, reported
separately); missing = null or blank; invalid = any other value. Also the count in each broad
ethnic group (White, Mixed, Asian, Black, Other). With a ``month`` breakdown: the persons with
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
from workbench.spec import VALUE_SETS
from workbench.spec.value_sets import BROAD_ETHNIC_GROUP

if TYPE_CHECKING:
    from workbench.store import Store


STATES = ("known", "not_stated", "not_known", "missing", "invalid")
GROUPS = ("White", "Mixed", "Asian", "Black", "Other")


def _aggregates(persons: ir.Table) -> dict[str, ir.Value]:
    code = persons.ethnic_category
    known_codes = list(VALUE_SETS["ethnic_category"].known)
    missing = code.isnull() | (code.strip() == "")
    states = {
        "known": code.isin(known_codes),
        "not_stated": code == "Z",
        "not_known": code == "99",
        "missing": missing,
        "invalid": ~missing & ~code.isin(list(VALUE_SETS["ethnic_category"].codes)),
    }
    groups = {
        group.lower(): code.isin([c for c, g in BROAD_ETHNIC_GROUP.items() if g == group])
        for group in GROUPS
    }
    return {
        "records": persons.count(),
        **{k: ibis.ifelse(v, 1, 0).sum() for k, v in {**states, **groups}.items()},
    }


def ethnicity_quality_by_sets(
    store: Store, period: Period | None, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Ethnicity coding for every grouping set in one pass (see the module docstring)."""
    start, end = (None, None) if period is None else (period.start, period.end)
    frame = persons_by_sets(store, start, end, sets, _aggregates)
    counts = ["records", *STATES, *(g.lower() for g in GROUPS)]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    return add_percentages(frame, columns=STATES)


def ethnicity_quality(
    store: Store,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Persons by ethnicity coding state, with percentages and Wilson intervals.

    Columns: breakdowns, ``records`` (persons), ``known``, ``not_stated``, ``not_known``,
    ``missing``, ``invalid``, one count per broad group, and ``pct_<state>`` with intervals.
    """
    return ETHNICITY.run(store, period_of(period_start, period_end), by)


ETHNICITY = Measure(
    family="dq",
    name="ethnicity",
    title="Ethnicity coding of persons with activity",
    section="2",
    function=ethnicity_quality,
    grouped=ethnicity_quality_by_sets,
    facts=("persons", "person_months"),
    breakdowns=PERSON_MEASURE_BREAKDOWNS,
    columns=columns(
        count("records", "Persons with activity", "people"),
        count("known", "Ethnic category known", "people"),
        count("not_stated", "Ethnic category not stated (Z)", "people"),
        count("not_known", "Ethnic category not known (99)", "people"),
        count("missing", "Ethnic category missing", "people"),
        count("invalid", "Ethnic category invalid", "people"),
        *(count(g.lower(), f"{g} ethnic group", "people") for g in GROUPS),
        percentage("pct_known", "% known", "known", "records"),
        percentage("pct_not_stated", "% not stated (Z)", "not_stated", "records"),
        percentage("pct_not_known", "% not known (99)", "not_known", "records"),
        percentage("pct_missing", "% missing", "missing", "records"),
        percentage("pct_invalid", "% invalid", "invalid", "records"),
    ),
    tables=(
        AggregateTable("ethnicity_quality", extras=(("age_group",), ("sex",))),
        AggregateTable("ethnicity_quality_monthly", repeat="month"),
    ),
)

MEASURES = (ETHNICITY,)
