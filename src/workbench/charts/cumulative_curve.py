"""A time-to-event curve: the cumulative share with an event by each day after a start
(measures.md section 9, the time-to-service curve), as a step line with its 95% interval, drawn
from controlled values; a day whose value is suppressed is a gap in the line, said in the
caption."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import palette
from ._base import Chart, chart_figure, fmt, legend_below, no_data_chart, numeric, plural

__all__ = ["cumulative_curve"]


def cumulative_curve(
    frame: pd.DataFrame,
    day: str,
    value: str,
    lower: str,
    upper: str,
    *,
    title: str,
    y_label: str,
    x_label: str = "Days after discharge",
    marks: Sequence[int] = (7, 30, 90),
    why_not: str | None = None,
) -> Chart:
    """The cumulative percentage ``value`` by ``day`` as a step line, with its interval
    (``lower``/``upper``) as a shaded band; the caption gives the value at each of ``marks``.

    ``why_not`` (e.g. "too few to chart") draws nothing and says why. A suppressed or missing
    day leaves a gap in the line; the caption counts them.

    Examples
    --------
    >>> f = pd.DataFrame({"day": [0, 1, 2], "p": [1.0, "*", 5.0], "lo": [0, 0, 2], "hi": [3, 9, 9]})
    >>> chart = cumulative_curve(f, "day", "p", "lo", "hi", title="T", y_label="%", marks=(2,))
    >>> "by day 2, 5.0% (95% interval 2.0% to 9.0%)" in chart.caption
    True
    >>> "1 day not shown" in chart.caption
    True
    """
    values = numeric(frame[value]) if len(frame) else np.array([])
    if why_not is not None or not np.isfinite(values).any():
        return no_data_chart(title, x_label, y_label, "Step chart", why_not or "")
    days = numeric(frame[day])
    low, high = numeric(frame[lower]), numeric(frame[upper])
    with chart_figure(title, x_label, y_label, 9.0, 4.5) as (figure, ax):
        ax.fill_between(
            days,
            low,
            high,
            step="post",
            color=palette.SKY_BLUE,
            alpha=0.35,
            linewidth=0,
            label="95% confidence interval",
        )
        ax.step(days, values, where="post", color=palette.BLUE, linewidth=2, label=y_label)
        ax.set_ylim(0, max(10.0, float(np.nanmax(high)) * 1.1 if np.isfinite(high).any() else 10))
        ax.set_xlim(float(np.nanmin(days)), float(np.nanmax(days)))
        legend_below(figure, ncol=2)
    whole = all(
        isinstance(v, int | np.integer) for v in frame[value] if not isinstance(v, str)
    )  # as the table shows them: whole percentages under disclosure control (section 7)
    decimals = 0 if whole else 1
    parts = []
    for mark in marks:
        at = np.flatnonzero(days == mark)
        if at.size and np.isfinite(values[at[0]]):
            i = at[0]
            parts.append(
                f"by day {mark}, {fmt(values[i], '%', decimals)} (95% interval "
                f"{fmt(low[i], '%', decimals)} to {fmt(high[i], '%', decimals)})"
            )
    caption = f"{y_label}: " + ("; ".join(parts) or "no marked day is shown") + "."
    gaps = int((~np.isfinite(values)).sum())
    if gaps:
        caption += f" {plural(gaps, 'day')} not shown (suppressed or no data)."
    caption += " The shaded band is the 95% confidence interval."
    return Chart(figure, caption, f"Step chart: {title}. {caption}")
