"""A simple line over time, with an optional interval ribbon."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import palette
from ._base import (
    Chart,
    fmt,
    house_style,
    label_text,
    new_figure,
    no_data_chart,
    numeric,
    plural,
    thin_ticks,
    with_unit,
)

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
    pos = np.arange(len(labels))
    has_band = lower is not None and upper is not None
    lo = numeric(frame[lower]) if has_band else None
    hi = numeric(frame[upper]) if has_band else None

    with house_style():
        figure, ax = new_figure(9.0, 4.8)
        if lo is not None and hi is not None:
            ax.fill_between(
                pos,
                lo,
                hi,
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
        for gap in np.flatnonzero(~np.isfinite(values)):
            ax.annotate(
                "not shown",
                xy=(gap, 0.03),
                xycoords=("data", "axes fraction"),
                ha="center",
                fontsize=9,
                fontstyle="italic",
                color=palette.DARK_GREY,
                gid="gap",
            )
        ax.set_title(title)
        ax.set_xlabel(time_label)
        ax.set_ylabel(axis_label)
        ax.set_xlim(-0.5, len(labels) - 0.5)
        thin_ticks(ax, labels)
        if has_band:
            figure.legend(loc="outside lower center", ncol=2)

    ok = np.flatnonzero(np.isfinite(values))
    last = ok[-1]
    parts = [f"{y_label} from {labels[0]} to {labels[-1]} ({plural(len(labels), 'period')})."]
    latest = f"The latest shown value is {fmt(values[last], unit)} ({labels[last]})"
    if lo is not None and hi is not None and np.isfinite(lo[last]) and np.isfinite(hi[last]):
        latest += f", 95% interval {fmt(lo[last], unit)} to {fmt(hi[last], unit)}"
    parts.append(latest + ".")
    if ok.size > 1:
        first = ok[0]
        top, bottom = ok[np.argmax(values[ok])], ok[np.argmin(values[ok])]
        parts.append(
            f"It was {fmt(values[first], unit)} in {labels[first]}; highest "
            f"{fmt(values[top], unit)} ({labels[top]}), lowest {fmt(values[bottom], unit)} "
            f"({labels[bottom]})."
        )
    if has_band:
        parts.append("The shaded band is the 95% confidence interval.")
    gaps = len(labels) - ok.size
    if gaps:
        parts.append(f"{plural(gaps, 'period')} not shown (suppressed or no data).")
    caption = " ".join(parts)
    alt = (
        f"Line chart: {title}. {y_label}, {labels[0]} to {labels[-1]}; latest shown value "
        f"{fmt(values[last], unit)} ({labels[last]})."
    )
    return Chart(figure, caption, alt)
