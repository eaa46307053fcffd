"""The waiting times report (measures.md section 3): the list at the census date by service line
and wait band, long waits, completed waits, trends, and waits for whom."""

from __future__ import annotations

from workbench import charts
from workbench.measures.waits import WAIT_BANDS
from workbench.reports import narrative as say
from workbench.reports.data import ReportData
from workbench.reports.sections.common import numeric, rate_by_breakdowns, team_type_names
from workbench.reports.tables import controlled, show

BAND_COLUMNS = [c for c, _, _, _ in WAIT_BANDS]
BAND_LABELS = [label for _, label, _, _ in WAIT_BANDS]


def summary(data: ReportData, dc: bool = True) -> list:
    """The list at the census date: size, median, 92nd percentile, long waits."""
    frame = data.table("waiting_list")
    if frame.empty:
        return ["No one was waiting at the census date."]
    row = controlled(
        frame,
        "waiting_list",
        [
            "waiting",
            "over_52_weeks",
            "over_104_weeks",
            "pct_over_18_weeks",
            "median_days",
            "p92_days",
        ],
        enabled=dc,
    ).iloc[0]
    census = data.manifest["census_date"]
    return [
        f"At the end of {census}, {say.count_text(row['waiting'])} referrals were waiting for "
        f"a first attended contact. The median wait was {say.days_text(row['median_days'])} "
        f"and the 92nd percentile {say.days_text(row['p92_days'])}.",
        say.share_sentence(
            "The share waiting over 18 weeks",
            row["pct_over_18_weeks"],
            row["pct_over_18_weeks_lower"],
            row["pct_over_18_weeks_upper"],
            "people on the list",
            row["waiting"],
        ),
        f"{say.count_text(row['over_52_weeks']).capitalize()} had waited over 52 weeks, of "
        f"whom {say.count_text(row['over_104_weeks'])} over 104 weeks.",
    ]


def by_service_line(data: ReportData, dc: bool = True) -> list:
    """The list by service line and wait band, with the long waits."""
    frame = data.table("waiting_list", "team_type")
    if frame.empty:
        return []
    frame = team_type_names(frame).sort_values("waiting", ascending=False)
    shown = ["waiting", *BAND_COLUMNS, "over_52_weeks", "over_104_weeks", "median_days", "p92_days"]
    table = controlled(frame, "waiting_list", shown, labels=["team_type"], enabled=dc)
    chart = charts.wait_band_chart(
        table.head(12),
        "team_type",
        BAND_COLUMNS,
        BAND_LABELS,
        title="Waiting list by service line and wait band (12 largest lines)",
    )
    return [chart, show(table, "waiting_list")]


def trend(data: ReportData, dc: bool = True) -> list:
    """The list at each month end: an SPC chart of the share over 18 weeks, and sizes."""
    frame = data.table("waiting_list_monthly")
    if frame.empty:
        return []
    table = controlled(
        frame.assign(month=frame["census_date"].astype(str)),
        "waiting_list_monthly",
        ["over_52_weeks", "over_104_weeks", "pct_over_18_weeks"],
        labels=["month"],
        enabled=dc,
    )
    chart = charts.spc_chart(
        numeric(table["pct_over_18_weeks"]).to_numpy(),
        table["month"].tolist(),
        title="Share of the waiting list waiting over 18 weeks",
        y_label="% of people waiting",
        higher_is_better=False,
    )
    return [chart, show(table, "waiting_list_monthly")]


def completed(data: ReportData, dc: bool = True) -> list:
    """Completed waits by month: count, median and 92nd percentile."""
    frame = data.table("completed_waits", "month")
    if frame.empty:
        return ["No clocks stopped in the period."]
    table = controlled(
        frame,
        "completed_waits",
        ["completed", "pct_within_18_weeks", "median_days", "p92_days"],
        labels=["month"],
        enabled=dc,
    )
    chart = charts.trend_chart(
        table.assign(
            median_days=numeric(table["median_days"]), p92_days=numeric(table["p92_days"])
        ),
        "month",
        "median_days",
        title="Median completed wait by month",
        y_label="Days from referral to first attended contact",
    )
    return [chart, show(table, "completed_waits")]


def for_whom(data: ReportData, dc: bool = True) -> list:
    """The share waiting over 18 weeks by IMD quintile, ethnic group and age group."""
    return rate_by_breakdowns(
        data,
        "waiting_list",
        "pct_over_18_weeks",
        dc,
        "% of people on the list",
        breakdowns=("imd_quintile", "ethnic_group", "age_group"),
    )
