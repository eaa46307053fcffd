"""Ethnicity in detail (MEASURES.md section 2): persons with activity in the period, by the
state of their ETHNIC CATEGORY (2001 census codes).

known = A-H, J-N, P, R, S; not stated = ``Z``; not known = ``99`` (the two defaults, reported
separately); missing = null or blank; invalid = any other value. Also the count in each broad
ethnic group (White, Mixed, Asian, Black, Other).
"""

from __future__ import annotations

import ibis
import pandas as pd

from workbench.measures.dq.items import add_percentages
from workbench.measures.dq.population import active_persons
from workbench.measures.grouping import breakdowns, reduce, with_person_breakdowns
from workbench.spec import VALUE_SETS
from workbench.spec.value_sets import BROAD_ETHNIC_GROUP

STATES = ("known", "not_stated", "not_known", "missing", "invalid")
GROUPS = ("White", "Mixed", "Asian", "Black", "Other")


def ethnicity_quality(store, period_start=None, period_end=None, by=None) -> pd.DataFrame:
    """Persons by ethnicity coding state, with percentages and Wilson intervals.

    Columns: breakdowns, ``records`` (persons), ``known``, ``not_stated``, ``not_known``,
    ``missing``, ``invalid``, one count per broad group, and ``pct_<state>`` with intervals.
    """
    by = breakdowns(by)
    persons = with_person_breakdowns(active_persons(store, period_start, period_end), by, store)
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
    frame = reduce(
        persons,
        by,
        records=persons.count(),
        **{k: ibis.ifelse(v, 1, 0).sum() for k, v in {**states, **groups}.items()},
    )
    counts = ["records", *STATES, *groups]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    return add_percentages(frame, columns=STATES)
