"""A provider by month heat map of a known percentage, each cell rated and labelled with its
number (measures.md section 2, "Rating"; section 7 for suppressed cells)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from . import palette
from ._base import Chart, chart_figure, legend_below, no_data_chart, numeric, plural
from .rating import GOOD, NEEDS_ATTENTION, NOT_RATED, POOR, rating_label

#: Rating -> (cell colour, position on the colour map). Colour-blind safe (Okabe-Ito), and every
#: cell also shows its percentage, so colour never carries the rating alone.
RATING_COLOURS = {
    GOOD: palette.GREEN,
    NEEDS_ATTENTION: palette.ORANGE,
    POOR: palette.VERMILLION,
    NOT_RATED: palette.LIGHT_GREY,
}


def _cell_text(value: float) -> str:
    # one decimal, cut rather than rounded: 94.96 shows 94.9, never a "95.0" rated below 95
    return "*" if np.isnan(value) else f"{np.floor(round(value * 10, 6)) / 10:.1f}"


def completeness_heatmap(
    frame: pd.DataFrame,
    row: str,
    column: str,
    value: str,
    title: str,
    row_label: str = "Provider",
    column_label: str = "Month",
    good: float = 95,
    attention: float = 90,
) -> Chart:
    """A heat map of ``value`` (a percentage, ``"*"`` or NaN when suppressed) with one row per
    ``row`` (e.g. provider) and one column per ``column`` (e.g. month).

    measures.md section 2: each cell is coloured by its rating (95% and over good, 90% to under
    95% needs attention, under 90% poor, by default) and labelled with its percentage cut to one
    decimal place, so a cell never reads as reaching a threshold it did not reach; a suppressed
    or missing cell is grey and labelled ``*``. The legend names every rating in words, and the
    caption says how many cells fall in each.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long table, one row per (``row``, ``column``), already disclosure-controlled.
    row, column, value : str
        Column names of the row labels, the column labels and the percentage.
    title : str
        Chart title; the caption repeats it.
    row_label, column_label : str
        Axis labels.
    good, attention : float
        Rating thresholds, as for :func:`workbench.charts.rating_label`.

    Returns
    -------
    Chart
    """
    if frame.empty:
        return no_data_chart(title, column_label, row_label, "Heat map")
    values = (
        frame.assign(_value=numeric(frame[value]))
        .pivot_table(index=row, columns=column, values="_value", aggfunc="first", dropna=False)
        .sort_index()
    )
    values = values.reindex(columns=sorted(values.columns))
    ratings = values.map(lambda v: rating_label(v, good, attention))
    width = max(7.0, 1.4 + 0.7 * values.shape[1])
    height = max(2.6, 1.6 + 0.42 * values.shape[0])
    with chart_figure(title, column_label, row_label, width, height) as (figure, ax):
        _draw_cells(ax, values, ratings)
        legend_below(
            figure,
            [
                Patch(color=c, label=_legend_words(r, good, attention))
                for r, c in RATING_COLOURS.items()
            ],
            ncol=2,
            title="Rating; each cell shows its percentage",
        )
    caption = _heatmap_caption(values, ratings, title, row_label, column_label)
    alt = (
        f"Heat map of {title.lower()}, {values.shape[0]} rows by {values.shape[1]} columns, "
        "cells coloured by rating and labelled with their percentages."
    )
    return Chart(figure, caption, alt)


def _draw_cells(ax: Axes, values: pd.DataFrame, ratings: pd.DataFrame) -> None:
    """Each cell coloured by its rating and labelled with its percentage, in a colour that
    reads on it."""
    order = list(RATING_COLOURS)
    codes = ratings.map(order.index).astype(float)
    x_label, y_label = ax.get_xlabel(), ax.get_ylabel()  # seaborn relabels the axes
    sns.heatmap(
        codes,
        ax=ax,
        cmap=ListedColormap(list(RATING_COLOURS.values())),
        vmin=-0.5,
        vmax=len(order) - 0.5,
        cbar=False,
        annot=values.map(_cell_text).to_numpy(),
        fmt="",
        annot_kws={"fontsize": 8.5},
        linewidths=1,
        linecolor=palette.WHITE,
    )
    for text, code in zip(ax.texts, codes.to_numpy().ravel(), strict=True):
        text.set_color(palette.text_colour_on(list(RATING_COLOURS.values())[int(code)]))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=45)


def _legend_words(rating: str, good: float, attention: float) -> str:
    """A rating with its thresholds, e.g. "Good (95% and over)"."""
    return {
        GOOD: f"{GOOD} ({good:g}% and over)",
        NEEDS_ATTENTION: f"{NEEDS_ATTENTION} ({attention:g}% to under {good:g}%)",
        POOR: f"{POOR} (under {attention:g}%)",
        NOT_RATED: "* " + NOT_RATED.lower(),
    }[rating]


def _heatmap_caption(
    values: pd.DataFrame, ratings: pd.DataFrame, title: str, row_label: str, column_label: str
) -> str:
    """The grid's size, how many cells have each rating, and the lowest cell."""
    counts = ratings.stack().value_counts()
    cells = int(ratings.size)
    parts = [
        f"{title}: {plural(values.shape[0], row_label.lower())} by "
        f"{plural(values.shape[1], column_label.lower())}, {cells} cells, each labelled with its "
        "percentage."
    ]
    parts.append(
        "; ".join(
            f"{int(counts.get(r, 0))} {r.lower()}" for r in RATING_COLOURS if counts.get(r, 0)
        )
        + "."
    )
    finite = values.stack().dropna()
    if not finite.empty:
        (low_row, low_column), low = finite.idxmin(), finite.min()
        parts.append(f"Lowest: {low_row} in {low_column}, {_cell_text(low)}%.")
    return " ".join(parts)
