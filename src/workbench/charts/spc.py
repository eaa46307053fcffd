"""Statistical process control (XmR) chart in the NHS "Making Data Count" style."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from workbench.stats import xmr
from workbench.stats.spc import MIN_RELIABLE_POINTS

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
from ._draw import PointKind, draw_points, level_line, mark_periods, period_axis

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
    not_charted: Sequence[str | None] | None = None,
    note: str | None = None,
    interval: tuple[float, float] | None = None,
    limits_within: tuple[float, float] | None = None,
    min_points: int = MIN_RELIABLE_POINTS,
) -> Chart:
    """XmR chart with Making Data Count signals, limits, target and a caption in words; a run
    chart when too few points can be charted.

    measures.md section 6 ("Statistical process control"), computed by
    :func:`workbench.stats.xmr`: centre = mean, process limits = mean +/- 2.66 x mean moving
    range, and signals (beyond a limit, a trend of 7, 2 of 3 beyond two sigma, a shift of 7).
    Points are marked by what they signal, by shape as well as colour: grey circles for common
    cause, blue triangles pointing the way of improvement, orange triangles pointing the way of
    concern, purple diamonds for change that is neither.

    The presentation rules of measures.md section 7:

    * a period without a value (missing, suppressed ``"*"``, or named in ``not_charted``) is
      never a silent gap: the line breaks there, the period is marked on the chart with its
      reason ("not shown", or the words given, e.g. "too few to chart"), the caption says
      which, and the period is left out of the calculation;
    * an SPC chart needs ``min_points`` (13) charted points; with fewer, a run chart is drawn
      (the values and their median, no process limits, no signals, no assurance) and the caption
      says why;
    * process limits stay within ``limits_within``, by default 0 to 100 for a percentage;
    * the target's assurance is stated only where it agrees with ``interval``, the 95% interval
      of the whole period that the report's headline states; otherwise the caption says that
      the chart gives no assurance, and why, so the chart and the headline never disagree.

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
    not_charted : sequence of str or None, optional
        One entry per period: words saying why that period is not charted (its value, if any,
        is then ignored), or None to chart it.
    note : str, optional
        A sentence added to the caption (e.g. why months were grouped into quarters).
    interval : (float, float), optional
        The whole period's 95% interval, against which the assurance is checked.
    limits_within : (float, float), optional
        Range of possible values; default ``(0, 100)`` when ``unit`` is ``"%"``.
    min_points : int, default 13
        Charted points an SPC chart needs.

    Returns
    -------
    Chart
        The figure, a caption (mean, limits, signals, assurance, periods not charted), alt text.

    Examples
    --------
    >>> values = [90, 91, 90, 92, 91, 90, 91, 92, 93, 94, 95, 96, 97, 98]
    >>> chart = spc_chart(values, list("ABCDEFGHIJKLMN"), "Seen", "Seen")
    >>> "trend of 9 rising points (F to N)" in chart.caption
    True
    >>> "Run chart" in spc_chart(values[:12], list("ABCDEFGHIJKL"), "Seen", "Seen").caption
    True
    """
    v, text_labels, reasons = _charted_values(values, labels, not_charted)
    words = _Words(title, y_label, with_unit(y_label, unit), unit, x_label, note)
    keep = np.flatnonzero(~np.isnan(v))
    if v.size == 0 or (keep.size == 0 and all(r == "not shown" for r in reasons)):
        why = "" if v.size == 0 else "Every value is suppressed or missing."
        return no_data_chart(title, x_label, words.axis_label, "SPC chart", why)
    if keep.size == 0:
        return _nothing_charted(text_labels, reasons, words)
    if keep.size < min_points:
        return _run_chart(v, text_labels, reasons, words, target, min_points)
    return _xmr_chart(
        v, text_labels, reasons, words, target, higher_is_better, interval, limits_within
    )


class _Words(NamedTuple):
    """The words a chart is drawn and described with."""

    title: str
    y_label: str
    axis_label: str
    unit: str
    x_label: str
    note: str | None


def _charted_values(
    values: Any, labels: Sequence[Any], not_charted: Sequence[str | None] | None
) -> tuple[np.ndarray, list[str], list[str | None]]:
    """The values (NaN where not charted), the period labels as text and why each period is
    not charted (None where it is)."""
    v = numeric(values)
    text_labels = [label_text(label) for label in labels]
    if len(text_labels) != v.size:
        raise ValueError(
            f"spc_chart needs one label per value: got {v.size} values and "
            f"{len(text_labels)} labels"
        )
    reasons = _reasons(v, not_charted)
    return np.where([r is None for r in reasons], v, np.nan), text_labels, reasons


def _xmr_chart(
    v: np.ndarray,
    text_labels: list[str],
    reasons: list[str | None],
    words: _Words,
    target: float | None,
    higher_is_better: bool | None,
    interval: tuple[float, float] | None,
    limits_within: tuple[float, float] | None,
) -> Chart:
    """The XmR chart proper: enough points are charted for process limits and signals."""
    if limits_within is None and words.unit == "%":
        limits_within = (0.0, 100.0)
    keep = np.flatnonzero(~np.isnan(v))
    result = xmr(
        v[keep], target=target, higher_is_better=higher_is_better, limits_within=limits_within
    )
    signal = result.points["signal"].to_numpy(dtype=object)
    direction = result.points["direction"].to_numpy(dtype=object)
    with chart_figure(words.title, words.x_label, words.axis_label, 9.0, 5.2) as (figure, ax):
        _series(ax, v)
        handles = _xmr_lines(ax, v.size, result, target, words.unit)
        kinds = _point_kinds(signal, direction, higher_is_better)
        handles += draw_points(ax, keep, v[keep], kinds, edge_width=0.8)
        _mark_not_charted(ax, reasons)
        period_axis(ax, text_labels)
        value_axis(ax, words.unit)
        legend_below(figure, handles, ncol=2)
    caption, alt = _caption(
        result,
        v[keep],
        [text_labels[i] for i in keep],
        signal,
        direction,
        words.y_label,
        words.unit,
        target,
        _assurance_words(result.assurance, target, words.unit, interval, higher_is_better),
    )
    caption = _with_not_charted(caption, reasons, text_labels, words.note)
    return Chart(figure, caption, alt)


def _xmr_lines(ax: Axes, n: int, result: Any, target: float | None, unit: str) -> list[Line2D]:
    """The mean, the process limits and the target across the chart; their legend handles."""
    x_span = (-0.5, max(n - 0.5, 0.5))
    limit_lines = [
        ("centre", result.centre, palette.BLACK, "-", f"Mean ({fmt(result.centre, unit)})"),
        (
            "upper_limit",
            result.upper_limit,
            palette.GREY,
            "--",
            f"Process limits ({fmt(result.lower_limit, unit)} to {fmt(result.upper_limit, unit)})",
        ),
        ("lower_limit", result.lower_limit, palette.GREY, "--", None),
    ]
    if target is not None:
        limit_lines.append(
            ("target", float(target), palette.VERMILLION, "-.", f"Target ({fmt(target, unit)})")
        )
    handles = []
    for gid, level, colour, style, legend in limit_lines:
        if not np.isfinite(level):
            continue
        line = level_line(ax, x_span, level, gid, colour, style, legend)
        if legend:
            handles.append(line)
    return handles


def _point_kinds(
    signal: np.ndarray, direction: np.ndarray, higher_is_better: bool | None
) -> list[PointKind]:
    """Common cause, improvement, concern and neither: triangles point the way of change."""
    up, down = ("^", "v") if higher_is_better in (True, None) else ("v", "^")
    looks: dict[str, tuple[str, str, str]] = {
        "common": _COMMON,
        "improvement": (*_IMPROVEMENT, up),
        "concern": (*_CONCERN, down),
        "neutral": _NEUTRAL,
    }
    kind_of = np.array(
        ["common" if s is None else str(d) for s, d in zip(signal, direction, strict=True)],
        dtype=object,
    )
    return [
        PointKind(name, kind_of == name, colour, marker, words, 7 if name == "common" else 9)
        for name, (colour, words, marker) in looks.items()
    ]


def _reasons(v: np.ndarray, not_charted: Sequence[str | None] | None) -> list[str | None]:
    """Why each period is not charted (None: it is charted)."""
    given = list(not_charted) if not_charted is not None else [None] * v.size
    if len(given) != v.size:
        raise ValueError(
            f"spc_chart needs one not_charted entry per value: got {v.size} values and "
            f"{len(given)} entries"
        )
    return [
        g if g is not None else ("not shown" if np.isnan(x) else None)
        for g, x in zip(given, v, strict=True)
    ]


def _series(ax: Axes, v: np.ndarray) -> None:
    """The line through the charted values, broken wherever a period is not charted."""
    ax.plot(np.arange(v.size), v, color=palette.GREY, linewidth=1.2, zorder=2, gid="series")


def _mark_not_charted(ax: Axes, reasons: list[str | None]) -> None:
    """A visible mark, in words, at each period that is not charted."""
    marks = [(i, why) for i, why in enumerate(reasons) if why is not None]
    mark_periods(ax, marks, "not_charted", vertical=True)


def _not_charted_words(
    reasons: list[str | None], labels: Sequence[str], broken: bool = True
) -> str:
    """``"3 periods not charted: Jul 2025 and Aug 2025 too few to chart; ..."``."""
    groups: dict[str, list[str]] = {}
    for why, label in zip(reasons, labels, strict=True):
        if why is not None:
            groups.setdefault(why, []).append(label)
    if not groups:
        return ""
    count = sum(len(v) for v in groups.values())
    words = [
        f"{list_words(periods)} {'suppressed or no data' if why == 'not shown' else why}"
        for why, periods in groups.items()
    ]
    where = ", and the line is broken there" if broken else ""
    return f"{plural(count, 'period')} not charted{where}: " + "; ".join(words)


def _with_not_charted(
    caption: str, reasons: list[str | None], labels: Sequence[str], note: str | None
) -> str:
    words = _not_charted_words(reasons, labels)
    extra = [w for w in (note, f"{words}." if words else None) if w]
    return " ".join([caption, *extra])


def _nothing_charted(labels: list[str], reasons: list[str | None], words: _Words) -> Chart:
    """Every period marked with why it is not charted: the periods are there, none can be
    drawn."""
    with chart_figure(words.title, words.x_label, words.axis_label, 9.0, 4.0) as (figure, ax):
        _mark_not_charted(ax, reasons)
        if words.unit == "%":
            ax.set_ylim(0, 100)
        ax.set_yticks([])
        period_axis(ax, labels)
    said = _not_charted_words(reasons, labels, broken=False)
    caption = " ".join(
        w for w in (f"Nothing can be charted for {words.y_label}: {said}.", words.note) if w
    )
    alt = f"Chart of {words.y_label} with no period drawn: {said}."
    return Chart(figure, caption, alt)


def _run_chart(
    v: np.ndarray,
    labels: list[str],
    reasons: list[str | None],
    words: _Words,
    target: float | None,
    min_points: int,
) -> Chart:
    """The values and their median only: too few charted points for process limits."""
    keep = np.flatnonzero(~np.isnan(v))
    median = float(np.median(v[keep]))
    y_label, unit = words.y_label, words.unit
    with chart_figure(words.title, words.x_label, words.axis_label, 9.0, 5.2) as (figure, ax):
        _series(ax, v)
        x_span = (-0.5, max(v.size - 0.5, 0.5))
        handles = [
            level_line(
                ax, x_span, median, "centre", palette.BLACK, label=f"Median ({fmt(median, unit)})"
            )
        ]
        if target is not None:
            target_words = f"Target ({fmt(target, unit)})"
            handles.append(
                level_line(ax, x_span, target, "target", palette.VERMILLION, "-.", target_words)
            )
        colour, _, marker = _COMMON
        every = np.ones(keep.size, dtype=bool)
        handles += draw_points(
            ax, keep, v[keep], [PointKind("run", every, colour, marker, "Value", 7)]
        )
        _mark_not_charted(ax, reasons)
        period_axis(ax, labels)
        value_axis(ax, unit)
        legend_below(figure, handles, ncol=3)
    shown = [labels[i] for i in keep]
    span = shown[0] if len(shown) == 1 else f"{shown[0]} to {shown[-1]}"
    parts = [
        f"Run chart of {y_label} ({span}): median {fmt(median, unit)}.",
        f"Not an SPC chart: only {plural(keep.size, 'period')} can be charted, and process "
        f"limits need at least {min_points}, so no limits, signals or assurance are shown.",
    ]
    if target is not None:
        parts.append(f"The target ({fmt(target, unit)}) is drawn for reference.")
    caption = _with_not_charted(" ".join(parts), reasons, labels, words.note)
    alt = (
        f"Run chart of {y_label}, {span}: median {fmt(median, unit)}; "
        f"{plural(v.size - keep.size, 'period')} not charted."
    )
    return Chart(figure, caption, alt)


def _assurance_words(
    assurance: str | None,
    target: float | None,
    unit: str,
    interval: tuple[float, float] | None,
    higher_is_better: bool | None,
) -> str | None:
    """The target's assurance in words, agreeing with the period's 95% ``interval``.

    "Consistently met" claims every period will be on the good side of the target; where the
    whole period's interval still includes the target (or lies on the bad side), that claim
    would contradict the headline, so the words say instead that the chart gives no assurance.
    Likewise "not met". Hit and miss never contradicts an interval.
    """
    if target is None:
        return None
    words = _ASSURANCE_WORDS.get(assurance or "")
    if words is None:
        return f"Target {fmt(target, unit)}: assurance not assessed."
    if interval is None or higher_is_better is None or assurance == "met by chance":
        return f"Target {fmt(target, unit)}: {words}."
    lower, upper = interval
    if not (np.isfinite(lower) and np.isfinite(upper)):
        return f"Target {fmt(target, unit)}: {words}."
    good_side = lower > target if higher_is_better else upper < target
    bad_side = upper < target if higher_is_better else lower > target
    agrees = good_side if assurance == "consistently met" else bad_side
    if agrees:
        return f"Target {fmt(target, unit)}: {words}."
    claim = "met" if assurance == "consistently met" else "missed"
    return (
        f"Target {fmt(target, unit)}: the process limits lie on one side of it, but the "
        f"period's 95% interval ({fmt(lower, unit)} to {fmt(upper, unit)}) does not, so the "
        f"chart gives no assurance that it will be consistently {claim}."
    )


def _caption(
    result: Any,
    values: np.ndarray,
    labels: Sequence[str],
    signal: np.ndarray,
    direction: np.ndarray,
    y_label: str,
    unit: str,
    target: float | None,
    assurance: str | None,
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
    if assurance:
        parts.append(assurance)
    if result.warning:
        parts.append(f"Caution: {result.warning}.")
    caption = " ".join(parts)
    alt = f"SPC chart of {y_label}, {span}: mean {fmt(result.centre, unit)}, {summary}" + (
        f". {assurance}" if assurance else "."
    )
    return caption, alt
