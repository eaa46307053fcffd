"""Funnel plot of a proportion across peer organisations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from workbench.stats import funnel_limits

from . import palette
from ._base import (
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
    num = numeric(numerators)
    den = numeric(denominators)
    names = [label_text(label) for label in labels]
    if not num.size == den.size == len(names):
        raise ValueError(
            f"funnel_plot needs one numerator, denominator and label per organisation: got "
            f"{num.size}, {den.size} and {len(names)}"
        )
    axis_label = with_unit(y_label, "%")
    known = ~np.isnan(num) & ~np.isnan(den)
    zero = known & (den == 0)
    plotted = known & (den > 0)
    if (num[known] < 0).any() or (den[known] < 0).any():
        raise ValueError("funnel_plot: numerators and denominators must be counts (>= 0)")
    over = plotted & (num > den)
    if over.any():
        bad = [names[i] for i in np.flatnonzero(over)][:10]
        raise ValueError(f"funnel_plot: numerator exceeds denominator for {bad}; check the counts")
    for name, value in (("overall", overall), ("target", target)):
        if value is not None and not 0 <= value <= 100:
            raise ValueError(
                f"funnel_plot: {name} must be a percentage from 0 to 100 (got {value})"
            )

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
    left_out_text = (" " + "; ".join(left_out) + ".") if left_out else ""
    if not plotted.any():
        return no_data_chart(title, x_label, axis_label, "Funnel plot", left_out_text.strip() or "")

    x, k = den[plotted], num[plotted]
    who = [names[i] for i in np.flatnonzero(plotted)]
    pct = 100.0 * k / x
    given = overall is not None
    p = overall / 100.0 if overall is not None else float(k.sum() / x.sum())
    lo95, hi95 = (100.0 * a for a in funnel_limits(p, x, 0.95))
    lo998, hi998 = (100.0 * a for a in funnel_limits(p, x, 0.998))
    above = pct > hi998
    below = pct < lo998
    inner = (pct > hi95) | (pct < lo95)

    with house_style():
        figure, ax = new_figure(9.0, 5.6)
        grid = np.linspace(max(1.0, 0.8 * x.min()), 1.05 * x.max(), 400)
        g95 = funnel_limits(p, grid, 0.95)
        g998 = funnel_limits(p, grid, 0.998)
        handles = []
        (line,) = ax.plot(
            grid[[0, -1]],
            [100 * p] * 2,
            color=palette.BLACK,
            linewidth=1.4,
            gid="overall",
            label=f"{'Overall (given)' if given else 'Overall'} ({fmt(100 * p)})",
        )
        handles.append(line)
        for level, limits, style, colour in (
            ("95", g95, "--", palette.GREY),
            ("99.8", g998, "-", palette.DARK_GREY),
        ):
            for side, values in zip(("lower", "upper"), limits, strict=True):
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
        if target is not None:
            (line,) = ax.plot(
                grid[[0, -1]],
                [target] * 2,
                color=palette.VERMILLION,
                linestyle="-.",
                linewidth=1.4,
                gid="target",
                label=f"Target ({fmt(target)})",
            )
            handles.append(line)
        kinds = (
            ("within", ~above & ~below, palette.GREY, "o", "Within the 99.8% limits"),
            ("above", above, palette.BLUE, "^", "Above the upper 99.8% limit"),
            ("below", below, palette.ORANGE, "v", "Below the lower 99.8% limit"),
        )
        for name, mask, colour, marker, words in kinds:
            if not mask.any():
                continue
            (points,) = ax.plot(
                x[mask],
                pct[mask],
                linestyle="none",
                marker=marker,
                markersize=7 if name == "within" else 9,
                markerfacecolor=colour,
                markeredgecolor=palette.WHITE,
                markeredgewidth=0.7,
                zorder=3,
                gid=f"points_{name}",
                label=words,
            )
            handles.append(points)

        spots = [who.index(h) for h in wanted if h in who]
        if spots:
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
            handles.append(ring)
            for n, spot in enumerate(spots):
                right = x[spot] > 0.7 * grid[-1]
                ax.annotate(
                    f"{who[spot]}: {fmt(pct[spot])}",
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

        shown = np.concatenate([pct, [100 * p], [target] if target is not None else []])
        spread = max(shown.max() - shown.min(), 5.0)
        ax.set_ylim(max(0.0, shown.min() - 0.35 * spread), min(100.0, shown.max() + 0.35 * spread))
        ax.set_xlim(0, grid[-1])
        ax.set_title(title)
        ax.set_xlabel(x_label)
        ax.set_ylabel(axis_label)
        ax.xaxis.set_major_formatter("{x:,.0f}")
        figure.legend(handles=handles, loc="outside lower center", ncol=3)

    names_above = [who[i] for i in np.flatnonzero(above)]
    names_below = [who[i] for i in np.flatnonzero(below)]
    between = int((inner & ~above & ~below).sum())
    basis = "as given" if given else "all organisations' numerators over their denominators"
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
        h = pct[spot]
        if above[spot]:
            where = "above the upper 99.8% limit"
        elif below[spot]:
            where = "below the lower 99.8% limit"
        elif inner[spot]:
            side = "upper" if h > 100 * p else "lower"
            where = f"between the {side} 95% and 99.8% limits"
        else:
            where = "within the 95% limits"
        said.append(f"{name}: {fmt(h)} ({k[spot]:,.0f} of {x[spot]:,.0f}), {where}.")
    if said:
        parts.append(" ".join(said))
    if target is not None:
        parts.append(f"Target {fmt(target)}.")
    caption = " ".join(parts) + left_out_text
    alt = (
        f"Funnel plot of {y_label} for {plural(len(who), 'organisation')}: "
        f"{len(names_above)} above and {len(names_below)} below the 99.8% limits"
        + (f"; {' '.join(said)}" if said else ".")
    )
    return Chart(figure, caption, alt)
