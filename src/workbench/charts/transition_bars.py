"""Where people go next: one horizontal bar per starting setting, split into the shares of what
followed it (measures.md section 9, "Transitions"), drawn only from disclosure-controlled values
(section 7): a share whose count is suppressed is not drawn, and what the shown shares leave of
100% is one hatched grey segment that says so; a bar whose starting count is too small is not
drawn at all and says why in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from . import palette
from ._base import Chart, chart_figure, fmt, legend_below, list_words, no_data_chart, numeric

__all__ = ["transition_bars"]

#: The colours of the parts, in order; the remainder is light grey and hatched.
_COLOURS = (
    palette.VERMILLION,
    palette.GREEN,
    palette.PURPLE,
    palette.ORANGE,
    palette.BLACK,
    palette.SKY_BLUE,
    palette.BLUE,
)
#: The segment of a bar that the shown shares leave.
REMAINDER = "not shown (suppressed counts, and rounding)"
#: The least share (%) a segment is labelled with its value inside the bar.
_LABEL_FROM = 6.0


def _shares(
    frame: pd.DataFrame, category: str, part: str, value: str, parts: Sequence[str]
) -> dict[str, np.ndarray]:
    """``{category: array of shares in the order of parts}``, NaN where not shown."""
    out = {}
    for name, rows in frame.groupby(category, sort=False):
        by_part = dict(zip(rows[part], numeric(rows[value]), strict=True))
        out[str(name)] = np.array([by_part.get(p, np.nan) for p in parts], dtype=float)
    return out


def transition_bars(
    frame: pd.DataFrame,
    category: str,
    part: str,
    value: str,
    parts: Sequence[str],
    *,
    title: str,
    categories: Sequence[str] | None = None,
    not_shown: Mapping[str, str] | None = None,
    x_label: str = "% of starting events",
    bar_words: str = "From {}",
    colours: Mapping[str, str] | None = None,
) -> Chart:
    """Stacked horizontal bars of percentages: a bar per ``category`` (top to bottom in the
    order of ``categories``), a segment per ``parts`` value in that order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Controlled rows, one per category and part; ``value`` holds the percentage (``"*"``
        where suppressed).
    category, part, value : str
        The columns of the bar, the segment and the percentage.
    parts : sequence of str
        The segments in drawing order (left to right) and in the legend.
    title : str
        Chart title.
    categories : sequence of str, optional
        The bars in order (default: as they come in ``frame``).
    not_shown : mapping of str to str, optional
        Bars not drawn, with why ("too few to chart", "suppressed"); said on the chart and in
        the caption.
    x_label : str
        What the percentages are of.
    bar_words : str
        How the caption names a bar (``"From {}"``: "From urgent response: ...").
    colours : mapping of str to str, optional
        A palette colour for each part (default: the palette's in order), so that one outcome
        keeps its colour from chart to chart.

    Examples
    --------
    >>> t = pd.DataFrame({"from": ["a", "a", "a"], "to": ["x", "y", "z"], "pct": [60, 30, "*"]})
    >>> chart = transition_bars(t, "from", "to", "pct", ["x", "y", "z"], title="Next")
    >>> "From a: x 60%, y 30%; not shown: z" in chart.caption
    True
    """
    not_shown = dict(not_shown or {})
    shares = _shares(frame, category, part, value, parts)
    bars = list(categories or shares)
    drawn = [b for b in bars if b in shares and b not in not_shown]
    fills = [(colours or {}).get(p, c) for p, c in zip(parts, _COLOURS, strict=False)]
    if not drawn and not not_shown:
        return no_data_chart(title, x_label, "", "Stacked bar chart")
    height = 1.2 + 0.8 * len(bars)
    with chart_figure(title, x_label, None, 9.0, max(3.0, height)) as (figure, ax):
        for i, bar in enumerate(bars):
            y = len(bars) - 1 - i
            if bar in drawn:
                _draw_bar(ax, y, shares[bar], fills)
            else:
                why = not_shown.get(bar, "no data")
                ax.text(1, y, f"{why}", va="center", ha="left", fontsize=10, color=palette.GREY)
        ax.set_yticks(range(len(bars)))
        ax.set_yticklabels([b[:1].upper() + b[1:] for b in reversed(bars)])
        ax.set_xlim(0, 100)
        handles = [Patch(color=c, label=p) for p, c in zip(parts, fills, strict=False)]
        handles.append(
            Patch(facecolor=palette.WHITE, edgecolor=palette.GREY, hatch="//", label=REMAINDER)
        )
        legend_below(figure, handles, ncol=4)
    caption = _caption(
        shares, bars, drawn, not_shown, parts, bar_words, _decimals(frame, category, value)
    )
    alt = f"Stacked bar chart: {title}. {caption}"
    return Chart(figure, caption, alt)


def _draw_bar(ax: Axes, y: int, shares: np.ndarray, fills: Sequence[str]) -> None:
    """One bar: the shown shares left to right, then the remainder hatched."""
    left = 0.0
    for share, colour in zip(shares, fills, strict=False):
        if not np.isfinite(share) or share <= 0:
            continue
        ax.barh(y, share, left=left, color=colour, edgecolor=palette.WHITE, height=0.6)
        if share >= _LABEL_FROM:
            ax.text(
                left + share / 2,
                y,
                f"{share:.0f}%",
                ha="center",
                va="center",
                fontsize=9,
                color=palette.text_colour_on(colour),
            )
        left += share
    rest = 100.0 - left
    if rest > 0.5:
        ax.barh(
            y,
            rest,
            left=left,
            facecolor=palette.WHITE,
            edgecolor=palette.GREY,
            hatch="//",
            height=0.6,
            gid="remainder",
        )


def _decimals(frame: pd.DataFrame, category: str, value: str) -> dict[str, int]:
    """Each bar's decimals as its rows of the table show them: whole percentages where
    disclosure control made them whole (a rounded denominator under 4,000), else one
    (measures.md section 7)."""
    out = {}
    for name, rows in frame.groupby(category, sort=False):
        whole = all(isinstance(v, int | np.integer) for v in rows[value] if not isinstance(v, str))
        out[str(name)] = 0 if whole else 1
    return out


def _caption(
    shares: Mapping[str, np.ndarray],
    bars: Sequence[str],
    drawn: Sequence[str],
    not_shown: Mapping[str, str],
    parts: Sequence[str],
    bar_words: str,
    decimals: Mapping[str, int],
) -> str:
    """Each bar's shown shares in the order of the parts, what is not shown, and why."""
    sentences = []
    for bar in bars:
        if bar not in drawn:
            sentences.append(
                f"{bar_words.format(bar)}: not drawn ({not_shown.get(bar, 'no data')})."
            )
            continue
        values = shares[bar]
        shown = [
            f"{p} {fmt(v, '%', decimals.get(bar, 1))}"
            for p, v in zip(parts, values, strict=True)
            if np.isfinite(v)
        ]
        hidden = [p for p, v in zip(parts, values, strict=True) if not np.isfinite(v)]
        text = f"{bar_words.format(bar)}: {', '.join(shown)}"
        if hidden:
            text += f"; not shown: {list_words(hidden)}"
        sentences.append(text + ".")
    sentences.append(
        "Shares are worked out from the counts as the table shows them; the hatched segment "
        "is what suppressed counts and rounding leave."
    )
    return " ".join(sentences)
