"""Numbers that tell the truth on the page (issue 11 item 1; measures.md section 7, presentation
rules): what a chart may draw from controlled counts, England unrounded, indices withheld when
too few records support them, and one value per measure in a report."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from workbench.charts import Chart
from workbench.disclosure import mark_national
from workbench.measures.outcomes.inequality import MIN_EVENTS, why_index_withheld
from workbench.reports.chartable import (
    QUARTER,
    TOO_FEW,
    chartable_rate,
    not_charted_reasons,
    quarter_label,
)
from workbench.reports.data import ReportData
from workbench.reports.sections import outcomes, urgent_response
from workbench.reports.tables import column_label

matplotlib.use("Agg")

MONTHS = [f"{y}-{m:02d}" for y, m in [(2025, m) for m in range(4, 13)] + [(2026, 1), (2026, 2)]]
MONTHS.append("2026-03")


def _ucr(met: list[int], in_scope: list[int]) -> pd.DataFrame:
    """Monthly urgent response rows as ReportData.table gives them (exact counts)."""
    met_a, n_a = np.array(met), np.array(in_scope)
    return pd.DataFrame(
        {
            "month": MONTHS[: len(met)],
            "clocks": n_a,
            "in_scope": n_a,
            "met": met_a,
            "performance": met_a / n_a * 100,
        }
    )


def test_a_rounded_monthly_100_percent_cannot_be_charted():
    # 9 of 11 met (81.8%) rounds to 10 of 10, a "100%" that was never true: the London
    frame = _ucr([9] * 12, [11] * 12)
    series = chartable_rate(frame, "ucr_performance", "performance", extra=["clocks"])
    assert series.table["performance"].iloc[0] == 100.0  # what the table beside it shows
    assert series.charted == 0 and set(series.not_charted) == {TOO_FEW}
    assert np.isnan(series.values).all()
    chart = series.spc("Met", "% met", target=70)
    assert "100.0%" not in chart.caption and "too few to chart" in chart.caption
    assert "consistently met" not in chart.caption


def test_months_too_small_to_chart_are_grouped_into_quarters():
    frame = _ucr([30] * 12, [40] * 12)  # 40 a month: too few; 120 a quarter: enough
    series = chartable_rate(frame, "ucr_performance", "performance", extra=["clocks"])
    assert series.period == QUARTER and series.labels[0] == quarter_label("2025-04")
    assert series.charted == 4
    assert series.table["in_scope"].tolist() == [120, 120, 120, 120]
    assert "grouped into quarters: 12 of 12 months had fewer than 100" in series.note
    assert "Quarter" in series.shown().to_html()  # the table beside the chart is by quarter
    chart = series.spc("Met", "% met", target=70)
    assert "Run chart" in chart.caption and "grouped into quarters" in chart.caption


def test_counts_that_do_not_add_up_across_months_are_never_grouped():
    frame = _ucr([15] * 12, [20] * 12)  # as if a month-end stock: quarters would be wrong
    series = chartable_rate(frame, "ucr_performance", "performance", coarsen=False)
    assert series.period == "month" and set(series.not_charted) == {TOO_FEW}


def test_months_that_all_reach_the_minimum_stay_months():
    frame = _ucr([80] * 12, [102] * 12)
    series = chartable_rate(frame, "ucr_performance", "performance", extra=["clocks"])
    assert series.period == "month" and series.charted == 12 and series.note is None


def test_a_suppressed_month_is_marked_and_breaks_the_line():
    frame = _ucr([5, 85, 85], [110, 110, 110])  # 5 met is suppressed: the rate cannot be shown
    series = chartable_rate(frame, "ucr_performance", "performance", extra=["clocks"])
    assert series.not_charted == ["suppressed", None, None]
    chart = series.spc("Met", "% met")
    marks = [a.get_text() for a in chart.figure.findobj() if a.get_gid() == "not_charted"]
    assert marks == ["suppressed"]


def test_england_and_control_off_chart_the_exact_counts():
    frame = _ucr([9], [99])  # 99 rounds to 100: only the rounded count reaches the minimum
    controlled = chartable_rate(frame, "ucr_performance", "performance")
    assert controlled.charted == 1  # the table says 100, and the chart agrees with its table
    for exact in (
        chartable_rate(mark_national(frame.copy()), "ucr_performance", "performance"),
        chartable_rate(frame, "ucr_performance", "performance", enabled=False),
    ):
        assert exact.table["in_scope"].tolist() == [99]
        assert exact.table["performance"].iloc[0] == pytest.approx(9 / 99 * 100)
        assert exact.not_charted == [TOO_FEW]


def test_the_minimum_is_a_parameter():
    frame = _ucr([9] * 12, [11] * 12)
    assert chartable_rate(frame, "ucr_performance", "performance", minimum=5).charted == 12


def test_not_charted_reasons_read_the_table_as_shown():
    table = pd.DataFrame({"rate": [50.0, "*", np.nan, 50.0], "n": [50, 10, 0, 45]})
    assert not_charted_reasons(table, "rate", "n", 50) == [None, "suppressed", "no data", TOO_FEW]


def test_indices_are_withheld_with_few_events_or_a_small_decile():
    deciles = pd.DataFrame(
        {"group": [str(d) for d in range(1, 11)], "numerator": [1] * 10, "denominator": [80] * 10}
    )
    assert f"fewer than the {MIN_EVENTS}" in why_index_withheld(deciles, 50)
    small = deciles.assign(numerator=10)
    small.loc[3, "denominator"] = 30
    assert (
        why_index_withheld(small, 50) == "1 of the 10 deciles had fewer than 50 in the denominator"
    )
    assert why_index_withheld(deciles.assign(numerator=10), 50) is None
    with_unknown = pd.concat(
        [
            deciles.assign(numerator=10),
            pd.DataFrame([{"group": "Not known", "numerator": 0, "denominator": 1}]),
        ]
    )
    assert why_index_withheld(with_unknown, 50) is None  # "Not known" is not a decile


@pytest.mark.parametrize("level,code", [("england", "ENG"), ("region", "Y56")])
def test_the_outcomes_report_withholds_unsupported_indices_in_words(sample_aggregates, level, code):
    data = ReportData.open(sample_aggregates, level, code)
    items = outcomes.inequality(data)
    what, lower = (column_label("inequality", c) for c in ("description", "rii_lower"))
    table = next(i.data for i in items if hasattr(i, "data") and what in i.data)
    readmission = table[table[what].str.startswith("spells readmitted")].iloc[0]
    assert readmission[lower] == "not shown"  # 7 readmissions: no index rests on them
    words = next(i for i in items if isinstance(i, str) and i.startswith("Indices not shown"))
    assert "only 7 events" in words
    shown = pd.to_numeric(table[lower], errors="coerce").dropna()
    assert (shown >= 0).all()


def test_a_region_shows_its_own_inequality_or_says_plainly_why_not(sample_aggregates):
    data = ReportData.open(sample_aggregates, "region", "Y56")
    items = outcomes.inequality(data, 100)
    own = next(i for i in items if isinstance(i, pd.DataFrame))
    assert "Did-not-attend rate" in set(own["Outcome rate"])
    for _, line in own.iterrows():
        shown = not line["Relative index"].startswith("not shown")
        why = line["Slope index (percentage points)"]
        assert shown or "fewer than" in why  # a reason in words wherever an index is withheld
    said = next(i for i in items if isinstance(i, str) and "own indices" in i)
    assert "London" in said and "five IMD quintiles" in said
    # the region's own rates by quintile are shown, controlled, before England's
    assert any(isinstance(i, str) and "by IMD quintile, London" in i for i in items)
    assert items.index(said) < next(
        n for n, i in enumerate(items) if isinstance(i, str) and "Inequality in England" in i
    )
    # a minimum low enough lets the index be computed for the region itself
    low = next(i for i in outcomes.inequality(data, 1) if isinstance(i, pd.DataFrame))
    dna = low[low["Outcome rate"] == "Did-not-attend rate"].iloc[0]
    assert "95% CI" in dna["Slope index (percentage points)"]


def test_one_measure_reads_the_same_wherever_a_report_shows_it(sample_aggregates):
    data = ReportData.open(sample_aggregates, "england", "ENG")
    follow_on = outcomes.follow_on(data)[1].data
    index = next(i.data for i in outcomes.inequality(data) if hasattr(i, "data"))
    what, rate = (column_label("inequality", c) for c in ("description", "rate"))
    two_days = index[index[what].str.contains("0-2 days")].iloc[0][rate]
    shown = follow_on[column_label("ucr_follow_on", "pct_admitted_2_days")].iloc[0]
    assert f"{shown:.1f}" == f"{two_days:.1f}"  # the issue saw 4.1% and 4.2%
    exact = data.table("ucr_follow_on")
    clocks = column_label("ucr_follow_on", "clocks")
    assert follow_on[clocks].iloc[0] == exact["clocks"].iloc[0]  # England is not rounded


@pytest.mark.parametrize("level,code", [("england", "ENG"), ("region", "Y56"), ("icb", "QHL")])
def test_urgent_response_chart_and_headline_agree(sample_aggregates, level, code):
    data = ReportData.open(sample_aggregates, level, code)
    headline = " ".join(urgent_response.summary(data))
    chart = urgent_response.monthly(data)[0]
    if "could be chance" in headline:
        assert "consistently met" not in chart.caption + chart.alt_text
        assert "will not be met" not in chart.caption + chart.alt_text


def test_for_whom_marks_small_groups_too_few_to_chart(sample_aggregates):
    data = ReportData.open(sample_aggregates, "region", "Y56")
    items = urgent_response.for_whom(data)
    captions = [i.caption for i in items if isinstance(i, Chart)]
    assert any(TOO_FEW in c for c in captions)
    assert all("100.0%" not in c for c in captions)  # every 100% there came from rounding


@pytest.mark.parametrize(
    "module",
    [
        "workbench.reports.chartable",
        "workbench.measures.outcomes.inequality",
        "workbench.disclosure",
    ],
)
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
