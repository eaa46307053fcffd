"""Horizontal bars of percentages by category, with Wilson interval whiskers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import palette
from ._base import (
    SUPPRESSED_TEXT,
    Chart,
    chart_figure,
    fmt,
    label_text,
    legend_below,
    list_words,
    no_data_chart,
    numeric,
    plural,
    with_unit,
)
from ._draw import category_axis

__all__ = ["NOT_KNOWN_CATEGORIES", "proportion_bars"]

#: Category names (lower case) drawn last and in grey: the "not known" groups.
NOT_KNOWN_CATEGORIES = frozenset(
    {"not known", "unknown", "not stated", "not known / not stated", "missing", "invalid"}
)


def _is_not_known(name: str) -> bool:
    low = name.strip().lower()
    return low in NOT_KNOWN_CATEGORIES or low.startswith("not known")


def proportion_bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    lower: str,
    upper: str,
    title: str,
    x_label: str,
    reference: float | None = None,
    reference_label: str | None = None,
    *,
    not_shown: Sequence[str | None] | None = None,
) -> Chart:
    """Percentages by category as horizontal bars with 95% Wilson interval whiskers.

    measures.md sections 2 and 6: a percentage per category (e.g. ethnic group, IMD quintile)
    with its Wilson score interval (computed beforehand, e.g. by
    :func:`workbench.stats.wilson_interval`, and given here as percentages). Categories keep
    the frame's order, except that "Not known" (and similar) comes last and is drawn in grey.
    Each value is written beside its bar; a value that is missing or suppressed (``"*"``)
    gets no bar but the words "not shown (suppressed or no data)". An optional vertical
    reference line marks a standard or a comparator (e.g. the 70% standard, the national 20%).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per category.
    category, value, lower, upper : str
        Columns holding the category name, the percentage (0-100) and its interval limits.
    title : str
        Chart title.
    x_label : str
        What the percentage is; "(%)" is added when missing.
    reference : float, optional
        Percentage at which to draw a reference line.
    reference_label : str, optional
        Words for the reference line, e.g. "National (20%)".
    not_shown : sequence of str or None, optional
        One entry per row: why that category gets no bar (e.g. "too few to chart", measures.md
        section 7), drawn and captioned instead of "not shown (suppressed or no data)"; None to
        draw its bar when it has a value.

    Returns
    -------
    Chart

    Examples
    --------
    >>> df = pd.DataFrame({"group": ["White", "Asian", "Not known"], "pct": [80.0, "*", 10.0],
    ...                    "lo": [78.0, "*", 8.0], "hi": [82.0, "*", 12.0]})
    >>> chart = proportion_bars(df, "group", "pct", "lo", "hi", "Known", "Recorded")
    >>> "Asian: not shown" in chart.caption
    True
    """
    missing = [c for c in (category, value, lower, upper) if c not in frame.columns]
    if missing:
        raise KeyError(
            f"proportion_bars: no column(s) {missing}; the frame has {list(frame.columns)}"
        )
    axis_label = with_unit(x_label, "%")
    if frame.empty:
        return no_data_chart(title, axis_label, "", "Bar chart")
    bars = _Bars.of(frame, category, value, lower, upper, not_shown)
    height = 1.2 + 0.45 * len(bars.names)
    with chart_figure(title, axis_label, None, 9.0, height) as (figure, ax):
        _draw_bars(figure, ax, bars, reference, reference_label)
    described = bars.described()
    caption = _bars_caption(bars, described, x_label, reference, reference_label)
    alt = f"Bar chart: {title}. " + "; ".join(described) + "."
    return Chart(figure, caption, alt)


class _Bars(NamedTuple):
    """The categories in drawing order ("not known" last), their percentages, interval limits,
    why any is not shown, which are drawn grey and which have a bar."""

    names: list[str]
    pct: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    why: list[str]
    grey: np.ndarray
    shown: np.ndarray

    @classmethod
    def of(
        cls,
        frame: pd.DataFrame,
        category: str,
        value: str,
        lower: str,
        upper: str,
        not_shown: Sequence[str | None] | None,
    ) -> _Bars:
        """The frame's rows in order, "not known" ones last; values not shown are NaN."""
        names = [label_text(c) for c in frame[category]]
        order = [i for i, n in enumerate(names) if not _is_not_known(n)]
        order += [i for i, n in enumerate(names) if _is_not_known(n)]
        names = [names[i] for i in order]
        reasons = [None] * len(frame) if not_shown is None else list(not_shown)
        reasons = [reasons[i] for i in order]
        pct = numeric(frame[value])[order]
        pct = np.where([r is None for r in reasons], pct, np.nan)
        grey = np.array([_is_not_known(n) for n in names])
        lo, hi = numeric(frame[lower])[order], numeric(frame[upper])[order]
        why = [r or SUPPRESSED_TEXT for r in reasons]
        return cls(names, pct, lo, hi, why, grey, ~np.isnan(pct))

    def described(self) -> list[str]:
        """Each category in words: its value and interval, or why it is not shown."""
        described = []
        for i, name in enumerate(self.names):
            if not self.shown[i]:
                described.append(f"{name}: {self.why[i]}")
            elif np.isnan(self.lo[i]) or np.isnan(self.hi[i]):
                described.append(f"{name}: {_pct(self.pct[i])}")
            else:
                described.append(
                    f"{name}: {_pct(self.pct[i])} ({_pct(self.lo[i])} to {_pct(self.hi[i])})"
                )
        return described


def _draw_bars(
    figure: Figure,
    ax: Axes,
    bars: _Bars,
    reference: float | None,
    reference_label: str | None,
) -> None:
    """Bars, interval whiskers, the value (or why not) beside each row, the reference line."""
    names, pct, lo, hi, _, grey, shown = bars
    y = np.arange(len(names))
    colours = [palette.GREY if g else palette.BLUE for g in grey]
    ax.barh(
        y[shown],
        pct[shown],
        height=0.6,
        color=[c for c, s in zip(colours, shown, strict=True) if s],
        edgecolor=palette.WHITE,
        gid="bars",
    )
    whisker = shown & ~np.isnan(lo) & ~np.isnan(hi)
    if whisker.any():
        ax.errorbar(
            pct[whisker],
            y[whisker],
            xerr=[pct[whisker] - lo[whisker], hi[whisker] - pct[whisker]],
            fmt="none",
            color=palette.BLACK,
            ecolor=palette.BLACK,
            elinewidth=1.2,
            capsize=3,
            gid="intervals",
        )
    _row_values(ax, bars)
    if reference is not None:
        ax.axvline(
            reference,
            color=palette.VERMILLION,
            linestyle="--",
            linewidth=1.5,
            gid="reference",
            label=reference_label or f"Reference ({fmt(reference)})",
        )
        legend_below(figure)
    # first category on top; room for every row, drawn or not (a "not shown" first row no
    # longer runs into the title)
    category_axis(ax, names)
    for tick, g in zip(ax.get_yticklabels(), grey, strict=True):
        if g:
            tick.set_color(palette.GREY)
    right = np.nanmax(np.concatenate([hi, pct, [reference or 0.0]]))
    ax.set_xlim(0, 100 if np.isnan(right) or right > 60 else min(100, right * 1.15 + 5))


def _row_values(ax: Axes, bars: _Bars) -> None:
    """Each shown value just right of the plotting area, clear of the whiskers; in place of a
    bar not shown, the words why."""
    for i in range(len(bars.names)):
        if bars.shown[i]:
            ax.annotate(
                _pct(bars.pct[i]),
                xy=(1.01, i),
                xycoords=("axes fraction", "data"),
                va="center",
                ha="left",
                fontsize=10,
                color=palette.DARK_GREY,
                annotation_clip=False,
            )
        else:
            ax.text(
                1,
                i,
                bars.why[i],
                va="center",
                ha="left",
                fontsize=10,
                fontstyle="italic",
                color=palette.DARK_GREY,
                gid="suppressed",
                zorder=4,
                bbox={"facecolor": palette.WHITE, "edgecolor": "none", "pad": 1},
            )


def _pct(value: float) -> str:
    """A percentage at the precision its table shows it (measures.md section 7): a whole
    number as such (disclosure control leaves a percentage whole below a rounded denominator of
    4,000), any other to one decimal."""
    whole = value is not None and np.isfinite(value) and float(value).is_integer()
    return fmt(value, decimals=0 if whole else 1)


def _extremes(bars: _Bars, top: int, bottom: int) -> str:
    """The highest and lowest groups named only where their 95% intervals do not overlap
    (measures.md section 7); otherwise that no group differs clearly."""
    names, pct, lo, hi = bars.names, bars.pct, bars.lo, bars.hi
    if np.isfinite(lo[top]) and np.isfinite(hi[bottom]) and lo[top] > hi[bottom]:
        return (
            f"Highest {names[top]} ({_pct(pct[top])}), lowest {names[bottom]} "
            f"({_pct(pct[bottom])}); their 95% intervals do not overlap."
        )
    return (
        "No group differs clearly from the others: the 95% intervals of those furthest apart "
        "overlap."
    )


def _bars_caption(
    bars: _Bars,
    described: list[str],
    x_label: str,
    reference: float | None,
    reference_label: str | None,
) -> str:
    """Every category's value, the highest and lowest known, the reference, those not shown."""
    names, pct, shown, why = bars.names, bars.pct, bars.shown, bars.why
    parts = [f"{x_label} (%) by category, with 95% confidence intervals."]
    parts.append("; ".join(described) + ".")
    if shown.sum() >= 2:
        known = [i for i in range(len(names)) if shown[i] and not bars.grey[i]] or list(
            np.flatnonzero(shown)
        )
        top = max(known, key=lambda i: pct[i])
        bottom = min(known, key=lambda i: pct[i])
        if top != bottom:
            parts.append(_extremes(bars, top, bottom))
    if reference is not None:
        words = reference_label or "Reference"
        parts.append(f"The dashed line marks {words} at {_pct(reference)}.")
    for words in dict.fromkeys(why[i] for i in np.flatnonzero(~shown)):
        hidden = [names[i] for i in np.flatnonzero(~shown) if why[i] == words]
        parts.append(
            f"{plural(len(hidden), 'category', 'categories')} {words}: {list_words(hidden)}."
        )
    return " ".join(parts)
