"""Stacked bars of the waiting list by wait band, per group."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from . import palette
from ._base import (
    Chart,
    house_style,
    label_text,
    list_words,
    new_figure,
    no_data_chart,
    numeric,
    plural,
)

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
    x_label: str = "People waiting (count)",
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
    x_label : str, default "People waiting (count)"
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
    colours = palette.sequential(max(len(band_columns), 1)) if band_columns else []
    if frame.empty or not band_columns:
        return no_data_chart(title, x_label, "", "Stacked bar chart")

    names = [label_text(g) for g in frame[group]]
    counts = np.column_stack([numeric(frame[c]) for c in band_columns])
    unknown = np.isnan(counts)
    no_totals = total is None or total not in frame or np.isnan(numeric(frame[total])).all()
    if unknown.all() and no_totals:
        return no_data_chart(
            title,
            x_label,
            "",
            "Stacked bar chart",
            "Every count is suppressed or missing.",
        )
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
    y = np.arange(len(names))

    wrapped = [textwrap.fill(n, _NAME_WIDTH, break_on_hyphens=False) for n in names]
    lines = sum(w.count("\n") + 1 for w in wrapped)
    with house_style():
        figure, ax = new_figure(9.0, 1.9 + 0.42 * len(names) + 0.12 * (lines - len(names)))
        left = np.zeros(len(names))
        for j, (label, colour) in enumerate(zip(band_labels, colours, strict=True)):
            width = known[:, j]
            drawn = ~unknown[:, j] & (width > 0)
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
                if width[i] >= 0.07 * widest:
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
        has_rest = rest > 0
        if has_rest.any():
            ax.barh(
                y[has_rest],
                rest[has_rest],
                left=left[has_rest],
                height=0.65,
                color=palette.LIGHT_GREY,
                edgecolor=palette.WHITE,
                hatch="//",
                linewidth=0.8,
                gid="band_not_shown",
            )
        for i in range(len(names)):
            note = " (+ suppressed)" if unknown[i].any() and total is None else ""
            said = "fewer than 8" if hidden_total[i] else f"{totals[i]:,.0f}"
            ax.text(
                max(totals[i], drawn_sum[i]) + 0.01 * widest,
                y[i],
                f"{said}{note}",
                va="center",
                ha="left",
                fontsize=10,
                color=palette.DARK_GREY,
            )
        ax.set_yticks(y)
        ax.set_yticklabels(wrapped, fontsize=9)
        ax.set_ylim(len(names) - 0.4, -0.6)  # first group on top, room for the last one
        ax.set_xlim(0, widest * 1.22)
        ax.xaxis.set_major_formatter("{x:,.0f}")
        ax.set_title(title)
        ax.set_xlabel(x_label)
        handles = [
            Patch(facecolor=colour, edgecolor=palette.WHITE, label=label)
            for label, colour in zip(band_labels, colours, strict=True)
        ]
        if has_rest.any():
            handles.append(
                Patch(
                    facecolor=palette.LIGHT_GREY,
                    edgecolor=palette.WHITE,
                    hatch="//",
                    label="Band suppressed or rounded",
                )
            )
        figure.legend(
            handles=handles,
            loc="outside lower center",
            ncol=min(len(handles), 4),
            title="Wait band",
        )

    parts = [
        f"Waiting list by wait band ({list_words(band_labels)}) for "
        f"{plural(len(names), 'group')}, shortest waits lightest."
    ]
    longest = band_labels[-1]
    described = []
    for i, name in enumerate(names):
        said = "fewer than 8" if hidden_total[i] else f"{totals[i]:,.0f}"
        text = f"{name} {said} waiting"
        if unknown[i, -1]:
            text += f" ({longest}: suppressed)"
        elif totals[i] > 0:
            text += f" ({longest}: {known[i, -1]:,.0f}, {100 * known[i, -1] / totals[i]:.0f}%)"
        described.append(text)
    parts.append("; ".join(described) + ".")
    cells = [f"{names[i]}: {band_labels[j]}" for i, j in zip(*np.nonzero(unknown), strict=True)]
    if cells:
        listed = cells[:_MAX_LISTED]
        if len(cells) > _MAX_LISTED:
            listed.append(f"{len(cells) - _MAX_LISTED} more")
        where = (
            "drawn together as the hatched grey part of their bar"
            if total is not None
            else "not drawn and not in the totals"
        )
        parts.append(
            f"{plural(len(cells), 'count')} suppressed (1 to 7, shown as *) or missing "
            f"{'is' if len(cells) == 1 else 'are'} {where}: {list_words(listed)}."
        )
    caption = " ".join(parts)
    alt = f"Stacked bar chart: {title}. " + "; ".join(described) + "."
    return Chart(figure, caption, alt)
