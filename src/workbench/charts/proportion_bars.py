"""Horizontal bars of percentages by category, with Wilson interval whiskers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import palette
from ._base import (
    SUPPRESSED_TEXT,
    Chart,
    fmt,
    house_style,
    label_text,
    list_words,
    new_figure,
    no_data_chart,
    numeric,
    plural,
    with_unit,
)

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
    names = [label_text(c) for c in frame[category]]
    order = [i for i, n in enumerate(names) if not _is_not_known(n)]
    order += [i for i, n in enumerate(names) if _is_not_known(n)]
    names = [names[i] for i in order]
    pct = numeric(frame[value])[order]
    lo = numeric(frame[lower])[order]
    hi = numeric(frame[upper])[order]
    reasons = [None] * len(frame) if not_shown is None else list(not_shown)
    reasons = [reasons[i] for i in order]
    pct = np.where([r is None for r in reasons], pct, np.nan)
    why = [r or SUPPRESSED_TEXT for r in reasons]
    grey = np.array([_is_not_known(n) for n in names])
    shown = ~np.isnan(pct)
    y = np.arange(len(names))

    with house_style():
        figure, ax = new_figure(9.0, 1.2 + 0.45 * len(names))
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
        for i in range(len(names)):
            if shown[i]:
                # the value column sits just right of the plotting area, clear of the whiskers
                ax.annotate(
                    fmt(pct[i]),
                    xy=(1.01, y[i]),
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
                    y[i],
                    why[i],
                    va="center",
                    ha="left",
                    fontsize=10,
                    fontstyle="italic",
                    color=palette.DARK_GREY,
                    gid="suppressed",
                    zorder=4,
                    bbox={"facecolor": palette.WHITE, "edgecolor": "none", "pad": 1},
                )
        if reference is not None:
            ax.axvline(
                reference,
                color=palette.VERMILLION,
                linestyle="--",
                linewidth=1.5,
                gid="reference",
                label=reference_label or f"Reference ({fmt(reference)})",
            )
            figure.legend(loc="outside lower center")
        ax.set_yticks(y)
        ax.set_yticklabels(names)
        for tick, g in zip(ax.get_yticklabels(), grey, strict=True):
            if g:
                tick.set_color(palette.GREY)
        ax.set_ylim(len(names) - 0.5, -0.5)  # first category on top; room for every row,
        # drawn or not (a "not shown" first row no longer runs into the title)
        right = np.nanmax(np.concatenate([hi, pct, [reference or 0.0]]))
        ax.set_xlim(0, 100 if np.isnan(right) or right > 60 else min(100, right * 1.15 + 5))
        ax.set_title(title)
        ax.set_xlabel(axis_label)

    parts = [f"{x_label} (%) by category, with 95% confidence intervals."]
    described = []
    for i, name in enumerate(names):
        if not shown[i]:
            described.append(f"{name}: {why[i]}")
        elif np.isnan(lo[i]) or np.isnan(hi[i]):
            described.append(f"{name}: {fmt(pct[i])}")
        else:
            described.append(f"{name}: {fmt(pct[i])} ({fmt(lo[i])} to {fmt(hi[i])})")
    parts.append("; ".join(described) + ".")
    if shown.sum() >= 2:
        known = [i for i in range(len(names)) if shown[i] and not grey[i]] or list(
            np.flatnonzero(shown)
        )
        top = max(known, key=lambda i: pct[i])
        bottom = min(known, key=lambda i: pct[i])
        if top != bottom:
            parts.append(
                f"Highest {names[top]} ({fmt(pct[top])}), lowest {names[bottom]} "
                f"({fmt(pct[bottom])})."
            )
    if reference is not None:
        words = reference_label or "Reference"
        parts.append(f"The dashed line marks {words} at {fmt(reference)}.")
    for words in dict.fromkeys(why[i] for i in np.flatnonzero(~shown)):
        hidden = [names[i] for i in np.flatnonzero(~shown) if why[i] == words]
        parts.append(
            f"{plural(len(hidden), 'category', 'categories')} {words}: {list_words(hidden)}."
        )
    caption = " ".join(parts)
    alt = f"Bar chart: {title}. " + "; ".join(described) + "."
    return Chart(figure, caption, alt)
