"""The planning report (measures.md section 8): its charts, its plan on the committed sample,
and the words it says about the formulas, the projection and the capacity to clear."""

import datetime as dt

import matplotlib
import numpy as np
import pandas as pd
import pytest

from workbench import charts
from workbench.breakdowns import ADULT_SERVICE, CYP_SERVICE
from workbench.errors import WorkbenchError
from workbench.reports.data import ReportData
from workbench.reports.sections import planning

matplotlib.use("Agg")


def test_plans_are_made_for_the_next_31_march():
    assert planning.next_31_march(dt.date(2025, 3, 31)) == dt.date(2026, 3, 31)
    assert planning.next_31_march(dt.date(2025, 1, 31)) == dt.date(2025, 3, 31)
    assert planning.next_31_march(dt.date(2025, 6, 30)) == dt.date(2026, 3, 31)


def test_the_dynamics_chart_says_its_flows_and_leaves_gaps_for_suppressed_weeks():
    weeks = pd.date_range("2025-01-05", periods=4, freq="7D").date
    frame = pd.DataFrame(
        {
            "week_ending": weeks,
            "additions": [10, 20, "*", 30],
            "seen": [5, 5, 5, 5],
            "removed": [0, 5, 5, 0],
            "waiting": [100, 110, 120, 140],
        }
    )
    chart = charts.dynamics_chart(frame, "Weekly movements")
    assert "20 referrals were added" in chart.caption  # mean of 10, 20, 30
    assert "went from 100 (week ending 05 Jan 2025) to 140" in chart.caption
    empty = charts.dynamics_chart(frame.iloc[0:0], "Weekly movements")
    assert "No data" in empty.caption


def test_the_projection_chart_states_the_last_week_with_its_band():
    rows = [
        {
            "week": w,
            "week_ending": dt.date(2025, 1, 5) + dt.timedelta(7 * w),
            "measure": m,
            "central": c - w,
            "lower": c - w - 2,
            "upper": c - w + 2,
        }
        for w in range(3)
        for m, c in (("waiting", 50), ("over_18_weeks", 20), ("over_52_weeks", 5))
    ]
    chart = charts.projection_chart(pd.DataFrame(rows), "Projection")
    assert "19 January 2025" in chart.caption
    assert "on the list 48 (95% band 46 to 50)" in chart.caption


@pytest.fixture
def region(sample_aggregates):
    return ReportData.open(sample_aggregates, "region", "Y56")


def test_a_plan_rests_on_the_list_and_its_last_13_weeks(region):
    plan = planning.plan_for(region, None)
    weekly = region.table(planning.DYNAMICS)
    last = weekly.sort_values("week_ending").tail(13)
    assert plan.rates.demand == pytest.approx(last["additions"].mean())
    assert plan.rates.capacity == pytest.approx(last["removals"].mean())
    assert len(plan.waits) == region.table("waiting_list").iloc[0]["waiting"]
    assert plan.settings.target_date == planning.next_31_march(plan.census)
    assert plan.answers.factor == pytest.approx(-np.log(0.08))


def test_adult_and_children_lists_are_planned_apart(region):
    adult = planning.plan_for(region, planning.PlanSettings(service=ADULT_SERVICE))
    cyp = planning.plan_for(region, planning.PlanSettings(service=CYP_SERVICE))
    both = planning.plan_for(region, None)
    assert len(adult.waits) + len(cyp.waits) <= len(both.waits)  # "Not known" lines aside
    assert adult.what == "the adult services' list"
    with pytest.raises(WorkbenchError, match="service must be one of"):
        planning.plan_for(region, planning.PlanSettings(service="Dental"))


def test_the_formulas_are_said_in_words_with_the_factor(region):
    items = planning.formulas(region)
    words = " ".join(i for i in items if isinstance(i, str))
    assert "92% of the list waiting 18 weeks or less" in words
    assert "= 2.53 (the factor)" in words
    assert "first come, first served" in words
    assert isinstance(items[-1], pd.DataFrame)


def test_the_projection_and_the_capacity_to_clear_are_said_with_bands(region):
    settings = planning.PlanSettings(extra_capacity=5, runs=40)
    items = planning.projection(region, settings)
    assert isinstance(items[0], charts.Chart)
    words = [i for i in items if isinstance(i, str) and i.startswith("With 5 more removals")]
    assert len(words) == 3  # the whole list, over 18 weeks, over 52 weeks
    assert not any(" april " in w for w in words)  # the date keeps its capital: 7 April 2026
    clearing = planning.clearing(region, settings)
    assert "leaves nobody waiting over 52 weeks on 31 March" in clearing[0]
    assert "95% band" in clearing[0] and "capacity now is" in clearing[0]
    assert len(clearing) == 3 and list(clearing[2]["Nobody"]) == [
        "waiting over 52 weeks",
        "waiting over 18 weeks",
    ]


def test_the_planning_page_shows_urgent_response_demand_under_its_own_heading(region):
    shown = planning.urgent_response_demand(region)
    assert shown[0] == "## Urgent response demand"
    assert len(shown) > 1  # the demand section's sentences, chart and tables follow
