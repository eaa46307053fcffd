"""Adult and children and young people's services apart (measures.md section 7, "Service
lines"): an aggregate by service line of one service, and each service's totals, added from its
lines before disclosure control, so that every page and key message shows one number."""

from __future__ import annotations

import pandas as pd

from workbench.breakdowns import ADULT_SERVICE, CYP_SERVICE
from workbench.measures.registry import measure_of_table
from workbench.reports.data import ReportData
from workbench.reports.sections.common import team_type_names
from workbench.reports.tables import controlled
from workbench.spec.service_lines import is_cyp_service_line

#: The count columns of the waiting list (summed for "all other lines" and for a service).
LIST_COUNTS = measure_of_table("waiting_list").names("count")
#: The long-wait columns shown for children's services, long waits first.
LONG_WAITS = ["waiting", "over_52_weeks", "over_104_weeks", "pct_over_18_weeks"]


def service_lines(data: ReportData, service: str, name: str = "waiting_list") -> pd.DataFrame:
    """Aggregate ``name`` (the waiting list by default) by service line of one service (adult
    or CYP), uncontrolled, with the lines named; "Not known" lines (no valid team type) belong
    to neither."""
    frame = data.table(name, "team_type")
    if frame.empty:
        return frame
    cyp = frame["team_type"].astype(str).map(is_cyp_service_line)
    known = frame["team_type"].astype(str).str.match(r"^[AC]\d")
    keep = known & (cyp if service == CYP_SERVICE else ~cyp)
    return team_type_names(frame[keep]).reset_index(drop=True)


def service_totals(
    data: ReportData, name: str = "waiting_list", counts: list[str] = LIST_COUNTS
) -> pd.DataFrame:
    """Aggregate ``name`` for each service: the ``counts`` of its service lines added (before
    control)."""
    rows = []
    attrs: dict = {}
    for service in (ADULT_SERVICE, CYP_SERVICE):
        lines = service_lines(data, service, name)
        if lines.empty:
            continue
        attrs = lines.attrs  # national figures stay marked national
        rows.append({"service": service, **{c: lines[c].sum() for c in counts}})
    out = pd.DataFrame(rows)
    out.attrs = dict(attrs)
    return out


def service_long_waits(data: ReportData) -> pd.DataFrame:
    """The waiting list of adult and of children and young people's services (their service
    lines added), long waits first, controlled: one row per service (empty without lines)."""
    services = service_totals(data)
    if services.empty:
        return services
    return controlled(
        services, "waiting_list", LONG_WAITS, labels=["service"], enabled=data.disclosure_control
    )
