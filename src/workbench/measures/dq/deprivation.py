"""Deprivation in detail (MEASURES.md section 2): persons with activity in the period, by the
state of their 2011 LSOA of residence.

An LSOA code is valid when it is in the shipped lookup of its census year. Known = a valid 2011
LSOA, which gives an IMD 2019 decile. A person with only a valid 2021 LSOA is counted in
``lsoa_2021_only``: valid, but with no IMD decile until IMD 2025 is shipped, and never crossed
to IMD 2019 without the official best-fit lookup.
"""

from __future__ import annotations

import ibis
import pandas as pd

from workbench.measures.dq.items import add_percentages
from workbench.measures.dq.population import active_persons
from workbench.measures.grouping import breakdowns, reduce, with_person_breakdowns
from workbench.measures.reference_tables import geography, lsoa21_codes

STATES = ("known", "missing", "invalid", "lsoa_2021_only")


def deprivation_quality(store, period_start=None, period_end=None, by=None) -> pd.DataFrame:
    """Persons by LSOA coding state, with percentages and Wilson intervals, and the count in
    each IMD quintile (``quintile_1`` most deprived ... ``quintile_5``).
    """
    by = breakdowns(by)
    persons = with_person_breakdowns(active_persons(store, period_start, period_end), by, store)
    geo = geography(store).select(_lsoa11="lsoa", _q="imd_quintile")
    joined = persons.left_join(geo, persons.lsoa_2011 == geo._lsoa11)
    lsoa = joined.lsoa_2011
    missing = lsoa.isnull() | (lsoa.strip() == "")
    known = joined._lsoa11.notnull()
    only21 = ~known & joined.lsoa_2021.isin(lsoa21_codes(store).lsoa)
    states = {
        "known": known,
        "missing": missing,
        "invalid": ~missing & ~known,
        "lsoa_2021_only": only21,
    }
    quintiles = {f"quintile_{q}": joined._q == str(q) for q in range(1, 6)}
    frame = reduce(
        joined,
        by,
        records=joined.count(),
        **{k: ibis.ifelse(v, 1, 0).sum() for k, v in {**states, **quintiles}.items()},
    )
    counts = ["records", *STATES, *quintiles]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    return add_percentages(frame, columns=STATES)
