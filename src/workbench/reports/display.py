"""Showing report items in a notebook: Markdown text, tables and charts with their captions.

Each table is shown with its record (:mod:`workbench.reports.shown_tables`) beside its HTML in
the same display output, so the render step can write the report's spreadsheet from exactly what
the page shows (measures.md section 7: the same controlled values)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from workbench.reports.shown_tables import MIMETYPE, shown_table


def chart_title(chart: Any) -> str:
    """The title drawn on a chart's figure ("" when it has none)."""
    figure = getattr(chart, "figure", None)
    for axes in getattr(figure, "axes", []):
        for where in ("left", "center", "right"):
            if axes.get_title(loc=where):
                return str(axes.get_title(loc=where))
    suptitle = getattr(figure, "_suptitle", None)
    return str(suptitle.get_text()) if suptitle is not None else ""


def table_title(chart: Any) -> str:
    """The title a table shown under ``chart`` takes: the chart's, without a closing
    parenthesis, which qualifies what the chart draws (e.g. "12 largest lines"), not the table."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", chart_title(chart))


def is_table(item: Any) -> bool:
    """True for a table: a DataFrame or a pandas Styler of one."""
    from pandas.io.formats.style import Styler

    return isinstance(item, pd.DataFrame | Styler)


def table_output(table: Any, title: str = "") -> dict[str, Any]:
    """The display data of a table: its HTML (a DataFrame without its index) and its record."""
    styler = table.style.hide(axis="index") if isinstance(table, pd.DataFrame) else table
    return {"text/html": styler.to_html(), MIMETYPE: shown_table(table, title).to_json()}


def show_items(items: Iterable) -> None:
    """Display each item: ``str`` as Markdown, a chart (anything with ``figure`` and
    ``to_html``) as its image with alt text and caption, a table (DataFrame or Styler) as itself
    with its record. A table takes the title of the chart just before it, if any."""
    from IPython.display import HTML, Markdown, display

    title = ""
    for item in items:
        if item is None:
            continue
        if isinstance(item, str):
            display(Markdown(item))
        elif is_table(item):
            display(table_output(item, title), raw=True)
            title = ""
        elif hasattr(item, "to_html"):  # a chart: its image, alt text and caption
            display(HTML(item.to_html()))
            title = table_title(item)
        else:
            display(item)
