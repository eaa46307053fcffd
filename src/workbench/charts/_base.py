"""What every chart shares: the :class:`Chart` result, the house style and small helpers."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from . import palette

__all__ = [
    "Chart",
    "NO_DATA",
    "SUPPRESSED_TEXT",
    "chart_figure",
    "house_style",
    "legend_below",
    "new_figure",
    "value_axis",
]

#: What a chart with nothing to draw says.
NO_DATA = "No data to show"
#: How a value hidden by disclosure control (or missing) is described.
SUPPRESSED_TEXT = "not shown (suppressed or no data)"

#: Readable sizes for a chart about 9 inches wide in an HTML report.
_STYLE: dict[str, Any] = {
    "font.size": 11,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "axes.labelcolor": palette.DARK_GREY,
    "axes.edgecolor": palette.GREY,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "xtick.color": palette.DARK_GREY,
    "ytick.color": palette.DARK_GREY,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "text.color": palette.DARK_GREY,
    "figure.facecolor": palette.WHITE,
    "axes.facecolor": palette.WHITE,
    "savefig.facecolor": palette.WHITE,
    "axes.prop_cycle": cycler(color=list(palette.OKABE_ITO.values())),
}


@dataclass
class Chart:
    """A chart ready for a report: the figure, a caption in words and alternative text.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The drawn chart (not attached to pyplot, so nothing needs closing).
    caption : str
        What the chart shows, in words, with its key numbers (rendered beneath, not drawn).
    alt_text : str
        A short description for screen readers.
    """

    figure: Figure
    caption: str
    alt_text: str

    def to_png(self, dpi: int = 120) -> bytes:
        """The figure as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
        return buffer.getvalue()

    def save(self, path: str | Path, dpi: int = 120) -> Path:
        """Write the figure as a PNG file and return its path."""
        path = Path(path)
        path.write_bytes(self.to_png(dpi=dpi))
        return path

    def to_html(self, dpi: int = 120) -> str:
        """A self-contained ``<figure>`` with the image inline, its alt text and the caption."""
        data = base64.b64encode(self.to_png(dpi=dpi)).decode("ascii")
        return (
            f'<figure><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt_text)}" style="max-width:100%">'
            f"<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )

    def _repr_html_(self) -> str:  # shown by Jupyter and by rendered notebooks
        return self.to_html()


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style while a chart is built, leaving global settings untouched."""
    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]  # keys typed as Literal
        yield


def new_figure(width: float = 9.0, height: float = 5.0) -> tuple[Figure, Axes]:
    """A figure with one axes, independent of pyplot (safe under Agg and Jupyter inline).

    Call inside :func:`house_style` so the style applies to what is drawn.
    """
    figure = Figure(figsize=(width, height), layout="constrained")
    ax = figure.add_subplot()
    return figure, ax


@contextmanager
def chart_figure(
    title: str,
    x_label: str,
    y_label: str | None,
    width: float = 9.0,
    height: float = 5.0,
) -> Iterator[tuple[Figure, Axes]]:
    """A figure with one axes in the house style, titled and with its axes labelled.

    Everything drawn inside the ``with`` block takes the house style; ``y_label=None`` leaves
    the value axis unlabelled (its tick labels name the categories).
    """
    with house_style():
        figure, ax = new_figure(width, height)
        ax.set_title(title)
        ax.set_xlabel(x_label)
        if y_label is not None:
            ax.set_ylabel(y_label)
        yield figure, ax


#: What a percentage chart whose value axis does not start at 0 says on the chart.
NOT_FROM_ZERO = "Value axis starts at {low}, not 0"


def value_axis(ax: Axes, unit: str) -> None:
    """The value axis made honest about its scale: a percentage axis that does not start at 0
    says so on the chart (where it starts, above the plot on the right); an axis of days ticks in
    whole days only. Call after everything is drawn."""
    if unit == "days":  # the limits widened to whole days, so whole-day ticks always fit
        low, high = ax.get_ylim()
        ax.set_ylim(np.floor(low), max(np.ceil(high), np.floor(low) + 1))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    low = ax.get_ylim()[0]
    if unit == "%" and low > 0:  # above the plot, on the right: clear of the points and lines
        shown = f"{low:.0f}" if low >= 10 else f"{low:.1f}"
        ax.text(
            1.0,
            1.01,
            NOT_FROM_ZERO.format(low=f"{shown}%"),
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=9,
            color=palette.DARK_GREY,
            gid="axis-note",
        )


def legend_below(
    figure: Figure, handles: Sequence[Any] | None = None, ncol: int = 1, title: str | None = None
) -> None:
    """The legend outside the axes, beneath the chart (of ``handles``, else every label)."""
    extra: dict[str, Any] = {"title": title} if title is not None else {}
    figure.legend(handles=handles, loc="outside lower center", ncol=ncol, **extra)


def no_data_chart(title: str, x_label: str, y_label: str, kind: str, why: str = "") -> Chart:
    """A chart that says there is nothing to show, rather than failing."""
    with chart_figure(title, x_label, y_label, 9.0, 3.0) as (figure, ax):
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.text(0.5, 0.5, NO_DATA, transform=ax.transAxes, ha="center", va="center", fontsize=13)
    reason = f" {why}" if why else ""
    caption = f"{NO_DATA}: {title}.{reason}"
    return Chart(figure, caption, f"{kind} with no data: {title}.{reason}")


def numeric(values: Any) -> np.ndarray:
    """Values as floats, with ``"*"`` (suppressed), blanks and anything non-numeric as NaN."""
    series = pd.Series(np.asarray(values, dtype=object).ravel(), dtype=object)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


def label_text(value: Any) -> str:
    """A period or category label as short text (timestamps as "Apr 2024")."""
    if isinstance(value, pd.Period):
        return value.strftime("%b %Y") if value.freqstr.startswith("M") else str(value)
    if isinstance(value, pd.Timestamp | np.datetime64):
        return pd.Timestamp(value).strftime("%b %Y")
    return str(value)


def with_unit(label: str, unit: str) -> str:
    """An axis label that states its unit, adding ``(unit)`` when it is not already there."""
    if not unit or f"({unit})" in label or unit in label.split():
        return label
    return f"{label} ({unit})"


def fmt(value: float, unit: str = "%", decimals: int = 1) -> str:
    """A number with its unit, e.g. ``92.4%`` or ``12.0 days``."""
    if value is None or not np.isfinite(value):
        return "not available"
    text = f"{value:,.{decimals}f}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def thin_ticks(ax: Axes, labels: Sequence[str], max_labels: int = 12) -> None:
    """Label every k-th x position so at most ``max_labels`` labels show, rotated if needed."""
    n = len(labels)
    step = max(1, int(np.ceil(n / max_labels)))
    positions = list(range(0, n, step))
    ax.set_xticks(positions)
    ax.set_xticklabels([labels[i] for i in positions])
    longest = max((len(labels[i]) for i in positions), default=0)
    if longest * len(positions) > 110:
        for tick in ax.get_xticklabels():
            tick.set_rotation(45)
            tick.set_horizontalalignment("right")
            tick.set_rotation_mode("anchor")


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    """``"1 point"``, ``"3 points"``."""
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


def list_words(items: Sequence[str]) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
