"""Statistical process control (XmR) chart in the NHS "Making Data Count" style."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.lines import Line2D

from workbench.stats import xmr

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
    thin_ticks,
    with_unit,
)

__all__ = ["spc_chart"]

#: How each kind of point is drawn: colour, legend words and marker (by direction of change).
_COMMON = (palette.GREY, "Common cause variation", "o")
_NEUTRAL = (palette.PURPLE, "Special cause variation (neither better nor worse)", "D")
_IMPROVEMENT = (palette.BLUE, "Special cause: improvement")
_CONCERN = (palette.ORANGE, "Special cause: concern")

_ASSURANCE_WORDS = {
    "consistently met": "the process limits show the target will be consistently met",
    "met by chance": (
        "the target lies within the process limits, so it will be met or missed by chance "
        "(hit and miss)"
    ),
    "not met": "the process limits show the target will not be met unless the process changes",
}
_MAX_EPISODES = 4


def _episodes(signal: np.ndarray, direction: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive points sharing a signal and direction, as (start, stop) exclusive."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(signal)
    while i < n:
        if signal[i] is None:
            i += 1
            continue
        j = i + 1
        while j < n and signal[j] == signal[i] and direction[j] == direction[i]:
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _describe_episode(
    start: int,
    stop: int,
    signal: str,
    direction: str,
    values: np.ndarray,
    labels: Sequence[str],
    centre: float,
) -> str:
    """One signal in words, e.g. "special cause improvement: a trend of 8 rising points ..."."""
    if signal == "trend":
        # points at either end of a trend may show a higher-priority signal (beyond a limit)
        # instead; they still belong to the run of rising (or falling) points
        rising = values[stop - 1] > values[start]
        while (
            start > 0
            and (values[start] > values[start - 1]) == rising
            and (values[start] != values[start - 1])
        ):
            start -= 1
        while (
            stop < len(values)
            and (values[stop] > values[stop - 1]) == rising
            and (values[stop] != values[stop - 1])
        ):
            stop += 1
    elif signal == "shift":
        # likewise, points of a shift may be beyond a limit; the run still counts them
        above = values[start] > centre
        while start > 0 and values[start - 1] != centre and (values[start - 1] > centre) == above:
            start -= 1
        while stop < len(values) and values[stop] != centre and (values[stop] > centre) == above:
            stop += 1
    count = stop - start
    when = labels[start] if count == 1 else f"{labels[start]} to {labels[stop - 1]}"
    kind = {
        "improvement": "special cause improvement",
        "concern": "special cause concern",
    }.get(direction, "special cause variation (neither better nor worse)")
    if signal == "trend":
        sense = "rising" if values[stop - 1] > values[start] else "falling"
        what = f"a trend of {count} {sense} points"
    elif signal == "shift":
        side = "above" if values[start] > centre else "below"
        what = f"a shift of {count} points {side} the mean"
    elif signal == "outside limits":
        what = f"{plural(count, 'point')} beyond a process limit"
    else:
        what = f"{plural(count, 'point')} beyond two sigma (2 of 3 rule)"
    return f"{kind}: {what} ({when})"


def spc_chart(
    values: Any,
    labels: Sequence[Any],
    title: str,
    y_label: str,
    target: float | None = None,
    higher_is_better: bool | None = True,
    unit: str = "%",
    *,
    x_label: str = "Period",
) -> Chart:
    """XmR chart with Making Data Count signals, limits, target and a caption in words.

    measures.md section 6 ("Statistical process control"), computed by
    :func:`workbench.stats.xmr`: centre = mean, process limits = mean +/- 2.66 x mean moving
    range, and signals (beyond a limit, a trend of 7, 2 of 3 beyond two sigma, a shift of 7).
    Points are marked by what they signal, by shape as well as colour: grey circles for common
    cause, blue triangles pointing the way of improvement, orange triangles pointing the way of
    concern, purple diamonds for change that is neither. Periods whose value is missing or
    suppressed (``"*"``) are left as gaps and out of the calculation, and the caption says so.

    Parameters
    ----------
    values : array-like
        One value per period, in time order (e.g. percentages).
    labels : sequence
        One label per period (text, :class:`pandas.Period` or timestamps shown as "Apr 2024").
    title : str
        Chart title.
    y_label : str
        What the values are; the unit is added in brackets when not already there.
    target : float, optional
        Target on the same scale as the values; drawn and assessed for assurance.
    higher_is_better : bool or None, default True
        Direction of improvement; None when neither direction is better.
    unit : str, default "%"
        Unit of the values, for the axis label and the caption.
    x_label : str, default "Period"
        Label of the time axis.

    Returns
    -------
    Chart
        The figure, a caption stating the mean, limits, signals, assurance and any warning,
        and alternative text.

    Examples
    --------
    >>> chart = spc_chart([90, 91, 92, 93, 94, 95, 96, 97], list("ABCDEFGH"), "Seen", "Seen")
    >>> "trend of 8 rising points" in chart.caption
    True
    """
    v = numeric(values)
    text_labels = [label_text(label) for label in labels]
    if len(text_labels) != v.size:
        raise ValueError(
            f"spc_chart needs one label per value: got {v.size} values and "
            f"{len(text_labels)} labels"
        )
    axis_label = with_unit(y_label, unit)
    keep = np.flatnonzero(~np.isnan(v))
    if keep.size == 0:
        why = "" if v.size == 0 else "Every value is suppressed or missing."
        return no_data_chart(title, x_label, axis_label, "SPC chart", why)

    result = xmr(v[keep], target=target, higher_is_better=higher_is_better)
    kept_values = v[keep]
    kept_labels = [text_labels[i] for i in keep]
    signal = result.points["signal"].to_numpy(dtype=object)
    direction = result.points["direction"].to_numpy(dtype=object)

    up, down = ("^", "v") if higher_is_better in (True, None) else ("v", "^")
    kinds: dict[str, tuple[str, str, str]] = {
        "common": _COMMON,
        "improvement": (*_IMPROVEMENT, up),
        "concern": (*_CONCERN, down),
        "neutral": _NEUTRAL,
    }
    kind_of = np.array(
        ["common" if s is None else str(d) for s, d in zip(signal, direction, strict=True)],
        dtype=object,
    )

    with house_style():
        figure, ax = new_figure(9.0, 5.2)
        ax.plot(keep, kept_values, color=palette.GREY, linewidth=1.2, zorder=2, gid="series")
        x_span = (-0.5, max(v.size - 0.5, 0.5))
        handles: list[Line2D] = []
        limit_lines = [
            ("centre", result.centre, palette.BLACK, "-", f"Mean ({fmt(result.centre, unit)})"),
            (
                "upper_limit",
                result.upper_limit,
                palette.GREY,
                "--",
                f"Process limits ({fmt(result.lower_limit, unit)} to "
                f"{fmt(result.upper_limit, unit)})",
            ),
            ("lower_limit", result.lower_limit, palette.GREY, "--", None),
        ]
        if target is not None:
            limit_lines.append(
                ("target", float(target), palette.VERMILLION, "-.", f"Target ({fmt(target, unit)})")
            )
        for gid, level, colour, style, legend in limit_lines:
            if not np.isfinite(level):
                continue
            (line,) = ax.plot(
                x_span, [level, level], color=colour, linestyle=style, linewidth=1.4, gid=gid
            )
            if legend:
                line.set_label(legend)
                handles.append(line)
        for name in ("common", "improvement", "concern", "neutral"):
            mask = kind_of == name
            if not mask.any():
                continue
            colour, words, marker = kinds[name]
            (points,) = ax.plot(
                keep[mask],
                kept_values[mask],
                linestyle="none",
                marker=marker,
                markersize=7 if name == "common" else 9,
                markerfacecolor=colour,
                markeredgecolor=palette.WHITE,
                markeredgewidth=0.8,
                zorder=3,
                label=words,
                gid=f"points_{name}",
            )
            handles.append(points)

        ax.set_title(title)
        ax.set_xlabel(x_label)
        ax.set_ylabel(axis_label)
        ax.set_xlim(*x_span)
        thin_ticks(ax, text_labels)
        figure.legend(handles=handles, loc="outside lower center", ncol=2)

    caption, alt = _caption(
        result, kept_values, kept_labels, signal, direction, y_label, unit, target, v.size
    )
    return Chart(figure, caption, alt)


def _caption(
    result: Any,
    values: np.ndarray,
    labels: Sequence[str],
    signal: np.ndarray,
    direction: np.ndarray,
    y_label: str,
    unit: str,
    target: float | None,
    total_periods: int,
) -> tuple[str, str]:
    """Caption and alt text for :func:`spc_chart`."""
    n = values.size
    span = labels[0] if n == 1 else f"{labels[0]} to {labels[-1]}"
    parts = [f"XmR chart of {y_label} over {plural(n, 'period')} ({span})."]
    if np.isfinite(result.upper_limit):
        parts.append(
            f"Mean {fmt(result.centre, unit)}; process limits {fmt(result.lower_limit, unit)} "
            f"to {fmt(result.upper_limit, unit)}."
        )
    else:
        parts.append(f"Mean {fmt(result.centre, unit)}; a single point has no process limits.")
    episodes = _episodes(signal, direction)
    if episodes:
        words = [
            _describe_episode(a, b, signal[a], direction[a], values, labels, result.centre)
            for a, b in episodes
        ]
        words = list(dict.fromkeys(words))  # a trend split by a limit breach is one trend
        more = len(words) - _MAX_EPISODES
        words = words[:_MAX_EPISODES]
        if more > 0:
            words.append(f"{plural(more, 'further signal')}")
        parts.append(f"Signals: {'; '.join(words)}.")
        flagged = [d for d in direction if d is not None]
        counts = [
            plural(flagged.count(d), f"{d} point") for d in ("improvement", "concern", "neutral")
        ]
        summary = list_words([c for c in counts if not c.startswith("0 ")])
    else:
        parts.append("No special cause variation: every point shows common cause variation.")
        summary = "no special cause variation"
    if target is not None:
        assured = _ASSURANCE_WORDS.get(result.assurance or "")
        if assured:
            parts.append(f"Target {fmt(target, unit)}: {assured}.")
        else:
            parts.append(f"Target {fmt(target, unit)}: assurance not assessed.")
    if result.warning:
        parts.append(f"Caution: {result.warning}.")
    missing = total_periods - n
    if missing:
        parts.append(
            f"{plural(missing, 'period')} not shown (suppressed or no data) and left out of "
            "the calculation."
        )
    caption = " ".join(parts)
    alt = (
        f"SPC chart of {y_label}, {span}: mean {fmt(result.centre, unit)}, "
        f"{summary}"
        + (
            f"; target {fmt(target, unit)} {result.assurance}"
            if result.assurance and target is not None
            else ""
        )
        + "."
    )
    return caption, alt
