"""A weekday by hour heat map of demand: one cell per weekday and hour, shaded by its count and
labelled with it, with the hours a service must cover marked (measures.md section 4, "Demand";
section 7 for suppressed cells)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from workbench.disclosure import percentage_decimals

from . import palette
from ._base import Chart, chart_figure, legend_below, no_data_chart, numeric, plural
from ._draw import category_axis

HOURS = tuple(f"{h:02d}" for h in range(24))
#: Colour of a cell with no demand, and of a suppressed cell (with ``*`` on it).
NONE_COLOUR = palette.WHITE
SUPPRESSED_COLOUR = palette.LIGHT_GREY


def _bins(values: np.ndarray) -> np.ndarray:
    """Upper edges of up to seven equal-width shading classes of the known non-zero counts."""
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
    if top <= 0:
        return np.array([1.0])
    k = int(min(len(palette.SEQUENTIAL), max(1, top)))
    return np.ceil(np.linspace(top / k, top, k))


def _codes(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """0 for no demand, 1 to k for the shading class, k + 1 for a suppressed cell."""
    codes = np.searchsorted(edges, values, side="left") + 1.0
    codes[values == 0] = 0
    codes[np.isnan(values)] = len(edges) + 1
    return codes


def demand_heatmap(
    frame: pd.DataFrame,
    title: str,
    weekdays: Sequence[str],
    value: str = "clocks",
    day_hours: tuple[int, int] = (8, 20),
    unit: str = "clocks",
) -> Chart:
    """A heat map of ``value`` by weekday (rows, in the order of ``weekdays``) and hour of the
    day (columns ``00`` to ``23``).

    Each cell is shaded by its count (up to seven equal-width classes of the sequential palette,
    white for none) and labelled with it, so shade never carries the number alone; a suppressed
    cell (``"*"``) is grey and labelled ``*``. Dashed lines mark ``day_hours`` (8am to 8pm, the
    hours the urgent response guidance asks a service to cover). The caption gives the total, the
    busiest cell and the share outside ``day_hours`` of the counts shown.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long table with ``weekday_label``, ``hour`` (``"00"`` to ``"23"``; other hours are left
        out and counted in the caption) and ``value``, already disclosure-controlled.
    title : str
        Chart title; the caption repeats it.
    weekdays : sequence of str
        The weekday labels, top row first.
    value, unit : str
        The count column and what it counts.
    day_hours : (int, int)
        First hour inside the day and first hour after it.

    Returns
    -------
    Chart
    """
    if frame.empty:
        return no_data_chart(title, "Hour of the day", "Weekday", "Heat map")
    known = frame[frame["hour"].isin(HOURS)]
    values = (
        known.assign(_value=numeric(known[value]))
        .pivot_table(
            index="weekday_label", columns="hour", values="_value", aggfunc="first", dropna=False
        )
        .reindex(index=list(weekdays), columns=list(HOURS))
    )
    present = known.assign(_one=1).pivot_table(
        index="weekday_label", columns="hour", values="_one", aggfunc="first"
    )
    present = present.reindex(index=list(weekdays), columns=list(HOURS)).notna().to_numpy()
    grid = values.to_numpy(dtype=float, copy=True)
    grid[~present] = 0.0  # a cell with no row had no demand; a row with "*" is suppressed
    edges = _bins(grid)
    with chart_figure(title, "Hour of the day (local time)", "Weekday", 11.0, 4.8) as (fig, ax):
        _draw_cells(ax, grid, edges, list(weekdays))
        _mark_day(ax, day_hours)
        legend_below(fig, _legend(edges, day_hours, unit), ncol=5, title=f"Cells: {unit}")
    caption = _caption(grid, list(weekdays), title, unit, day_hours, frame, value)
    alt = (
        f"Heat map of {title.lower()}: {len(weekdays)} weekdays by 24 hours, cells shaded by "
        f"their number of {unit} and labelled with it."
    )
    return Chart(fig, caption, alt)


def _colours(edges: np.ndarray) -> list[str]:
    return [NONE_COLOUR, *palette.sequential(len(edges)), SUPPRESSED_COLOUR]


def _draw_cells(ax: Axes, grid: np.ndarray, edges: np.ndarray, weekdays: list[str]) -> None:
    """The shaded cells, each labelled with its count in a colour that reads on it."""
    colours = _colours(edges)
    codes = _codes(grid, edges)
    ax.imshow(
        codes,
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=len(colours) - 0.5,
        aspect="auto",
        interpolation="nearest",
    )
    for (row, col), v in np.ndenumerate(grid):
        colour = colours[int(codes[row, col])]
        text = "*" if np.isnan(v) else f"{v:,.0f}"
        on = palette.text_colour_on(colour)
        ax.text(col, row, text, ha="center", va="center", fontsize=8, color=on)
    ax.set_xticks(range(len(HOURS)))
    ax.set_xticklabels(HOURS)
    ax.set_xlim(-0.5, len(HOURS) - 0.5)
    category_axis(ax, weekdays)
    ax.grid(False)
    ax.set_xticks(np.arange(-0.5, len(HOURS)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(weekdays)), minor=True)
    ax.grid(which="minor", color=palette.LIGHT_GREY, linewidth=0.6)
    ax.tick_params(which="minor", length=0)


def _mark_day(ax: Axes, day_hours: tuple[int, int]) -> None:
    for hour in day_hours:
        ax.axvline(hour - 0.5, color=palette.VERMILLION, linestyle="--", linewidth=1.6)


def _legend(edges: np.ndarray, day_hours: tuple[int, int], unit: str) -> list:
    colours = _colours(edges)
    lows = np.concatenate([[1.0], edges[:-1] + 1])
    handles: list = [Patch(facecolor=NONE_COLOUR, edgecolor=palette.GREY, label="None")]
    for low, high, colour in zip(lows, edges, colours[1:-1], strict=True):
        words = f"{low:,.0f}" if low >= high else f"{low:,.0f} to {high:,.0f}"
        handles.append(Patch(color=colour, label=words))
    handles.append(Patch(color=SUPPRESSED_COLOUR, label="* not shown (suppressed)"))
    start, end = day_hours
    handles.append(
        Line2D(
            [],
            [],
            color=palette.VERMILLION,
            linestyle="--",
            label=f"{start:02d}:00 to {end:02d}:00, the hours a service must cover",
        )
    )
    return handles


def _caption(
    grid: np.ndarray,
    weekdays: list[str],
    title: str,
    unit: str,
    day_hours: tuple[int, int],
    frame: pd.DataFrame,
    value: str,
) -> str:
    """Total shown, the busiest cell, the share outside the day, suppressed and timeless."""
    total = float(np.nansum(grid))
    parts = [f"{title}: {total:,.0f} {unit} in the grid of 7 weekdays by 24 hours."]
    if total > 0:
        row, col = np.unravel_index(np.nanargmax(grid), grid.shape)
        start, end = day_hours
        outside = float(np.nansum(grid[:, :start]) + np.nansum(grid[:, end:]))
        places = percentage_decimals(total)  # the precision the cells' total supports
        share = np.floor(outside / total * 100 * 10**places + 0.5) / 10**places  # half up
        parts.append(
            f"The busiest hour is {weekdays[row]} {HOURS[col]}:00 ({grid[row, col]:,.0f}); "
            f"{share:.{places}f}% of the {unit} shown start before {start:02d}:00 "
            f"or from {end:02d}:00."
        )
    suppressed = int(np.isnan(grid).sum())
    if suppressed:
        parts.append(f"{plural(suppressed, 'cell')} not shown (suppressed): *.")
    timeless = frame[~frame["hour"].isin(HOURS)]
    if not timeless.empty:
        n = float(np.nansum(numeric(timeless[value])))
        parts.append(f"{n:,.0f} {unit} with no start time are not in the grid.")
    return " ".join(parts)
