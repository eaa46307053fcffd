"""The provider by month heat map (measures.md section 2, "Rating"): every cell carries its
number and its rating colour, suppressed cells say so, and the caption counts the ratings."""

from __future__ import annotations

import pandas as pd
from matplotlib.colors import to_hex

from workbench.charts import completeness_heatmap, palette
from workbench.charts.completeness_heatmap import RATING_COLOURS


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "org_code": ["P1", "P1", "P2", "P2"],
            "month": ["2025-05", "2025-04", "2025-04", "2025-05"],
            "pct_known": [94.96, 95.0, 89.99, "*"],
        }
    )


def _cells(chart) -> dict[str, str]:
    """Cell text -> cell colour, read back from the drawn figure."""
    ax = chart.figure.axes[0]
    mesh = ax.collections[0]
    colours = [to_hex(c) for c in mesh.get_facecolors()]
    return {t.get_text(): colours[i] for i, t in enumerate(ax.texts)}


def test_cells_show_their_number_cut_not_rounded_and_their_rating_colour():
    chart = completeness_heatmap(_frame(), "org_code", "month", "pct_known", "Ethnicity known")
    cells = _cells(chart)
    assert cells == {
        "95.0": to_hex(palette.GREEN),  # P1 2025-04: exactly 95 is good
        "94.9": to_hex(palette.ORANGE),  # P1 2025-05: 94.96 is not shown as 95.0
        "89.9": to_hex(palette.VERMILLION),  # P2 2025-04
        "*": to_hex(palette.LIGHT_GREY),  # P2 2025-05: suppressed
    }
    legend = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert legend[0] == "Good (95% and over)" and "Poor (under 90%)" in legend
    assert len(legend) == len(RATING_COLOURS)


def test_the_caption_counts_the_ratings_and_names_the_lowest_cell():
    chart = completeness_heatmap(_frame(), "org_code", "month", "pct_known", "Ethnicity known")
    assert "2 providers by 2 months, 4 cells" in chart.caption
    assert "1 good; 1 needs attention; 1 poor; 1 not rated" in chart.caption
    assert "Lowest: P2 in 2025-04, 89.9%" in chart.caption  # as its cell shows it
    assert "labelled" in chart.alt_text


def test_no_rows_gives_a_chart_that_says_so():
    empty = _frame().iloc[0:0]
    chart = completeness_heatmap(empty, "org_code", "month", "pct_known", "Ethnicity known")
    assert chart.caption.startswith("No data to show")
