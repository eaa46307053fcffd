"""The urgent community response report (measures.md section 4): 2-hour performance against the
70% standard, its monthly SPC chart, the organisation among its peers, out-of-scope clocks, and
performance for whom.

Every sentence, caption and chart states the values of the table beside it (measures.md section
7): England's unrounded, every other organisation's disclosure-controlled; a percentage is
charted only where its denominator reaches ``min_chart`` (the notebook's parameter), and the
monthly chart's assurance against the standard never contradicts the headline's interval."""

from __future__ import annotations

import pandas as pd

from workbench import charts
from workbench.measures.ucr import STANDARD_PERFORMANCE
from workbench.reports import narrative as say
from workbench.reports.chartable import MIN_CHART_DENOMINATOR, chartable_rate
from workbench.reports.data import ReportData
from workbench.reports.sections.common import (
    by_organisation,
    funnel_peers,
    numeric,
    rate_by_breakdowns,
)
from workbench.reports.tables import controlled, show

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
            "in-scope clocks",
            row["in_scope"],
        ),
        say.against_standard(
            row["performance"],
            row["performance_lower"],
            row["performance_upper"],
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
    if headline is not None:
        bounds = numeric(headline[["performance_lower", "performance_upper"]])
        interval = (float(bounds.iloc[0]), float(bounds.iloc[1]))
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
