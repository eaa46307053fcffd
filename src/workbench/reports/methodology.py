"""The methodology page every report links to, written beside the reports as HTML."""

from __future__ import annotations

from pathlib import Path

import mistune

from workbench.reports.page import html_page

METHODOLOGY = "methodology.html"


def methodology_markdown() -> str:
    """The project's methodology page (docs/methodology.md), from the source tree."""
    for root in (Path(__file__).resolve().parents[3], Path.cwd()):
        path = root / "docs" / "methodology.md"
        if path.exists():
            return path.read_text(encoding="utf-8")
    return "# Methodology\n\nSee docs/methodology.md in the workbench's source repository.\n"


def methodology_html() -> str:
    """The methodology page as a self-contained HTML page."""
    return html_page("Methodology", mistune.html(methodology_markdown()))
