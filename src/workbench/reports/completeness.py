"""The data quality report's provider by month view: for each submitting provider and month, the
share of people with activity whose ethnicity, and whose deprivation, is known (measures.md
section 2), after disclosure control (section 7), as rated heat maps."""

from __future__ import annotations

from workbench import charts
from workbench.reports.data import ReportData
from workbench.reports.tables import controlled

#: Aggregate table -> what its known percentage is of.
MONTHLY_QUALITY = {
    "ethnicity_quality_monthly": "Ethnicity known",
    "deprivation_quality_monthly": "Deprivation known (valid LSOA)",
}


def completeness_heatmaps(data: ReportData) -> list[charts.Chart]:
    """One rated heat map per table of :data:`MONTHLY_QUALITY`: the known percentage of each of
    the organisation's submitting providers in each month, computed from controlled counts
    (counts of 1 to 7 suppressed, others rounded to 5, so a small provider-month shows ``*``)."""
    items = []
    for table, subject in MONTHLY_QUALITY.items():
        rows = data.provider_rows(table)
        if rows.empty:
            continue
        frame = controlled(
            rows,
            table,
            ["pct_known"],
            labels=["org_code", "month"],
            enabled=data.disclosure_control,
        )
        items.append(
            charts.completeness_heatmap(
                frame,
                row="org_code",
                column="month",
                value="pct_known",
                title=f"{subject}, by provider and month",
            )
        )
    return items
