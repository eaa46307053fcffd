"""A simple line over time, with an optional interval ribbon."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from . import palette
from ._base import (
    Chart,
    chart_figure,
    fmt,
    label_text,
    legend_below,
    no_data_chart,
    numeric,
    plural,
    value_axis,
    with_unit,
)
from ._draw import mark_periods, period_axis

__all__ = ["trend_chart"]


def trend_chart(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    y_label: str,
    lower: str | None = None,
    upper: str | None = None,
    *,
    x_label: str | None = None,
    unit: str = "%",
) -> Chart:
    """A value over time as a line with markers, and its interval as a shaded ribbon.

    Periods are equally spaced in the frame's order. A value that is missing or suppressed
    (``"*"``) leaves a gap in the line and is counted in the caption; so does an interval
    limit (the ribbon has a gap there).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per period, in time order.
    x : str
        Column of period labels (text, :class:`pandas.Period` or timestamps).
    y : str
        Column of values.
    title : str
        Chart title.
    y_label : str
        What the value is; the unit is added in brackets when missing.
    lower, upper : str, optional
        Columns holding the interval (e.g. 95% Wilson limits) on the same scale as ``y``.
    x_label : str, optional
        Label of the time axis; the ``x`` column's name, capitalised, when not given.
    unit : str, default "%"
        Unit of the values.

    Returns
    -------
    Chart

    Examples
    --------
    >>> df = pd.DataFrame({"month": ["Jan", "Feb", "Mar"], "pct": [80.0, 82.5, "*"]})
    >>> chart = trend_chart(df, "month", "pct", "Known", "Ethnicity known")
    >>> "latest shown value is 82.5% (Feb)" in chart.caption
    True
    """
    wanted = [c for c in (x, y, lower, upper) if c is not None]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise KeyError(f"trend_chart: no column(s) {missing}; the frame has {list(frame.columns)}")
    axis_label = with_unit(y_label, unit)
    time_label = x_label or x.replace("_", " ").capitalize()
    values = numeric(frame[y]) if not frame.empty else np.array([])
    if not np.isfinite(values).any():
        why = "Every value is suppressed or missing." if values.size else ""
        return no_data_chart(title, time_label, axis_label, "Line chart", why)
    labels = [label_text(v) for v in frame[x]]
    has_band = lower is not None and upper is not None
    band = (numeric(frame[lower]), numeric(frame[upper])) if has_band else None
    with chart_figure(title, time_label, axis_label, 9.0, 4.8) as (figure, ax):
        _draw_trend(ax, values, band, y_label)
        period_axis(ax, labels)
        value_axis(ax, unit)
        if band is not None:
            legend_below(figure, ncol=2)
    caption = _trend_caption(values, labels, band, y_label, unit)
    last = np.flatnonzero(np.isfinite(values))[-1]
    alt = (
        f"Line chart: {title}. {y_label}, {labels[0]} to {labels[-1]}; latest shown value "
        f"{fmt(values[last], unit)} ({labels[last]})."
    )
    return Chart(figure, caption, alt)


def _draw_trend(
    ax: Axes, values: np.ndarray, band: tuple[np.ndarray, np.ndarray] | None, y_label: str
) -> None:
    """The interval as a ribbon, the values as a line with markers, and each gap in words."""
    pos = np.arange(values.size)
    if band is not None:
        ax.fill_between(
            pos,
            *band,
            color=palette.SKY_BLUE,
            alpha=0.35,
            linewidth=0,
            label="95% confidence interval",
            gid="interval",
        )
    ax.plot(
        pos,
        values,
        color=palette.BLUE,
        linewidth=2,
        marker="o",
        markersize=5,
        markerfacecolor=palette.BLUE,
        markeredgecolor=palette.WHITE,
        label=y_label,
        gid="series",
    )
    mark_periods(
        ax, [(int(gap), "not shown") for gap in np.flatnonzero(~np.isfinite(values))], "gap"
    )


def _trend_caption(
    values: np.ndarray,
    labels: list[str],
    band: tuple[np.ndarray, np.ndarray] | None,
    y_label: str,
    unit: str,
) -> str:
    """The span, the latest shown value (with its interval), the first, highest and lowest."""
    ok = np.flatnonzero(np.isfinite(values))
    last = ok[-1]
    if unit == "days":  # waits are said in whole days, as their tables show them
        values = np.round(values)
    parts = [f"{y_label} from {labels[0]} to {labels[-1]} ({plural(len(labels), 'period')})."]
    latest = f"The latest shown value is {fmt(values[last], unit)} ({labels[last]})"
    if band is not None and np.isfinite(band[0][last]) and np.isfinite(band[1][last]):
        latest += f", 95% interval {fmt(band[0][last], unit)} to {fmt(band[1][last], unit)}"
    parts.append(latest + ".")
    if ok.size > 1:
        first = ok[0]
        top, bottom = ok[np.argmax(values[ok])], ok[np.argmin(values[ok])]
        text = f"It was {fmt(values[first], unit)} in {labels[first]}"
        # highest and lowest are named only where their intervals do not overlap (section 7)
        if band is None or band[0][top] > band[1][bottom]:
            text += (
                f"; highest {fmt(values[top], unit)} ({labels[top]}), lowest "
                f"{fmt(values[bottom], unit)} ({labels[bottom]})"
            )
        else:
            text += "; no period differs clearly from another (their 95% intervals overlap)"
        parts.append(text + ".")
    if band is not None:
        parts.append("The shaded band is the 95% confidence interval.")
    gaps = len(labels) - ok.size
    if gaps:
        parts.append(f"{plural(gaps, 'period')} not shown (suppressed or no data).")
    return " ".join(parts)
