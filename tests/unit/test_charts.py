"""Tests of the report charts (workbench.charts): content, captions, palette, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import Collection
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from workbench.charts import (
    Chart,
    cumulative_curve,
    funnel_plot,
    proportion_bars,
    rating_label,
    rating_table,
    spc_chart,
    transition_bars,
    trend_chart,
    wait_band_chart,
)
from workbench.charts.palette import all_colours, sequential

PNG_DIR = Path("/tmp/charts")
PALETTE_RGB = np.array([to_rgb(c) for c in all_colours()])


# ---------------------------------------------------------------- helpers


def _main_axes(chart: Chart):
    return chart.figure.axes[0]


def _by_gid(chart: Chart, prefix: str) -> list:
    return [a for a in chart.figure.findobj() if (a.get_gid() or "").startswith(prefix)]


def _colours(figure: Figure) -> Iterator[tuple[str, tuple[float, float, float, float]]]:
    """Every visible fill, edge, line and text colour drawn in the figure."""
    for artist in figure.findobj():
        if not artist.get_visible():
            continue
        if isinstance(artist, Line2D):
            if artist.get_linestyle() not in ("None", "none", ""):
                yield "line", to_rgba(artist.get_color())
            if artist.get_marker() not in ("None", "none", None, ""):
                for colour in (artist.get_markerfacecolor(), artist.get_markeredgecolor()):
                    if colour not in ("none", "None"):
                        yield "marker", to_rgba(colour)
        elif isinstance(artist, Patch):
            if artist is figure.patch:
                continue
            yield "face", artist.get_facecolor()
            if artist.get_linewidth() > 0:
                yield "edge", artist.get_edgecolor()
        elif isinstance(artist, Collection):
            for colour in artist.get_facecolors():
                yield "face", tuple(colour)
            if np.max(artist.get_linewidths(), initial=0) > 0:
                for colour in artist.get_edgecolors():
                    yield "edge", tuple(colour)
        elif isinstance(artist, Text) and artist.get_text():
            yield "text", to_rgba(artist.get_color())


def _assert_palette_only(chart: Chart) -> None:
    for kind, rgba in _colours(chart.figure):
        if rgba[3] == 0:  # fully transparent: not drawn
            continue
        distance = np.abs(PALETTE_RGB - np.array(rgba[:3])).max(axis=1).min()
        assert distance < 0.01, f"{kind} colour {rgba} is not in the palette"


def _assert_labelled(chart: Chart, title: str) -> None:
    ax = _main_axes(chart)
    assert title in [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
    assert ax.get_xlabel()
    assert ax.get_ylabel() or ax.get_yticklabels()
    assert isinstance(chart.figure, Figure)
    assert chart.caption and chart.alt_text


def _save(chart: Chart, name: str) -> None:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    chart.save(PNG_DIR / f"test_{name}.png")


def _n_points(artists: list) -> int:
    return sum(len(a.get_xdata()) for a in artists)


# ---------------------------------------------------------------- spc_chart

MONTHS = [f"M{i:02d}" for i in range(1, 25)]


def test_spc_chart_draws_series_limits_and_caption() -> None:
    values = [80, 82, 81, 83, 80, 82, 81, 80, 83, 82, 81, 82, 80, 81, 83, 82, 95]
    chart = spc_chart(values, MONTHS[:17], "Seen in 2 hours", "Referrals seen in 2 hours")
    _assert_labelled(chart, "Seen in 2 hours")
    ax = _main_axes(chart)
    assert ax.get_ylabel() == "Referrals seen in 2 hours (%)"
    (series,) = _by_gid(chart, "series")
    assert len(series.get_xdata()) == 17
    assert _n_points(_by_gid(chart, "points_")) == 17
    assert {a.get_gid() for a in _by_gid(chart, "")} >= {"centre", "upper_limit", "lower_limit"}
    assert f"Mean {np.mean(values):.1f}%" in chart.caption  # 82.2%
    assert "process limits" in chart.caption
    assert "special cause improvement: 1 point beyond a process limit (M17)" in chart.caption
    # the improvement point is drawn as a triangle, not only in another colour
    (improved,) = _by_gid(chart, "points_improvement")
    assert improved.get_marker() == "^"
    assert len(chart.figure.legends[0].get_texts()) >= 4
    _assert_palette_only(chart)
    _save(chart, "spc")


STEADY = [64, 63, 64, 63, 64, 63]  # six points after a trend, so that 14 can be charted


def test_spc_chart_trend_of_eight_points() -> None:
    chart = spc_chart(list(range(60, 68)) + STEADY, MONTHS[:14], "Trend", "Known")
    assert "trend of 8 rising points (M01 to M08)" in chart.caption


def test_spc_chart_falling_trend_is_concern_when_higher_is_better() -> None:
    chart = spc_chart(list(range(68, 60, -1)) + STEADY, MONTHS[:14], "Trend", "Known")
    assert "special cause concern: a trend of 8 falling points" in chart.caption
    (concern,) = _by_gid(chart, "points_concern")
    assert concern.get_marker() == "v"


def test_spc_chart_lower_is_better_flips_marker_and_words() -> None:
    chart = spc_chart(
        list(range(68, 60, -1)) + STEADY,
        MONTHS[:14],
        "Days",
        "Mean wait",
        higher_is_better=False,
        unit="days",
    )
    assert "special cause improvement: a trend of 8 falling points" in chart.caption
    (improved,) = _by_gid(chart, "points_improvement")
    assert improved.get_marker() == "v"
    assert _main_axes(chart).get_ylabel() == "Mean wait (days)"


@pytest.mark.parametrize(
    ("target", "words"),
    [
        (50.0, "consistently met"),
        (81.0, "met or missed by chance"),
        (99.0, "will not be met"),
    ],
)
def test_spc_chart_states_assurance_with_a_target(target: float, words: str) -> None:
    values = [80, 82, 81, 83, 80, 82, 81, 80, 83, 82, 81, 82, 80, 81]
    chart = spc_chart(values, MONTHS[:14], "Seen", "Seen", target=target)
    assert f"Target {target:.1f}%" in chart.caption
    assert words in chart.caption
    assert _by_gid(chart, "target")
    assert "fewer than 13" not in chart.caption


def test_spc_chart_common_cause_only() -> None:
    values = [80, 82, 81, 83, 80, 82, 81, 80, 83, 82, 81, 82, 80, 81]
    chart = spc_chart(values, MONTHS[:14], "Seen", "Seen")
    assert "No special cause variation" in chart.caption
    assert [a.get_gid() for a in _by_gid(chart, "points_")] == ["points_common"]


def test_spc_chart_suppressed_periods_break_the_line_and_are_marked() -> None:
    values = [80, "*", 81, 83, np.nan, 82, 81, 80, 83, 82, 81, 82, 80, 81, 82]
    chart = spc_chart(values, MONTHS[:15], "Seen", "Seen")
    (series,) = _by_gid(chart, "series")
    y = np.asarray(series.get_ydata(), dtype=float)
    assert np.isnan(y[[1, 4]]).all() and np.isfinite(np.delete(y, [1, 4])).all()  # no line over
    marks = [a.get_text() for a in _by_gid(chart, "not_charted")]
    assert marks == ["not shown", "not shown"]  # a visible mark, never a silent gap
    assert "2 periods not charted" in chart.caption and "M02 and M05" in chart.caption
    assert "XmR chart" in chart.caption  # 13 points can still be charted


def test_spc_chart_limits_of_a_percentage_stay_within_0_and_100() -> None:
    values = [99, 100, 96, 100, 98, 100, 95, 100, 97, 100, 99, 92, 100, 98]
    chart = spc_chart(values, MONTHS[:14], "Met", "Met", target=70)
    upper = _by_gid(chart, "upper_limit")[0].get_ydata()
    lower = _by_gid(chart, "lower_limit")[0].get_ydata()
    assert min(lower) >= 0 and max(upper) <= 100
    assert "to 100.0%" in chart.caption and "beyond a process limit" not in chart.caption


def test_spc_chart_below_13_charted_points_is_a_run_chart_that_says_why() -> None:
    values = [80, 82, 81, 83, 80, 82, 81, 80, 83, 82, 81, 82, 80, 81]
    reasons = [None] * 12 + ["too few to chart"] * 2
    chart = spc_chart(values, MONTHS[:14], "Seen", "Seen", target=70, not_charted=reasons)
    gids = {a.get_gid() for a in _by_gid(chart, "")}
    assert "centre" in gids and "upper_limit" not in gids and "lower_limit" not in gids
    assert "Run chart" in chart.caption and "at least 13" in chart.caption
    assert "consistently met" not in chart.caption  # no assurance without limits
    assert "M13 and M14 too few to chart" in chart.caption
    assert [a.get_text() for a in _by_gid(chart, "not_charted")] == ["too few to chart"] * 2


@pytest.mark.parametrize(
    ("interval", "says"),
    [((72.0, 90.0), "will be consistently met"), ((68.3, 82.1), "gives no assurance")],
)
def test_spc_assurance_never_contradicts_the_headline_interval(interval, says) -> None:
    values = [80, 82, 81, 83, 80, 82, 81, 80, 83, 82, 81, 82, 80, 81]
    chart = spc_chart(values, MONTHS[:14], "Seen", "Seen", target=70, interval=interval)
    assert says in chart.caption and says in chart.alt_text


@pytest.mark.parametrize("values", [[], ["*", "*"]])
def test_spc_chart_no_data(values: list) -> None:
    chart = spc_chart(values, MONTHS[: len(values)], "Nothing", "Seen")
    assert isinstance(chart, Chart)
    assert "No data" in chart.caption
    assert _main_axes(chart).get_title(loc="left") == "Nothing"


def test_spc_chart_needs_one_label_per_value() -> None:
    with pytest.raises(ValueError, match="one label per value"):
        spc_chart([1, 2, 3], ["a"], "t", "y")


# ---------------------------------------------------------------- funnel_plot


def _funnel_example() -> tuple[list, list, list[str]]:
    # overall = 2000 / 4000 = 50%. At n = 400 the 95% limits are 50 +/- 4.9% and the 99.8%
    # limits 50 +/- 7.7%, so 60% (HI) is above, 40% (LO) below, 45% (D) and 55% (E) between; at
    # n = 1000 they are 50 +/- 3.1% and +/- 4.9%, so 54% (B) and 46% (C) are between.
    num = [200, 240, 160, 540, 460, 180, 220, "*", 0]
    den = [400, 400, 400, 1000, 1000, 400, 400, 200, 0]
    labels = ["A", "HI", "LO", "B", "C", "D", "E", "SUPP", "ZERO"]
    return num, den, labels


def test_funnel_plot_counts_outliers() -> None:
    num, den, labels = _funnel_example()
    chart = funnel_plot(
        num, den, labels, highlight="LO", title="Known", y_label="Ethnicity known", target=70
    )
    _assert_labelled(chart, "Known")
    assert _main_axes(chart).get_ylabel() == "Ethnicity known (%)"
    assert _n_points(_by_gid(chart, "points_")) == 7
    assert _n_points(_by_gid(chart, "points_above")) == 1
    assert _n_points(_by_gid(chart, "points_below")) == 1
    assert len(_by_gid(chart, "limit_")) == 4
    assert "overall 50.0%" in chart.caption
    assert "above the upper 99.8% limit: 1 (HI)" in chart.caption
    assert "below the lower 99.8% limit: 1 (LO)" in chart.caption
    assert "LO: 40% (160 of 400), below the lower 99.8% limit" in chart.caption
    assert "4 organisations lie between the 95% and 99.8% limits" in chart.caption
    assert "1 organisation with a denominator of 0 is left out" in chart.caption
    assert "1 organisation with suppressed or missing counts is left out" in chart.caption
    assert _by_gid(chart, "highlight")
    assert any("LO: 40%" in t.get_text() for t in _main_axes(chart).texts)
    _assert_palette_only(chart)
    _save(chart, "funnel")


def test_funnel_plot_highlight_between_limits_and_given_overall() -> None:
    num, den, labels = _funnel_example()
    # n = 1000 around 50%: 95% limits 46.9-53.1, 99.8% limits 45.1-54.9; C is 46.0%
    chart = funnel_plot(num, den, labels, highlight="C", title="t", y_label="y", overall=50)
    assert "C: 46% (460 of 1,000), between the lower 95% and 99.8% limits" in chart.caption
    assert "as given" in chart.caption


def test_funnel_plot_rings_every_organisation_of_a_region() -> None:
    chart = funnel_plot(
        [50, 90, 500, 300], [100, 100, 1000, 400], ["A", "B", "C", "D"], highlight=["B", "D"]
    )
    ring = _by_gid(chart, "highlight")
    assert len(ring) == 1 and len(ring[0].get_xdata()) == 2
    assert "B: 90% (90 of 100)" in chart.caption and "D: 75% (300 of 400)" in chart.caption
    assert "B: 90%" in chart.alt_text


def test_funnel_plot_highlight_left_out() -> None:
    num, den, labels = _funnel_example()
    chart = funnel_plot(num, den, labels, highlight="ZERO", title="t", y_label="y")
    assert "ZERO is not shown" in chart.caption


@pytest.mark.parametrize(("num", "den"), [([], []), (["*", 0], [10, 0])])
def test_funnel_plot_no_data(num: list, den: list) -> None:
    chart = funnel_plot(num, den, [f"O{i}" for i in range(len(num))], title="t", y_label="y")
    assert "No data" in chart.caption


def test_funnel_plot_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="numerator exceeds denominator"):
        funnel_plot([5], [4], ["A"], title="t", y_label="y")


# ---------------------------------------------------------------- proportion_bars


def _bars_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["Not known", "White", "Asian", "Black", "Mixed"],
            "pct": [40.0, 80.0, "*", 72.5, np.nan],
            "lo": [33.0, 78.0, "*", 70.1, np.nan],
            "hi": [47.0, 82.0, "*", 74.8, np.nan],
        }
    )


def test_proportion_bars_orders_suppresses_and_references() -> None:
    chart = proportion_bars(
        _bars_frame(),
        "group",
        "pct",
        "lo",
        "hi",
        "Seen in 18 weeks",
        "Seen in 18 weeks",
        reference=70,
        reference_label="Standard (70%)",
    )
    _assert_labelled(chart, "Seen in 18 weeks")
    ax = _main_axes(chart)
    assert ax.get_xlabel() == "Seen in 18 weeks (%)"
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names[-1] == "Not known"  # drawn last
    bars = _by_gid(chart, "bars")
    assert len(bars) == 3  # White, Black, Not known; two suppressed
    assert len(_by_gid(chart, "suppressed")) == 2
    assert "Asian: not shown (suppressed or no data)" in chart.caption
    assert "White: 80% (78% to 82%)" in chart.caption  # whole as the table holds it
    assert "Black: 72.5% (70.1% to 74.8%)" in chart.caption
    # White 78 to 82 and Black 70.1 to 74.8 do not overlap: the extremes may be named
    assert "Highest White (80%), lowest Black (72.5%)" in chart.caption
    assert "Standard (70%)" in chart.caption
    assert _by_gid(chart, "reference")
    not_known_bar = bars[-1]
    assert np.allclose(not_known_bar.get_facecolor()[:3], to_rgb("#7F7F7F"))
    _assert_palette_only(chart)
    _save(chart, "proportion_bars")


def test_proportion_bars_name_no_extremes_where_intervals_overlap() -> None:
    frame = pd.DataFrame(
        {
            "group": ["A", "B"],
            "pct": [6.5, 6.3],
            "pct_lower": [6.0, 5.9],
            "pct_upper": [7.0, 6.8],
        }
    )
    chart = proportion_bars(frame, "group", "pct", "pct_lower", "pct_upper", "t", "x")
    assert "Highest" not in chart.caption and "lowest" not in chart.caption
    assert "No group differs clearly" in chart.caption


def test_proportion_bars_no_data() -> None:
    empty = _bars_frame().iloc[0:0]
    chart = proportion_bars(empty, "group", "pct", "lo", "hi", "t", "x")
    assert "No data" in chart.caption


def test_proportion_bars_names_a_missing_column() -> None:
    with pytest.raises(KeyError, match="upper_ci"):
        proportion_bars(_bars_frame(), "group", "pct", "lo", "upper_ci", "t", "x")


# ---------------------------------------------------------------- wait_band_chart

BANDS = ["b0", "b1", "b2"]
BAND_LABELS = ["0-4 weeks", "5-18 weeks", "Over 18 weeks"]


def _wait_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "service": ["MSK", "Podiatry", "Nursing"],
            "b0": [100, 40, 60],
            "b1": [50, "*", 20],
            "b2": [20, 10, "*"],
        }
    )


def test_wait_band_chart_stacks_and_reports_suppressed() -> None:
    chart = wait_band_chart(_wait_frame(), "service", BANDS, BAND_LABELS, "Waiting list")
    _assert_labelled(chart, "Waiting list")
    ax = _main_axes(chart)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["MSK", "Podiatry", "Nursing"]
    drawn = [len(_by_gid(chart, f"band_{j}")) for j in range(3)]
    assert drawn == [3, 2, 2]  # one segment per known, non-zero count
    assert "MSK 170 waiting (Over 18 weeks: 20, 12%)" in chart.caption
    assert "2 counts suppressed" in chart.caption
    assert "Podiatry: 5-18 weeks" in chart.caption and "Nursing: Over 18 weeks" in chart.caption
    legend = chart.figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == BAND_LABELS
    colours = [_by_gid(chart, f"band_{j}")[0].get_facecolor()[:3] for j in range(3)]
    assert np.allclose(colours, [to_rgb(c) for c in sequential(3)])
    _assert_palette_only(chart)
    _save(chart, "wait_bands")


def test_wait_band_chart_all_suppressed_and_empty() -> None:
    frame = pd.DataFrame({"service": ["A"], "b0": ["*"], "b1": ["*"], "b2": ["*"]})
    assert "No data" in wait_band_chart(frame, "service", BANDS, BAND_LABELS, "t").caption
    empty = frame.iloc[0:0]
    assert "No data" in wait_band_chart(empty, "service", BANDS, BAND_LABELS, "t").caption


def test_wait_band_chart_with_total_agrees_with_its_table() -> None:
    # the issue: "Audiology 0 waiting" where the table said 15 (every band suppressed)
    frame = pd.DataFrame(
        {
            "service": ["MSK", "Audiology", "Vision"],
            "waiting": [170, 15, "*"],
            "b0": [100, "*", "*"],
            "b1": [50, "*", 0],
            "b2": [20, "*", 0],
        }
    )
    chart = wait_band_chart(frame, "service", BANDS, BAND_LABELS, "t", total="waiting")
    for text in (chart.caption, chart.alt_text):
        assert "Audiology 15 waiting" in text and "MSK 170 waiting" in text
        assert "Vision fewer than 8 waiting" in text
        assert " 0 waiting" not in text
    ax = _main_axes(chart)
    totals = [t.get_text() for t in ax.texts if t.get_text().startswith(("15", "170", "fewer"))]
    assert totals == ["170", "15", "fewer than 8"]
    assert len(_by_gid(chart, "band_not_shown")) == 1  # Audiology's 15, all in suppressed bands
    legend = chart.figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == [
        *BAND_LABELS,
        "Band suppressed or rounded",
    ]
    colours = [tuple(h.get_facecolor()[:3]) for h in legend.legend_handles]
    assert len(set(colours)) == len(colours)  # one colour per band, even a band never drawn
    _assert_palette_only(chart)


def test_wait_band_chart_legend_keeps_a_band_that_is_never_drawn() -> None:
    frame = _wait_frame().assign(b1=["*", "*", 0])
    chart = wait_band_chart(frame, "service", BANDS, BAND_LABELS, "t")
    legend = chart.figure.legends[0]
    colours = [tuple(h.get_facecolor()[:3]) for h in legend.legend_handles]
    assert np.allclose(colours, [to_rgb(c) for c in sequential(3)])


def test_wait_band_chart_needs_a_label_per_band() -> None:
    with pytest.raises(ValueError, match="one label per band"):
        wait_band_chart(_wait_frame(), "service", BANDS, BAND_LABELS[:2], "t")


# ---------------------------------------------------------------- trend_chart


def _trend_frame() -> pd.DataFrame:
    frame = pd.DataFrame({"month": pd.period_range("2024-01", periods=6, freq="M")})
    frame["pct"] = [60.0, 62.0, "*", 66.0, 68.0, 70.0]
    frame["lo"] = [57.0, 59.0, "*", 63.0, 65.0, 67.0]
    frame["hi"] = [63.0, 65.0, "*", 69.0, 71.0, 73.0]
    return frame


def test_trend_chart_line_ribbon_and_caption() -> None:
    chart = trend_chart(_trend_frame(), "month", "pct", "Known", "Ethnicity known", "lo", "hi")
    _assert_labelled(chart, "Known")
    ax = _main_axes(chart)
    assert ax.get_xlabel() == "Month"
    assert ax.get_ylabel() == "Ethnicity known (%)"
    (series,) = _by_gid(chart, "series")
    assert len(series.get_xdata()) == 6
    assert np.isnan(np.asarray(series.get_ydata(), dtype=float)[2])
    assert _by_gid(chart, "interval")
    assert "The latest shown value is 70.0% (Jun 2024), 95% interval 67.0% to 73.0%" in (
        chart.caption
    )
    assert "1 period not shown" in chart.caption
    _assert_palette_only(chart)
    _save(chart, "trend")


def test_trend_chart_without_interval_and_empty() -> None:
    chart = trend_chart(_trend_frame(), "month", "pct", "Known", "Ethnicity known")
    assert not _by_gid(chart, "interval")
    empty = trend_chart(_trend_frame().iloc[0:0], "month", "pct", "Known", "Known")
    assert "No data" in empty.caption


# ---------------------------------------------------------------- ratings


@pytest.mark.parametrize(
    ("pct", "words"),
    [
        (100, "Good"),
        (95, "Good"),
        (94.999, "Needs attention"),
        (90, "Needs attention"),
        (89.99, "Poor"),
        (0, "Poor"),
        ("*", "Not rated (suppressed or no data)"),
        (np.nan, "Not rated (suppressed or no data)"),
    ],
)
def test_rating_label_measures_section_2(pct: object, words: str) -> None:
    assert rating_label(pct) == words


def test_rating_label_custom_thresholds_and_table() -> None:
    assert rating_label(85, good=80, attention=70) == "Good"
    with pytest.raises(ValueError):
        rating_label(85, good=70, attention=80)
    table = rating_table(pd.DataFrame({"org": ["A", "B"], "known_pct": [96.0, 80.0]}), "known_pct")
    assert table["rating"].tolist() == ["Good", "Poor"]
    assert "rating" not in pd.DataFrame({"known_pct": [1.0]}).columns  # input untouched


# ---------------------------------------------------------------- all charts


def test_charts_render_to_html_without_pyplot() -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    chart = spc_chart([1, 2, 3, 2, 1], list("abcde"), "t", "y", unit="")
    assert plt.get_fignums() == before  # nothing registered with pyplot, nothing to close
    html = chart.to_html()
    assert html.startswith('<figure><img src="data:image/png;base64,')
    assert 'alt="Run chart' in html  # 5 points: too few for process limits


def test_funnel_plot_judges_the_centre_and_outliers_on_the_exact_counts() -> None:
    # drawn at rounded counts, judged on the exact ones (measures.md section 7)
    rounded = ([50, 90, 500, 300], [100, 100, 1000, 400])
    exact = ([52, 88, 498, 301], [101, 99, 1002, 398])
    chart = funnel_plot(*rounded, ["A", "B", "C", "D"], highlight=["B"], exact=exact)
    centre = sum(exact[0]) / sum(exact[1]) * 100
    assert f"around the overall {centre:.1f}%" in chart.caption
    assert "B: 90% (90 of 100)" in chart.caption  # the point as drawn


def test_a_percentage_axis_not_starting_at_zero_says_so_on_the_chart():
    from workbench.charts import spc_chart

    values = [76.0, 77.5, 75.2, 78.1, 76.4, 77.0, 75.9, 76.8, 77.3, 75.5, 76.2, 77.8, 76.6, 77.1]
    chart = spc_chart(values, [f"m{i}" for i in range(len(values))], title="t", y_label="% met")
    ax = chart.figure.axes[0]
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "axis-note"]
    assert ax.get_ylim()[0] > 0 and notes and notes[0].endswith("not 0")


def test_a_day_axis_ticks_in_whole_days():
    import pandas as pd

    from workbench.charts import trend_chart

    frame = pd.DataFrame({"month": ["2025-04", "2025-05", "2025-06"], "d": [30.2, 30.6, 31.1]})
    chart = trend_chart(frame, "month", "d", title="t", y_label="Median days", unit="days")
    ticks = chart.figure.axes[0].get_yticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)


# ---------------------------------------------------------------- transition_bars


def _next_steps() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "from": ["bed"] * 3 + ["ucr"] * 3 + ["acute"] * 3,
            "to": ["home", "died", "readmission"] * 3,
            "pct": [70, "*", 20, 50, 30, 20, 60, 25, 15],
        }
    )


def test_transition_bars_draw_only_shown_shares_and_the_remainder_hatched() -> None:
    chart = transition_bars(
        _next_steps(),
        "from",
        "to",
        "pct",
        ["readmission", "died", "home"],
        title="Next",
        not_shown={"acute": "too few to chart"},
    )
    _assert_labelled(chart, "Next")
    _assert_palette_only(chart)
    patches = _main_axes(chart).patches
    remainder = [p for p in patches if p.get_gid() == "remainder"]
    assert [round(p.get_width()) for p in remainder] == [10]  # bed: 100 - 70 - 20
    assert remainder[0].get_hatch() == "//"
    drawn = sorted(round(p.get_width()) for p in patches if p.get_gid() != "remainder")
    assert drawn == [20, 20, 30, 50, 70]  # acute not drawn, bed's died not drawn
    assert "From bed: readmission 20%, home 70%; not shown: died." in chart.caption
    assert "From acute: not drawn (too few to chart)." in chart.caption
    assert "From ucr: readmission 20%, died 30%, home 50%." in chart.caption
    _save(chart, "transition_bars")


def test_transition_bars_say_shares_at_the_precision_of_their_table() -> None:
    exact = _next_steps().assign(pct=[70.4, "*", 20.0, 50.0, 29.6, 20.4, 60.0, 25.0, 15.0])
    chart = transition_bars(exact, "from", "to", "pct", ["readmission", "died", "home"], title="T")
    assert "From ucr: readmission 20.4%, died 29.6%, home 50.0%." in chart.caption


def test_transition_bars_no_data() -> None:
    empty = pd.DataFrame({"from": [], "to": [], "pct": []})
    chart = transition_bars(empty, "from", "to", "pct", ["home"], title="Next")
    assert chart.caption.startswith("No data to show")


# ---------------------------------------------------------------- cumulative_curve


def _curve(values: list) -> pd.DataFrame:
    days = list(range(len(values)))
    return pd.DataFrame(
        {
            "day": days,
            "pct": values,
            "lo": [max(0, v - 5) if not isinstance(v, str) else "*" for v in values],
            "hi": [v + 5 if not isinstance(v, str) else "*" for v in values],
        }
    )


def test_cumulative_curve_steps_with_its_band_and_says_each_marked_day() -> None:
    frame = _curve(["*", 5, 10, 12, 20, 20, 21, 25])
    chart = cumulative_curve(
        frame,
        "day",
        "pct",
        "lo",
        "hi",
        title="To service",
        y_label="% with a service",
        marks=(2, 7),
    )
    _assert_labelled(chart, "To service")
    _assert_palette_only(chart)
    assert "by day 2, 10% (95% interval 5% to 15%)" in chart.caption  # whole, as given
    assert "by day 7, 25%" in chart.caption
    assert "1 day not shown (suppressed or no data)" in chart.caption
    line = _main_axes(chart).lines[0]
    assert np.isnan(line.get_ydata()[0]) and line.get_drawstyle() == "steps-post"
    _save(chart, "cumulative_curve")


def test_cumulative_curve_not_drawn_says_why() -> None:
    chart = cumulative_curve(
        _curve([1.5, 2.5]), "day", "pct", "lo", "hi", title="T", y_label="%", why_not="Too few."
    )
    assert chart.caption == "No data to show: T. Too few."
    decimals = cumulative_curve(
        _curve([1.5, 2.5]), "day", "pct", "lo", "hi", title="T", y_label="%", marks=(1,)
    )
    assert "by day 1, 2.5%" in decimals.caption
