"""What every report notebook does first: open its organisation's aggregates, check the period
asked for is the one computed, show the front page, and set up figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.paths import project_path
from workbench.reports.data import ReportData
from workbench.reports.front_page import WAITING_LIST_REPORTS, front_page_html
from workbench.reports.key_messages import REPORTS, key_messages

#: A date as a notebook parameter gives it: ISO text or a date.
DateLike = str | dt.date


def check_period(
    data: ReportData,
    period_start: DateLike | None = None,
    period_end: DateLike | None = None,
    census_date: DateLike | None = None,
) -> None:
    """A clear error when the notebook asks for a period the aggregates were not computed for."""
    asked = {"period_start": period_start, "period_end": period_end, "census_date": census_date}
    for key, value in asked.items():
        if value is not None and str(value) != data.manifest[key]:
            raise WorkbenchError(
                f"the aggregates in {data.folder} were computed for {key} "
                f"{data.manifest[key]}, not {value}: run `workbench compute` for that period"
            )


def open_report(
    aggregates: str | Path,
    org_level: str,
    org_code: str,
    title: str,
    period_start: DateLike | None = None,
    period_end: DateLike | None = None,
    census_date: DateLike | None = None,
    disclosure_control: bool = True,
    report: str | None = None,
) -> ReportData:
    """Open the aggregates for one organisation, with disclosure control as
    ``disclosure_control`` says (the sections read it from the data), show the report's front
    page (with the key messages of ``report`` when it has some, a name in
    :data:`workbench.reports.key_messages.REPORTS`; the census date only for a report in
    :data:`workbench.reports.front_page.WAITING_LIST_REPORTS`), return the data."""
    import matplotlib as mpl
    from IPython.display import HTML, display

    data = ReportData.open(project_path(aggregates), org_level, org_code, disclosure_control)
    check_period(data, period_start, period_end, census_date)
    mpl.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "figure.figsize": (8, 4.5)})
    if report is not None and report not in {*REPORTS, *WAITING_LIST_REPORTS}:
        raise WorkbenchError(f"no report {report!r}; known: {', '.join(sorted(REPORTS))}")
    messages = key_messages(data, report) if report in REPORTS else None
    census = report in WAITING_LIST_REPORTS
    page = front_page_html(data, title, disclosure_control, key_messages=messages, census=census)
    display(HTML(page))
    return data
