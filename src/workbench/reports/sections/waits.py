"""The waiting times report (measures.md section 3): the list at the census date by service line
and wait band, long waits, completed waits, trends, and waits for whom.

Adult and children and young people's services are reported apart, each service line under its
own label, and the long waits (over 52 and over 104 weeks) of children's services are shown in
every waits report (measures.md section 7, "Service lines")."""

from __future__ import annotations

from workbench import charts
from workbench.breakdowns import ADULT_SERVICE, CYP_SERVICE
from workbench.measures.waits import WAIT_BANDS
from workbench.reports import narrative as say
from workbench.reports.data import ReportData
from workbench.reports.sections.common import (
    by_organisation,
    charted,
    numeric,
    rate_by_breakdowns,
    whose,
)
from workbench.reports.services import (
    LIST_COUNTS,
    LONG_WAITS,
    service_lines,
    service_long_waits,
    service_totals,
)
from workbench.reports.tables import controlled, largest_and_rest, show

BAND_COLUMNS = [c for c, _, _, _ in WAIT_BANDS]
BAND_LABELS = [label for _, label, _, _ in WAIT_BANDS]


def summary(data: ReportData) -> list:
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
        enabled=data.disclosure_control,
    ).iloc[0]
    census = data.manifest["census_date"]
    return [
        f"At the end of {census}, {say.count_text(row['waiting'])} referrals {whose(data)} "
        "were waiting for a first attended contact. The median wait was "
        f"{say.days_text(row['median_days'])} and the 92nd percentile "
        f"{say.days_text(row['p92_days'])}.",
        say.share_sentence(
            "The share waiting over 18 weeks",
            row["pct_over_18_weeks"],
            row["pct_over_18_weeks_lower"],
            row["pct_over_18_weeks_upper"],
            "referrals on the list",
            row["waiting"],
        ),
        f"{say.count_text(row['over_52_weeks']).capitalize()} had waited over 52 weeks, of "
        f"whom {say.count_text(row['over_104_weeks'])} over 104 weeks.",
        *children_long_waits(data),
    ]


def children_long_waits(data: ReportData) -> list:
    """Long waits of children and young people's services: a sentence, the adult and CYP lists
    side by side, and every CYP service line with its waits over 52 and 104 weeks."""
    both = service_long_waits(data)
    if both.empty:
        return []
    items: list = []
    cyp = both[both["service"] == CYP_SERVICE]
    if len(cyp):
        row = cyp.iloc[0]
        items.append(
            f"**Children and young people's services:** {say.count_text(row['waiting'])} "
            f"waiting, {say.count_text(row['over_52_weeks'])} over 52 weeks and "
            f"{say.count_text(row['over_104_weeks'])} over 104 weeks."
        )
    items.append(show(both, "waiting_list"))
    lines = service_lines(data, CYP_SERVICE)
    if not lines.empty:
        lines = largest_and_rest(
            lines, "team_type", LIST_COUNTS, ["over_52_weeks", "over_104_weeks", "waiting"]
        )
        table = controlled(
            lines, "waiting_list", LONG_WAITS, labels=["team_type"], enabled=data.disclosure_control
        )
        items.append("Children and young people's service lines, longest waits first:")
        items.append(show(table, "waiting_list"))
    return items


def by_service_line(data: ReportData) -> list:
    """The list by service line and wait band, adult and children's services apart: for each,
    a wait-band chart and its table of the largest lines plus one "all other lines" row (summed
    from the counts before control), long waits beside the bands. Chart and table are drawn
    from the same controlled rows, so they cannot disagree."""
    # the >52 weeks band is the count over 52 weeks: shown once, as a band
    shown = ["waiting", *BAND_COLUMNS, "over_104_weeks", "median_days"]
    items: list = []
    for service, words in ((ADULT_SERVICE, "adult"), (CYP_SERVICE, "children and young people's")):
        lines = service_lines(data, service)
        if lines.empty:
            continue
        lines = largest_and_rest(lines, "team_type", LIST_COUNTS, "waiting")
        table = controlled(
            lines, "waiting_list", shown, labels=["team_type"], enabled=data.disclosure_control
        )
        items.append(f"**{words.capitalize()} services.**")
        items.append(
            charts.wait_band_chart(
                table,
                "team_type",
                BAND_COLUMNS,
                BAND_LABELS,
                title=f"{words.capitalize()} services: wait bands",
                total="waiting",
            )
        )
        items.append(show(table, "waiting_list"))
    return items


def by_organisation_waiting(data: ReportData) -> list:
    """The list of each organisation inside this one (ICBs and providers of a region,
    providers of an ICB, regions of England), with its long waits."""
    return by_organisation(
        data,
        "waiting_list",
        ["waiting", "over_52_weeks", "over_104_weeks", "pct_over_18_weeks", "median_days"],
        LIST_COUNTS,
        "waiting",
        "The waiting list",
    )


def trend(data: ReportData) -> list:
    """The list at each month end: an SPC chart of the share over 18 weeks, and sizes."""
    frame = data.table("waiting_list_monthly")
    if frame.empty:
        return []
    table = controlled(
        frame.assign(month=frame["census_date"].astype(str)),
        "waiting_list_monthly",
        ["over_52_weeks", "over_104_weeks", "pct_over_18_weeks"],
        labels=["month"],
        enabled=data.disclosure_control,
    )
    drawn = charted(table, "pct_over_18_weeks", "waiting")  # never from under 100
    chart = charts.spc_chart(
        drawn["values"],
        table["month"].tolist(),
        not_charted=drawn["not_charted"],
        title="Share of the waiting list waiting over 18 weeks",
        y_label="% of referrals waiting",
        higher_is_better=False,
    )
    return [chart, show(table, "waiting_list_monthly")]


def completed(data: ReportData) -> list:
    """Completed waits by month: count, median and 92nd percentile (days); then the adult and
    children and young people's services apart."""
    frame = data.table("completed_waits", "month")
    if frame.empty:
        return ["No clocks stopped in the period."]
    table = controlled(
        frame,
        "completed_waits",
        ["completed", "pct_within_18_weeks", "median_days", "p92_days"],
        labels=["month"],
        enabled=data.disclosure_control,
    )
    chart = charts.trend_chart(
        table.assign(
            median_days=numeric(table["median_days"]), p92_days=numeric(table["p92_days"])
        ),
        "month",
        "median_days",
        title="Median completed wait by month",
        y_label="Median days from referral to first attended contact",
        unit="days",
    )
    items = [chart, show(table, "completed_waits")]
    services = service_totals(data, "completed_waits", ["completed", "within_18_weeks"])
    if not services.empty:
        by_service = controlled(
            services,
            "completed_waits",
            ["pct_within_18_weeks"],
            labels=["service"],
            enabled=data.disclosure_control,
        )
        items += ["**Adult and children and young people's services.**"]
        items.append(show(by_service, "completed_waits"))
    return items


def for_whom(data: ReportData) -> list:
    """The share waiting over 18 weeks by IMD quintile, ethnic group and age group."""
    return rate_by_breakdowns(
        data,
        "waiting_list",
        "pct_over_18_weeks",
        "% of referrals on the list",
        breakdowns=("imd_quintile", "ethnic_group", "age_group"),
    )
