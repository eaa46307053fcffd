"""The weekday by hour demand heat map (charts.demand_heatmap)."""

import numpy as np
import pandas as pd

from workbench.charts import demand_heatmap
from workbench.charts.demand_heatmap import HOURS

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _frame() -> pd.DataFrame:
    rows = [
        ("Monday", "09", 10),
        ("Monday", "21", 5),
        ("Tuesday", "07", "*"),
        ("Sunday", "13", 25),
        ("Friday", "Not known", 3),
    ]
    return pd.DataFrame(rows, columns=["weekday_label", "hour", "clocks"])


def test_cells_are_labelled_with_their_counts_and_suppressed_cells_with_a_star():
    chart = demand_heatmap(_frame(), "Clocks by weekday and hour", DAYS)
    texts = [t.get_text() for t in chart.figure.axes[0].texts]
    assert len(texts) == 7 * 24
    grid = np.array(texts).reshape(7, 24)
    assert grid[0, HOURS.index("09")] == "10"
    assert grid[1, HOURS.index("07")] == "*"
    assert grid[6, HOURS.index("13")] == "25"
    assert grid[2, 0] == "0"  # no row: no demand


def test_caption_gives_total_busiest_hour_share_outside_the_day_and_what_is_left_out():
    caption = demand_heatmap(_frame(), "Clocks by weekday and hour", DAYS).caption
    assert "40 clocks in the grid" in caption
    assert "busiest hour is Sunday 13:00 (25)" in caption
    # 5 of 40: a whole percentage, the precision a total under 4,000 supports (section 7)
    assert "13% of the clocks shown start before 08:00 or from 20:00" in caption
    assert "1 cell not shown (suppressed)" in caption
    assert "3 clocks with no start time are not in the grid" in caption


def test_no_rows_gives_a_chart_that_says_so():
    empty = pd.DataFrame(columns=["weekday_label", "hour", "clocks"])
    assert demand_heatmap(empty, "Clocks", DAYS).caption.startswith("No data to show")
