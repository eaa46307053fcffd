"""Showing report items in a notebook: Markdown text, tables and charts with their captions."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def show_items(items: Iterable) -> None:
    """Display each item: ``str`` as Markdown, a chart (anything with ``figure`` and
    ``to_html``) as its image with alt text and caption, a table (DataFrame or Styler) as itself."""
    from IPython.display import HTML, Markdown, display

    for item in items:
        if item is None:
            continue
        if isinstance(item, str):
            display(Markdown(item))
        elif hasattr(item, "to_html"):  # a chart: its image, alt text and caption
            display(HTML(item.to_html()))
        elif isinstance(item, pd.DataFrame):
            display(item.style.hide(axis="index"))
        else:
            display(item)
