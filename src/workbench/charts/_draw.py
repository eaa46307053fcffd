"""Drawing steps the charts share: level lines, marked points, period and category axes, and
words at periods. (The figure itself, titled and labelled, and its legend: see ``_base``.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from . import palette
from ._base import thin_ticks

__all__ = [
    "PointKind",
    "category_axis",
    "draw_points",
    "level_line",
    "mark_periods",
    "period_axis",
]


def level_line(
    ax: Axes,
    span: Sequence[float] | np.ndarray,
    level: float,
    gid: str,
    colour: str,
    style: str = "-",
    label: str | None = None,
) -> Line2D:
    """A horizontal line at ``level`` across ``span`` (a mean, a limit, a target)."""
    extra: dict[str, Any] = {"label": label} if label is not None else {}
    (line,) = ax.plot(
        span, [level, level], color=colour, linestyle=style, linewidth=1.4, gid=gid, **extra
    )
    return line


class PointKind(NamedTuple):
    """One kind of point: which points (``mask``), how they look and what the legend says."""

    name: str
    mask: np.ndarray
    colour: str
    marker: str
    words: str
    size: float


def draw_points(
    ax: Axes,
    x: np.ndarray,
    y: np.ndarray,
    kinds: Iterable[PointKind],
    edge_width: float | None = None,
) -> list[Line2D]:
    """Each kind of point as its own marked series (gid ``points_<name>``), by shape as well as
    colour, skipping kinds with no point; returns the legend handles."""
    handles = []
    for kind in kinds:
        if not kind.mask.any():
            continue
        (points,) = ax.plot(
            x[kind.mask],
            y[kind.mask],
            linestyle="none",
            marker=kind.marker,
            markersize=kind.size,
            markerfacecolor=kind.colour,
            markeredgecolor=palette.WHITE,
            markeredgewidth=edge_width,
            zorder=3,
            gid=f"points_{kind.name}",
            label=kind.words,
        )
        handles.append(points)
    return handles


def period_axis(ax: Axes, labels: Sequence[str]) -> None:
    """Equally spaced periods along x, half a step of room either side, labels thinned."""
    ax.set_xlim(-0.5, max(len(labels) - 0.5, 0.5))
    thin_ticks(ax, labels)


def mark_periods(
    ax: Axes, marks: Iterable[tuple[int, str]], gid: str, *, vertical: bool = False
) -> None:
    """Words at the foot of the chart at each ``(position, words)``: a period not drawn is
    never a silent gap. ``vertical`` stands the words on end (for longer reasons)."""
    style: dict[str, Any] = (
        {"va": "bottom", "rotation": 90, "fontsize": 8} if vertical else {"fontsize": 9}
    )
    for position, words in marks:
        ax.annotate(
            words,
            xy=(position, 0.03),
            xycoords=("data", "axes fraction"),
            ha="center",
            fontstyle="italic",
            color=palette.DARK_GREY,
            gid=gid,
            **style,
        )


def category_axis(
    ax: Axes,
    labels: Sequence[str],
    room_below: float = 0.5,
    room_above: float = 0.5,
    fontsize: float | None = None,
) -> np.ndarray:
    """One row per category down the y axis, the first on top, with room below the last row
    and above the first; returns the rows' positions."""
    y = np.arange(len(labels))
    ax.set_yticks(y)
    extra: dict[str, Any] = {"fontsize": fontsize} if fontsize is not None else {}
    ax.set_yticklabels(labels, **extra)
    ax.set_ylim(len(labels) - room_below, -room_above)
    return y
