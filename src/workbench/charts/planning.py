"""Charts of a waiting list's plan (measures.md section 8): its weekly dynamics, and its
projection with the simulation's 95% band."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import palette
from ._base import (
    Chart,
    fmt,
    house_style,
    label_text,
    legend_below,
    no_data_chart,
    numeric,
    thin_ticks,
)

__all__ = ["dynamics_chart", "projection_chart"]

#: The flows of the dynamics chart: (column, legend, colour, line style).
FLOWS = (
    ("additions", "Added (referrals accepted)", palette.BLUE, "-"),
    ("seen", "Seen (clock stops)", palette.GREEN, "--"),
    ("removed", "Removed without being seen", palette.ORANGE, ":"),
)
#: The projected measures: (measure, legend, colour, line style).
PROJECTED = (
    ("waiting", "On the list", palette.BLUE, "-"),
    ("over_18_weeks", "Waiting over 18 weeks", palette.ORANGE, "--"),
    ("over_52_weeks", "Waiting over 52 weeks", palette.VERMILLION, ":"),
)


def dynamics_chart(frame: pd.DataFrame, title: str) -> Chart:
    """The list's weekly flows (added, seen, removed unseen) above and its size at each week's
    end below, sharing the weeks. ``frame``: one row per week in order, ``week_ending`` and the
    columns of :data:`FLOWS` and ``waiting`` (suppressed ``"*"`` values leave gaps)."""
    if frame.empty or not np.isfinite(numeric(frame["waiting"])).any():
        return no_data_chart(title, "Week ending", "People", "Line chart", "No weeks to show.")
    labels = [label_text(pd.Timestamp(w).strftime("%d %b %Y")) for w in frame["week_ending"]]
    pos = np.arange(len(frame))
    with house_style():
        figure = Figure(figsize=(9.0, 6.4), layout="constrained")
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        for column, legend, colour, style in FLOWS:
            top.plot(pos, numeric(frame[column]), color=colour, linestyle=style, lw=2, label=legend)
        top.set_title(title)
        top.set_ylabel("Referrals a week")
        top.set_ylim(bottom=0)
        size = numeric(frame["waiting"])
        bottom.fill_between(pos, size, color=palette.SKY_BLUE, alpha=0.5, lw=0)
        bottom.plot(pos, size, color=palette.BLUE, lw=2)
        bottom.set_ylabel("On the list")
        bottom.set_xlabel("Week ending")
        bottom.set_ylim(bottom=0)
        thin_ticks(bottom, labels, max_labels=6)
        legend_below(figure, ncol=3)
    caption = _dynamics_caption(frame, labels)
    alt = f"Two line charts, {title}: weekly additions, clock stops and removals, and list size."
    return Chart(figure, caption, alt)


def _mean(frame: pd.DataFrame, column: str) -> float:
    values = numeric(frame[column])
    return float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")


def _dynamics_caption(frame: pd.DataFrame, labels: list[str]) -> str:
    size = numeric(frame["waiting"])
    known = np.flatnonzero(np.isfinite(size))
    first, last = known[0], known[-1]
    return (
        f"Weeks ending {labels[0]} to {labels[-1]}. On average each week "
        f"{fmt(_mean(frame, 'additions'), '', 0)} referrals were added, "
        f"{fmt(_mean(frame, 'seen'), '', 0)} were seen and "
        f"{fmt(_mean(frame, 'removed'), '', 0)} removed without being seen. The list went from "
        f"{fmt(size[first], '', 0)} (week ending {labels[first]}) to {fmt(size[last], '', 0)} "
        f"(week ending {labels[last]})."
    )


def projection_chart(summary: pd.DataFrame, title: str) -> Chart:
    """The projected list and its long waits week by week: the median of the runs as a line and
    their 2.5th to 97.5th percentiles as a band. ``summary``: the tidy frame of
    :meth:`workbench.planning.Projection.summary` (with ``week_ending``)."""
    if summary.empty:
        return no_data_chart(title, "Week ending", "People", "Line chart", "Nothing projected.")
    with house_style():
        figure = Figure(figsize=(9.0, 4.8), layout="constrained")
        ax = figure.add_subplot()
        for measure, legend, colour, style in PROJECTED:
            rows = summary[summary["measure"] == measure]
            x = pd.to_datetime(rows["week_ending"])
            ax.fill_between(x, rows["lower"], rows["upper"], color=colour, alpha=0.2, lw=0)
            ax.plot(x, rows["central"], color=colour, ls=style, lw=2.5, label=f"{legend} (central)")
        ax.set_title(title)
        ax.set_xlabel("Week ending")
        ax.set_ylabel("People")
        ax.set_ylim(bottom=0)
        legend_below(figure, ncol=3)
    end = summary[summary["week"] == summary["week"].max()]
    words = [
        f"{legend.lower()} {fmt(float(r['central']), '', 0)} "
        f"(95% band {fmt(float(r['lower']), '', 0)} to {fmt(float(r['upper']), '', 0)})"
        for measure, legend, _, _ in PROJECTED
        for _, r in end[end["measure"] == measure].iterrows()
    ]
    last = pd.Timestamp(end["week_ending"].iloc[0]).strftime("%d %B %Y")
    caption = (
        f"Central projection (median of the runs) with the 95% band shaded. By the week ending "
        f"{last}: {'; '.join(words)}."
    )
    alt = f"Line chart with bands: {title}."
    return Chart(figure, caption, alt)
