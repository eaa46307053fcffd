"""Funnel plot of a proportion across peer organisations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from workbench.disclosure import percentage_decimals
from workbench.stats import funnel_limits

from . import palette
from ._base import (
    Chart,
    chart_figure,
    fmt,
    label_text,
    legend_below,
    list_words,
    no_data_chart,
    numeric,
    plural,
    value_axis,
    with_unit,
)
from ._draw import PointKind, draw_points, level_line

__all__ = ["funnel_plot"]

_MAX_NAMED = 5


def _named(names: Sequence[str]) -> str:
    """ "2 (RXA and RXB)" or "7 (RXA, RXB, ... and 2 more)"."""
    if not names:
        return "none"
    shown = list(names[:_MAX_NAMED])
    if len(names) > _MAX_NAMED:
        shown.append(f"{len(names) - _MAX_NAMED} more")
    return f"{len(names)} ({list_words(shown)})"


def _pct_of(value: float, denominator: float) -> str:
    """A point's percentage at the precision its (rounded) denominator supports: whole, with
    one decimal only from 4,000 (measures.md section 7)."""
    return fmt(value, decimals=percentage_decimals(denominator))


def funnel_plot(
    numerators: Any,
    denominators: Any,
    labels: Sequence[Any],
    highlight: str | Sequence[str] | None = None,
    title: str = "Funnel plot",
    y_label: str = "Percentage",
    overall: float | None = None,
    target: float | None = None,
    *,
    x_label: str = "Denominator (number of records)",
    exact: tuple[Any, Any] | None = None,
) -> Chart:
    """Funnel plot: each organisation's percentage against its denominator, with limits.

    measures.md section 6 ("Funnel plots for proportions"): the 95% and 99.8% limits are the
    Wilson-inverted limits of :func:`workbench.stats.funnel_limits` around the overall
    proportion (sum of numerators over sum of denominators unless ``overall`` is given),
    clipped to 0-100%. Points above the upper 99.8% limit are drawn as upward triangles, below
    the lower one as downward triangles, the rest as grey circles; the organisation the report
    is for is ringed and named. Organisations with a denominator of 0, or whose counts are
    missing or suppressed (``"*"``), are left out and counted in the caption.

    Parameters
    ----------
    numerators, denominators : array-like
        Counts per organisation (``"*"`` for suppressed).
    labels : sequence
        Organisation names or codes, one per count.
    highlight : str or sequence of str, optional
        The label of the organisation the report is for, or the labels of the organisations
        inside it (a region's or ICB's providers): each is ringed and named, and the caption
        says where each lies.
    title : str
        Chart title.
    y_label : str
        What the percentage is, e.g. "Ethnicity known"; "(%)" is added.
    overall : float, optional
        The overall percentage (0-100) to centre the funnel on, e.g. the national value.
    target : float, optional
        A target percentage (0-100), drawn as a line.
    x_label : str
        Label of the denominator axis.
    exact : (numerators, denominators), optional
        The unrounded counts, one per organisation as ``numerators``: the points are drawn at
        the (rounded) counts given, while the centre, the limits and where each organisation
        lies are judged on these (measures.md section 7: complex calculations come from the
        unrounded counts).

    Returns
    -------
    Chart

    Examples
    --------
    >>> chart = funnel_plot([50, 90, 500], [100, 100, 1000], ["A", "B", "C"], title="t",
    ...                     y_label="Known")
    >>> "above the upper 99.8% limit: 1 (B)" in chart.caption
    True
    """
    wanted = [highlight] if isinstance(highlight, str) else list(highlight or [])
    num, den, names = _checked_counts(numerators, denominators, labels, overall, target)
    axis_label = with_unit(y_label, "%")
    known = ~np.isnan(num) & ~np.isnan(den)
    plotted = known & (den > 0)
    left_out_text = _left_out_words(known, known & (den == 0))
    if not plotted.any():
        return no_data_chart(title, x_label, axis_label, "Funnel plot", left_out_text.strip() or "")
    judged = None
    if exact is not None:
        judged = (numeric(exact[0])[plotted], numeric(exact[1])[plotted])
    funnel = _Funnel.of(
        num[plotted], den[plotted], [names[i] for i in np.flatnonzero(plotted)], overall, judged
    )
    with chart_figure(title, x_label, axis_label, 9.0, 5.6) as (figure, ax):
        _draw_funnel(figure, ax, funnel, wanted, target)
    caption, alt = _funnel_caption(funnel, wanted, y_label, target)
    return Chart(figure, caption + left_out_text, alt)


def _checked_counts(
    numerators: Any,
    denominators: Any,
    labels: Sequence[Any],
    overall: float | None,
    target: float | None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Numerators, denominators (NaN where suppressed or missing) and label texts; a
    ValueError saying what to fix when they do not line up or are not counts."""
    num = numeric(numerators)
    den = numeric(denominators)
    names = [label_text(label) for label in labels]
    if not num.size == den.size == len(names):
        raise ValueError(
            f"funnel_plot needs one numerator, denominator and label per organisation: got "
            f"{num.size}, {den.size} and {len(names)}"
        )
    known = ~np.isnan(num) & ~np.isnan(den)
    if (num[known] < 0).any() or (den[known] < 0).any():
        raise ValueError("funnel_plot: numerators and denominators must be counts (>= 0)")
    over = known & (den > 0) & (num > den)
    if over.any():
        bad = [names[i] for i in np.flatnonzero(over)][:10]
        raise ValueError(f"funnel_plot: numerator exceeds denominator for {bad}; check the counts")
    for name, value in (("overall", overall), ("target", target)):
        if value is not None and not 0 <= value <= 100:
            raise ValueError(
                f"funnel_plot: {name} must be a percentage from 0 to 100 (got {value})"
            )
    return num, den, names


def _left_out_words(known: np.ndarray, zero: np.ndarray) -> str:
    """The caption's sentence on organisations left out (denominator 0, suppressed, missing)."""
    left_out = []
    if zero.any():
        left_out.append(
            f"{plural(int(zero.sum()), 'organisation')} with a denominator of 0 "
            f"{'is' if zero.sum() == 1 else 'are'} left out"
        )
    if (~known).any():
        left_out.append(
            f"{plural(int((~known).sum()), 'organisation')} with suppressed or missing counts "
            f"{'is' if (~known).sum() == 1 else 'are'} left out"
        )
    return (" " + "; ".join(left_out) + ".") if left_out else ""


@dataclass(frozen=True)
class _Funnel:
    """The plotted organisations: denominators ``x``, numerators ``k``, names ``who``,
    percentages, the overall proportion ``p`` and where each lies against the limits."""

    x: np.ndarray
    k: np.ndarray
    who: list[str]
    pct: np.ndarray
    p: float
    given: bool
    above: np.ndarray
    below: np.ndarray
    inner: np.ndarray

    @classmethod
    def of(
        cls,
        k: np.ndarray,
        x: np.ndarray,
        who: list[str],
        overall: float | None,
        exact: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> _Funnel:
        """Percentages and limits around ``overall`` (0-100), else the pooled proportion; the
        centre and where each lies judged on ``exact`` counts where given."""
        pct = 100.0 * k / x
        jk, jx = exact if exact is not None else (k, x)
        p = overall / 100.0 if overall is not None else float(jk.sum() / jx.sum())
        judged = 100.0 * jk / np.where(jx > 0, jx, np.nan)
        lo95, hi95 = (100.0 * a for a in funnel_limits(p, jx, 0.95))
        lo998, hi998 = (100.0 * a for a in funnel_limits(p, jx, 0.998))
        inner = (judged > hi95) | (judged < lo95)
        above, below = judged > hi998, judged < lo998
        return cls(x, k, who, pct, p, overall is not None, above, below, inner)

    def where(self, spot: int) -> str:
        """Where one organisation lies against the limits, in words."""
        if self.above[spot]:
            return "above the upper 99.8% limit"
        if self.below[spot]:
            return "below the lower 99.8% limit"
        if self.inner[spot]:
            side = "upper" if self.pct[spot] > 100 * self.p else "lower"
            return f"between the {side} 95% and 99.8% limits"
        return "within the 95% limits"


def _draw_funnel(
    figure: Figure, ax: Axes, funnel: _Funnel, wanted: list[str], target: float | None
) -> None:
    """Overall line, limits, target, the points by where they lie, and the ringed ones."""
    x, pct, p = funnel.x, funnel.pct, funnel.p
    grid = np.linspace(max(1.0, 0.8 * x.min()), 1.05 * x.max(), 400)
    handles: list[Any] = [
        level_line(
            ax,
            grid[[0, -1]],
            100 * p,
            "overall",
            palette.BLACK,
            label=f"{'Overall (given)' if funnel.given else 'Overall'} ({fmt(100 * p)})",
        )
    ]
    handles += _limit_curves(ax, grid, p)
    if target is not None:
        handles.append(
            level_line(
                ax,
                grid[[0, -1]],
                target,
                "target",
                palette.VERMILLION,
                "-.",
                f"Target ({fmt(target)})",
            )
        )
    above, below = funnel.above, funnel.below
    kinds = (
        PointKind("within", ~above & ~below, palette.GREY, "o", "Within the 99.8% limits", 7),
        PointKind("above", above, palette.BLUE, "^", "Above the upper 99.8% limit", 9),
        PointKind("below", below, palette.ORANGE, "v", "Below the lower 99.8% limit", 9),
    )
    handles += draw_points(ax, x, pct, kinds, edge_width=0.7)
    handles += _ring(ax, funnel, wanted, grid[-1])
    shown = np.concatenate([pct, [100 * p], [target] if target is not None else []])
    spread = max(shown.max() - shown.min(), 5.0)
    ax.set_ylim(max(0.0, shown.min() - 0.35 * spread), min(100.0, shown.max() + 0.35 * spread))
    ax.set_xlim(0, grid[-1])
    ax.xaxis.set_major_formatter("{x:,.0f}")
    value_axis(ax, "%")
    legend_below(figure, handles, ncol=3)


def _limit_curves(ax: Axes, grid: np.ndarray, p: float) -> list[Any]:
    """The 95% (dashed) and 99.8% (solid) limits over ``grid``; one legend handle each."""
    handles = []
    for level, confidence, style, colour in (
        ("95", 0.95, "--", palette.GREY),
        ("99.8", 0.998, "-", palette.DARK_GREY),
    ):
        for side, values in zip(
            ("lower", "upper"), funnel_limits(p, grid, confidence), strict=True
        ):
            (line,) = ax.plot(
                grid,
                100 * values,
                color=colour,
                linestyle=style,
                linewidth=1.1,
                gid=f"limit_{level}_{side}",
            )
        line.set_label(f"{level}% limits")
        handles.append(line)
    return handles


def _ring(ax: Axes, funnel: _Funnel, wanted: list[str], right_edge: float) -> list[Any]:
    """A ring round each organisation the report is for, each named with its percentage."""
    x, pct, who = funnel.x, funnel.pct, funnel.who
    spots = [who.index(h) for h in wanted if h in who]
    if not spots:
        return []
    (ring,) = ax.plot(
        x[spots],
        pct[spots],
        linestyle="none",
        marker="o",
        markersize=17,
        markerfacecolor="none",
        markeredgecolor=palette.BLACK,
        markeredgewidth=1.8,
        zorder=4,
        gid="highlight",
        label=(
            f"{wanted[0]} (this report)"
            if len(wanted) == 1
            else "This report's organisations (ringed)"
        ),
    )
    for n, spot in enumerate(spots):
        right = x[spot] > 0.7 * right_edge
        ax.annotate(
            f"{who[spot]}: {_pct_of(pct[spot], x[spot])}",
            xy=(x[spot], pct[spot]),
            xytext=(-16 if right else 16, 16 if n % 2 == 0 else -22),
            textcoords="offset points",
            ha="right" if right else "left",
            fontsize=11,
            fontweight="bold",
            color=palette.BLACK,
            arrowprops={"arrowstyle": "-", "color": palette.BLACK, "linewidth": 1},
            zorder=5,
        )
    return [ring]


def _funnel_caption(
    funnel: _Funnel, wanted: list[str], y_label: str, target: float | None
) -> tuple[str, str]:
    """Caption and alt text: the overall, who lies beyond the limits, the ringed ones."""
    who, p = funnel.who, funnel.p
    names_above = [who[i] for i in np.flatnonzero(funnel.above)]
    names_below = [who[i] for i in np.flatnonzero(funnel.below)]
    between = int((funnel.inner & ~funnel.above & ~funnel.below).sum())
    basis = "as given" if funnel.given else "all organisations' numerators over their denominators"
    parts = [
        f"Funnel plot of {y_label} (%) for {plural(len(who), 'organisation')} against their "
        f"denominators, with 95% and 99.8% limits around the overall {fmt(100 * p)} ({basis}).",
        f"Beyond the 99.8% limits: above the upper 99.8% limit: {_named(names_above)}; "
        f"below the lower 99.8% limit: {_named(names_below)}.",
        f"{plural(between, 'organisation')} {'lies' if between == 1 else 'lie'} between the 95% "
        "and 99.8% limits.",
    ]
    said = []
    for name in wanted:
        if name not in who:
            said.append(f"{name} is not shown (denominator 0, suppressed or no data).")
            continue
        spot = who.index(name)
        said.append(
            f"{name}: {_pct_of(funnel.pct[spot], funnel.x[spot])} "
            f"({funnel.k[spot]:,.0f} of {funnel.x[spot]:,.0f}), "
            f"{funnel.where(spot)}."
        )
    if said:
        parts.append(" ".join(said))
    if target is not None:
        parts.append(f"Target {fmt(target)}.")
    alt = (
        f"Funnel plot of {y_label} for {plural(len(who), 'organisation')}: "
        f"{len(names_above)} above and {len(names_below)} below the 99.8% limits"
        + (f"; {' '.join(said)}" if said else ".")
    )
    return " ".join(parts), alt
