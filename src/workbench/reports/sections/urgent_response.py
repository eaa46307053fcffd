"""The urgent community response report (measures.md section 4): 2-hour performance against the
70% standard, its monthly SPC chart, the organisation among its peers, out-of-scope clocks,
performance for whom, and demand: when, why and from whom.

Every sentence, caption and chart states the values of the table beside it (measures.md section
7): England's unrounded, every other organisation's disclosure-controlled; a percentage is
charted only where its denominator reaches ``min_chart`` (the notebook's parameter), and the
monthly chart's assurance against the standard never contradicts the headline's interval."""

from __future__ import annotations

import pandas as pd

from workbench import charts
from workbench.measures.ucr import STANDARD_PERFORMANCE
from workbench.measures.ucr_demand import DAY_END_HOUR, DAY_START_HOUR, WEEKDAYS
from workbench.reports import narrative as say
from workbench.reports.chartable import MIN_CHART_DENOMINATOR, chartable_rate
from workbench.reports.data import ReportData
from workbench.reports.sections.common import (
    by_organisation,
    funnel_peers,
    numeric,
    rate_by_breakdowns,
    whose,
)
from workbench.reports.tables import controlled, exact_rate, show

TABLE = "ucr_performance"


def _headline(data: ReportData) -> pd.Series | None:
    """The period's row, as the headline and the monthly chart's assurance both read it."""
    frame = data.table(TABLE)
    if frame.empty:
        return None
    return controlled(
        frame, TABLE, ["clocks", "performance", "median_minutes"], enabled=data.disclosure_control
    ).iloc[0]


def summary(data: ReportData) -> list:
    """The headline: performance over the period, its interval, and the standard."""
    row = _headline(data)
    if row is None:
        return ["No 2-hour urgent community response clocks started in the period."]
    return [
        say.share_sentence(
            "The share of in-scope 2-hour clocks met within 2 hours",
            row["performance"],
            row["performance_lower"],
            row["performance_upper"],
            f"in-scope clocks {whose(data)}",
            row["in_scope"],
        ),
        # judged on the unrounded interval (measures.md section 7), said of the shown value
        say.against_standard(
            row["performance"],
            *exact_rate(data.table(TABLE), TABLE, "performance")[1:],
            STANDARD_PERFORMANCE,
        ),
        f"Median response: {say.duration_text(row['median_minutes'], 'minutes')}.",
    ]


def monthly(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """Performance by month of clock start (by quarter where months have too few clocks): an
    SPC chart, or a run chart, against the standard, and the table it is drawn from."""
    frame = data.table(TABLE, "month")
    if frame.empty:
        return ["No clocks by month to chart."]
    series = chartable_rate(
        frame,
        TABLE,
        "performance",
        enabled=data.disclosure_control,
        minimum=min_chart,
        extra=["clocks"],
    )
    headline = _headline(data)
    interval = None
    if headline is not None and not pd.isna(numeric(headline[["performance"]]).iloc[0]):
        interval = exact_rate(data.table(TABLE), TABLE, "performance")[1:]
    chart = series.spc(
        title=f"2-hour urgent response: % met by {series.period}",
        y_label="% of in-scope clocks met within 2 hours",
        target=STANDARD_PERFORMANCE,
        higher_is_better=True,
        interval=interval,
    )
    return [chart, series.shown()]


def peers(data: ReportData) -> list:
    """The organisation beside its peers on a funnel plot (rounded counts)."""
    frame, own = funnel_peers(data, "ucr_performance")
    if frame.empty:
        return ["No peers to compare with."]
    table = controlled(
        frame, TABLE, ["in_scope", "met"], labels=["org_code"], enabled=data.disclosure_control
    )
    met, n = numeric(table["met"]), numeric(table["in_scope"])
    keep = met.notna() & n.notna()
    chart = charts.funnel_plot(
        met[keep].to_numpy(),
        n[keep].to_numpy(),
        table.loc[keep, "org_code"].tolist(),
        exact=(frame.loc[keep, "met"].to_numpy(), frame.loc[keep, "in_scope"].to_numpy()),
        highlight=own,
        title="2-hour urgent response: organisations compared",
        y_label="% of in-scope clocks met",
        target=STANDARD_PERFORMANCE,
    )
    return [chart]


def out_of_scope(data: ReportData) -> list:
    """Clocks left out of the measure, by reason and month."""
    frame = data.table("ucr_performance", "month")
    if frame.empty:
        return []
    counts = ["clocks", "missing_start", "missing_end", "end_before_start"]
    return [
        show(
            controlled(frame, TABLE, counts, labels=["month"], enabled=data.disclosure_control),
            TABLE,
        )
    ]


def for_whom(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """Performance by age group, ethnic group and IMD quintile, with intervals; a group with
    fewer in-scope clocks than ``min_chart`` is marked "too few to chart"."""
    return rate_by_breakdowns(
        data,
        TABLE,
        "performance",
        "% of in-scope clocks met",
        reference=STANDARD_PERFORMANCE,
        reference_label="70% standard",
        minimum=min_chart,
    )


def demand(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """When, why and from whom urgent response is needed (measures.md section 4, "Demand"):
    the share of clocks starting outside 8am to 8pm and how those are answered, a weekday by
    hour heat map of clocks, and clocks by referral reason and by source with each one's 2-hour
    performance. Every count and percentage disclosure-controlled (section 7); a percentage
    whose denominator is under ``min_chart`` is shown in the tables but not said in words."""
    return [
        *_out_of_hours(data, min_chart),
        *_by_hour(data),
        *_cells(data, "reason"),
        *_cells(data, "source"),
    ]


def _out_of_hours(data: ReportData, min_chart: int) -> list:
    frame = data.table("ucr_out_of_hours")
    if frame.empty or numeric(frame["clocks"]).sum() == 0:
        return ["No 2-hour urgent community response clocks started in the period."]
    shown = controlled(
        frame,
        "ucr_out_of_hours",
        ["clocks", "share_out_of_hours", "performance_out_of_hours"],
        enabled=data.disclosure_control,
    )
    row = shown.iloc[0]
    items: list = [
        say.share_sentence(
            f"The share of clocks starting before {DAY_START_HOUR:02d}:00 or from "
            f"{DAY_END_HOUR:02d}:00 (local time)",
            row["share_out_of_hours"],
            row["share_out_of_hours_lower"],
            row["share_out_of_hours_upper"],
            "clocks with a start time",
            row["clocks_with_time"],
        )
    ]
    in_scope = numeric(pd.Series([row["in_scope_out_of_hours"]])).iloc[0]
    if pd.notna(in_scope) and in_scope >= min_chart:
        items.append(
            say.share_sentence(
                "Of those in scope, the share met within 2 hours",
                row["performance_out_of_hours"],
                row["performance_out_of_hours_lower"],
                row["performance_out_of_hours_upper"],
                "in-scope clocks outside those hours",
                row["in_scope_out_of_hours"],
            )
        )
    limits = [c for c in shown if c.endswith(("_lower", "_upper"))]  # the sentences give them
    return [*items, show(shown.drop(columns=limits), "ucr_out_of_hours")]


def _by_hour(data: ReportData) -> list:
    frame = data.table("ucr_demand_hour")
    if frame.empty:
        return []
    shown = controlled(
        frame,
        "ucr_demand_hour",
        ["clocks"],
        labels=["weekday_label", "hour"],
        enabled=data.disclosure_control,
    )
    chart = charts.demand_heatmap(
        shown,
        "2-hour urgent response clocks by weekday and hour of the start",
        list(WEEKDAYS.values()),
        day_hours=(DAY_START_HOUR, DAY_END_HOUR),
    )
    return [chart]


_CELLS = {
    "reason": ("ucr_demand_reason", "ucr_referral_reason_label"),
    "source": ("ucr_demand_source", "source_of_referral_label"),
}


def _cells(data: ReportData, what: str) -> list:
    """Clocks by referral reason or source: count, share and 2-hour performance."""
    table, label_column = _CELLS[what]
    frame = data.table(table)
    if frame.empty:
        return []
    shown = controlled(
        frame,
        table,
        ["clocks", "share", "performance"],
        labels=[label_column],
        enabled=data.disclosure_control,
    ).drop(columns=["group_clocks", "share_lower", "share_upper"], errors="ignore")
    return [*_largest(shown, what, label_column), show(shown, table)]


def _largest(shown: pd.DataFrame, what: str, label_column: str) -> list[str]:
    """A sentence naming the largest cell of a controlled table, with its count and share."""
    clocks, share = numeric(shown["clocks"]), numeric(shown["share"])
    if not clocks.notna().any():
        return []
    i = clocks.idxmax()
    part = f" ({say.percent(shown.loc[i, 'share'])} of clocks)" if pd.notna(share[i]) else ""
    return [
        f"The largest {what}: {shown.loc[i, label_column]}, with "
        f"{say.count_text(shown.loc[i, 'clocks'])} clocks{part}."
    ]


def by_organisation_performance(data: ReportData) -> list:
    """Performance of each organisation inside this one (the regions of England; the ICBs of
    residence and the providers based in a region; the providers of an ICB), with the clocks
    it rests on, largest first."""
    return by_organisation(
        data,
        TABLE,
        ["clocks", "in_scope", "met", "performance", "median_minutes"],
        ["clocks", "in_scope", "met"],
        "in_scope",
        "2-hour performance",
    )
