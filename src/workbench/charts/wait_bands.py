"""Stacked bars of the waiting list by wait band, per group."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import palette
from ._base import (
    Chart,
    chart_figure,
    label_text,
    legend_below,
    list_words,
    no_data_chart,
    numeric,
    plural,
)
from ._draw import category_axis

__all__ = ["wait_band_chart"]

_MAX_LISTED = 6
#: Longest line of a group's name beside its bar; longer names wrap (service line names do).
_NAME_WIDTH = 44


def wait_band_chart(
    frame: pd.DataFrame,
    group: str,
    band_columns: Sequence[str],
    band_labels: Sequence[str],
    title: str,
    *,
    x_label: str = "Referrals waiting (count)",
    total: str | None = None,
) -> Chart:
    """The waiting list of each group as a horizontal bar stacked by wait band.

    measures.md section 3 (waiting list by wait band) and section 7 (disclosure control):
    counts arrive already disclosure-controlled, so a cell may be ``"*"`` (1 to 7). Such
    cells, and missing ones, are treated as unknown: nothing is drawn for them and the caption
    lists them. Bands run from the shortest wait (lightest) to the longest (darkest) in a
    colour-blind-safe sequential scheme (one colour per band, each in the legend even when no
    segment of it is drawn), and each segment wide enough to hold it carries its count.

    With ``total`` (the column of the group's controlled list size, as its table shows it),
    each bar is as long as that total, the caption and alt text quote it, and the part of it
    the drawn bands do not account for (suppressed bands, rounding) is a hatched grey segment,
    so chart and table always agree; a suppressed total is said as "fewer than 8". Without
    ``total`` the bar is the sum of the bands it can show.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per group (e.g. service line).
    group : str
        Column naming the group.
    band_columns : sequence of str
        Count columns, shortest wait first.
    band_labels : sequence of str
        Words for each band, e.g. "0-4 weeks", in the same order.
    title : str
        Chart title.
    x_label : str, default "Referrals waiting (count)"
        Label of the count axis.

    Returns
    -------
    Chart

    Examples
    --------
    >>> df = pd.DataFrame({"service": ["MSK", "Podiatry"], "short": [120, 40],
    ...                    "long": [35, "*"]})
    >>> chart = wait_band_chart(df, "service", ["short", "long"], ["Under 18 weeks",
    ...                         "18 weeks and over"], "Waiting list")
    >>> "Podiatry: 18 weeks and over" in chart.caption
    True
    """
    band_columns, band_labels = list(band_columns), list(band_labels)
    if len(band_columns) != len(band_labels):
        raise ValueError(
            f"wait_band_chart needs one label per band column: got {len(band_columns)} columns "
            f"and {len(band_labels)} labels"
        )
    missing = [c for c in [group, *band_columns] if c not in frame.columns]
    if missing:
        raise KeyError(
            f"wait_band_chart: no column(s) {missing}; the frame has {list(frame.columns)}"
        )
    # more bands than the palette has colours is an error even when there is nothing to draw
    colours = palette.sequential(max(len(band_columns), 1)) if band_columns else []
    if frame.empty or not band_columns:
        return no_data_chart(title, x_label, "", "Stacked bar chart")
    counts = np.column_stack([numeric(frame[c]) for c in band_columns])
    no_totals = total is None or total not in frame or np.isnan(numeric(frame[total])).all()
    if np.isnan(counts).all() and no_totals:
        why = "Every count is suppressed or missing."
        return no_data_chart(title, x_label, "", "Stacked bar chart", why)
    bars = _Stacks.of(frame, group, counts, total)
    wrapped = [textwrap.fill(n, _NAME_WIDTH, break_on_hyphens=False) for n in bars.names]
    lines = sum(w.count("\n") + 1 for w in wrapped)
    height = 1.9 + 0.42 * len(wrapped) + 0.12 * (lines - len(wrapped))
    with chart_figure(title, x_label, None, 9.0, height) as (figure, ax):
        _draw_stacks(ax, bars, band_labels, colours, total is not None)
        # first group on top, room for the last one
        category_axis(ax, wrapped, room_below=0.4, room_above=0.6, fontsize=9)
        _band_legend(figure, band_labels, colours, bool((bars.rest > 0).any()))
    described = bars.described(band_labels[-1])
    caption = _stacks_caption(bars, described, band_labels, total is not None)
    alt = f"Stacked bar chart: {title}. " + "; ".join(described) + "."
    return Chart(figure, caption, alt)


class _Stacks(NamedTuple):
    """Each group's band counts (``known``: 0 where ``unknown``), their sum, the bar's length
    (the stated total, else the sum), whether the total is suppressed, and the rest of the
    total the bands do not account for."""

    names: list[str]
    known: np.ndarray
    unknown: np.ndarray
    drawn_sum: np.ndarray
    totals: np.ndarray
    hidden_total: np.ndarray
    rest: np.ndarray
    widest: float

    @classmethod
    def of(cls, frame: pd.DataFrame, group: str, counts: np.ndarray, total: str | None) -> _Stacks:
        """The bars from the band counts and, when given, the column of stated totals."""
        names = [label_text(g) for g in frame[group]]
        unknown = np.isnan(counts)
        known = np.where(unknown, 0.0, counts)
        drawn_sum = known.sum(axis=1)
        if total is not None:
            if total not in frame.columns:
                raise KeyError(f"wait_band_chart: no total column {total!r}")
            stated = numeric(frame[total])
            hidden_total = np.isnan(stated)
            totals = np.where(hidden_total, drawn_sum, np.maximum(stated, 0.0))
        else:
            hidden_total = np.zeros(len(names), dtype=bool)
            totals = drawn_sum
        rest = np.clip(totals - drawn_sum, 0.0, None)
        widest = max(float(np.maximum(totals, drawn_sum).max()), 1.0)
        return cls(names, known, unknown, drawn_sum, totals, hidden_total, rest, widest)

    def total_words(self, i: int) -> str:
        """Group ``i``'s total as its table shows it."""
        return "fewer than 8" if self.hidden_total[i] else f"{self.totals[i]:,.0f}"

    def described(self, longest: str) -> list[str]:
        """Each group's total waiting and its longest band, in words."""
        described = []
        for i, name in enumerate(self.names):
            text = f"{name} {self.total_words(i)} waiting"
            if self.unknown[i, -1]:
                text += f" ({longest}: suppressed)"
            elif self.totals[i] > 0:
                last = self.known[i, -1]
                text += f" ({longest}: {last:,.0f}, {100 * last / self.totals[i]:.0f}%)"
            described.append(text)
        return described


def _draw_stacks(
    ax: Axes, bars: _Stacks, band_labels: list[str], colours: list[str], has_total: bool
) -> None:
    """The bands stacked shortest wait first, each wide enough segment with its count, the
    hatched rest of a stated total and each bar's total at its end."""
    y = np.arange(len(bars.names))
    left = np.zeros(len(bars.names))
    for j, (label, colour) in enumerate(zip(band_labels, colours, strict=True)):
        width = bars.known[:, j]
        drawn = ~bars.unknown[:, j] & (width > 0)
        ax.barh(
            y[drawn],
            width[drawn],
            left=left[drawn],
            height=0.65,
            color=colour,
            edgecolor=palette.WHITE,
            linewidth=0.8,
            label=label,
            gid=f"band_{j}",
        )
        for i in map(int, np.flatnonzero(drawn)):
            if width[i] >= 0.07 * bars.widest:
                ax.text(
                    left[i] + width[i] / 2,
                    y[i],
                    f"{width[i]:,.0f}",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=palette.text_colour_on(colour),
                )
        left += width
    has_rest = bars.rest > 0
    if has_rest.any():
        ax.barh(
            y[has_rest],
            bars.rest[has_rest],
            left=left[has_rest],
            height=0.65,
            color=palette.LIGHT_GREY,
            edgecolor=palette.WHITE,
            hatch="//",
            linewidth=0.8,
            gid="band_not_shown",
        )
    for i in range(len(bars.names)):
        note = " (+ suppressed)" if bars.unknown[i].any() and not has_total else ""
        ax.text(
            max(bars.totals[i], bars.drawn_sum[i]) + 0.01 * bars.widest,
            y[i],
            f"{bars.total_words(i)}{note}",
            va="center",
            ha="left",
            fontsize=10,
            color=palette.DARK_GREY,
        )
    ax.set_xlim(0, bars.widest * 1.22)
    ax.xaxis.set_major_formatter("{x:,.0f}")


def _band_legend(
    figure: Figure, band_labels: list[str], colours: list[str], has_rest: bool
) -> None:
    """Every band in the legend, drawn or not, and the hatched rest when there is one."""
    handles = [
        Patch(facecolor=colour, edgecolor=palette.WHITE, label=label)
        for label, colour in zip(band_labels, colours, strict=True)
    ]
    if has_rest:
        handles.append(
            Patch(
                facecolor=palette.LIGHT_GREY,
                edgecolor=palette.WHITE,
                hatch="//",
                label="Band suppressed or rounded",
            )
        )
    legend_below(figure, handles, ncol=min(len(handles), 4), title="Wait band")


def _stacks_caption(
    bars: _Stacks, described: list[str], band_labels: list[str], has_total: bool
) -> str:
    """The bands, each group's total and longest band, and the counts not shown."""
    parts = [
        f"Waiting list by wait band ({list_words(band_labels)}) for "
        f"{plural(len(bars.names), 'group')}, shortest waits lightest."
    ]
    parts.append("; ".join(described) + ".")
    cells = [
        f"{bars.names[i]}: {band_labels[j]}" for i, j in zip(*np.nonzero(bars.unknown), strict=True)
    ]
    if cells:
        listed = cells[:_MAX_LISTED]
        if len(cells) > _MAX_LISTED:
            listed.append(f"{len(cells) - _MAX_LISTED} more")
        where = (
            "drawn together as the hatched grey part of their bar"
            if has_total
            else "not drawn and not in the totals"
        )
        parts.append(
            f"{plural(len(cells), 'count')} suppressed (1 to 7, shown as *) or missing "
            f"{'is' if len(cells) == 1 else 'are'} {where}: {list_words(listed)}."
        )
    return " ".join(parts)
