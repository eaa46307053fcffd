"""Every measure by family and name, with one calling convention: ``fn(store, period, by)``.

The command line (``workbench measure``) and anything else that picks a measure by name use
this table, so a measure is named in one place.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.measures import dq, outcomes, ucr, waits

MeasureFunction = Callable[..., pd.DataFrame]


def catalogue() -> dict[tuple[str, str], MeasureFunction]:
    """Every measure as ``{(family, name): fn(store, period, by)}``."""
    table: dict[tuple[str, str], MeasureFunction] = {
        ("dq", "items"): lambda s, p, by: dq.item_quality(s, p.start, p.end, by),
        ("dq", "ethnicity"): lambda s, p, by: dq.ethnicity_quality(s, p.start, p.end, by),
        ("dq", "deprivation"): lambda s, p, by: dq.deprivation_quality(s, p.start, p.end, by),
        ("dq", "core20plus5"): lambda s, p, by: dq.core20plus5_readiness(s, p.start, p.end, by),
        ("dq", "clinical_areas"): lambda s, p, by: dq.clinical_area_coding(s, p.start, p.end, by),
        ("dq", "dqmi"): lambda s, p, by: dq.dqmi_scores(s, p.start, p.end),
        ("dq", "rejects"): lambda s, p, by: dq.rejects_by_reason(s, by_provider=True),
        ("waits", "list"): lambda s, p, by: waits.waiting_list(s, p.census, by),
        ("waits", "completed"): lambda s, p, by: waits.completed_waits(s, p.start, p.end, by),
        ("waits", "removals"): lambda s, p, by: waits.removals_without_being_seen(
            s, p.start, p.end, by
        ),
        ("waits", "movements"): lambda s, p, by: waits.list_movements(s, p.start, p.end, by),
        ("ucr", "performance"): lambda s, p, by: ucr.two_hour_performance(s, p.start, p.end, by),
        ("outcomes", "assessments"): lambda s, p, by: outcomes.paired_assessments(
            s, p.start, p.end, by
        ),
        ("outcomes", "contacts"): lambda s, p, by: outcomes.contact_outcomes(s, p.start, p.end, by),
        ("outcomes", "inpatients"): lambda s, p, by: outcomes.inpatient_stays(
            s, p.start, p.end, by
        ),
        ("outcomes", "destinations"): lambda s, p, by: outcomes.discharge_destinations(
            s, p.start, p.end, by
        ),
        ("outcomes", "follow_on"): lambda s, p, by: outcomes.ucr_follow_on_admissions(
            s, p.start, p.end, by
        ),
        ("outcomes", "inequality_rates"): lambda s, p, by: outcomes.rates_by_inequality_group(
            s, p.start, p.end
        ),
        ("outcomes", "inequality"): lambda s, p, by: outcomes.inequality_summary(s, p.start, p.end),
    }
    return table


def measure_function(family: str, name: str) -> MeasureFunction:
    """The measure ``family``/``name`` as ``fn(store, period, by)``."""
    try:
        return catalogue()[(family, name)]
    except KeyError:
        raise WorkbenchError(f"no measure {family} {name}") from None
