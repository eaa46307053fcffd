"""The pages every report links to, written beside the reports as HTML: the measure definitions
(``measures.html``, from ``measures.md``), the methodology (``methodology.html``) and the domain
facts with their sources (``sources.html``).

The Markdown ships inside the package (``workbench/docs/``), so an installed workbench renders
the same pages as a source checkout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

import mistune

from workbench.atomic import write_atomic
from workbench.publish.page import html_page

#: Page file name in a report bundle -> (shipped Markdown, page title).
PAGES = {
    "measures.html": ("measures.md", "Measure definitions"),
    "methodology.html": ("methodology.md", "Methodology"),
    "sources.html": ("sources.md", "Domain facts and their sources"),
}
MEASURES = "measures.html"
METHODOLOGY = "methodology.html"
SOURCES = "sources.html"


def shipped_markdown(name: str) -> str:
    """The text of one of the package's own documents (``measures.md``, ``methodology.md``,
    ``sources.md``), read from the installed package."""
    return (files("workbench") / "docs" / name).read_text(encoding="utf-8")


def methodology_markdown() -> str:
    """The project's methodology page (``workbench/docs/methodology.md``)."""
    return shipped_markdown("methodology.md")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _with_anchors_and_links(body: str) -> str:
    """Headings get ids (``#2-data-quality``) and links between the shipped documents point at
    their HTML pages, so "measures.md section 2" can be followed inside a bundle."""

    def heading(match: re.Match) -> str:
        level, text = match.group(1), match.group(2)
        plain = re.sub(r"<[^>]+>", "", text)
        return f'<h{level} id="{_slug(plain)}">{text}</h{level}>'

    body = re.sub(r"<h([1-4])>(.*?)</h\1>", heading, body, flags=re.DOTALL)
    for page, (markdown, _title) in PAGES.items():
        body = body.replace(f'href="{markdown}', f'href="{page}')
    return body


def document_html(page: str) -> str:
    """The bundle page ``page`` (a key of :data:`PAGES`) as a self-contained HTML page."""
    markdown, title = PAGES[page]
    text = shipped_markdown(markdown)
    text = re.sub(r"\A# [^\n]*\n", "", text)  # the title goes in the page's header band
    nav = " · ".join(
        f'<a href="{other}">{other_title}</a>'
        for other, (_md, other_title) in PAGES.items()
        if other != page
    )
    return html_page(
        title, _with_anchors_and_links(str(mistune.html(text))), footer=f"<p>See also: {nav}</p>"
    )


def methodology_html() -> str:
    """The methodology page as a self-contained HTML page."""
    return document_html(METHODOLOGY)


def measures_html() -> str:
    """The measure definitions (measures.md) as a self-contained HTML page."""
    return document_html(MEASURES)


#: The measures.md sections every report's appendix carries: conventions and disclosure control.
ALWAYS_DEFINED = ("Conventions", "7")


def measure_sections(numbers: Iterable[str]) -> str:
    """The sections of measures.md a report relies on, as one HTML fragment for the report's
    appendix: those numbered in ``numbers`` (``"4"`` for "## 4. Urgent community response")
    and :data:`ALWAYS_DEFINED`, in the document's order, headings one level down and their ids
    prefixed ``definitions-`` (so they cannot clash with the report's own)."""
    wanted = {*numbers, *ALWAYS_DEFINED}
    text = shipped_markdown("measures.md")
    chosen = []
    for part in re.split(r"(?m)^(?=## )", text)[1:]:
        heading = part.split("\n", 1)[0][3:].strip()
        number = heading.split(".", 1)[0]
        if number in wanted or heading.split(" ", 1)[0] in wanted:
            chosen.append("#" + part)  # ## -> ###: below the appendix's own heading
    body = _with_anchors_and_links(str(mistune.html("".join(chosen))))
    return re.sub(r'<h([1-5]) id="', r'<h\1 id="definitions-', body)


def write_bundle_pages(folder: str | Path) -> list[Path]:
    """Write every page of :data:`PAGES` into ``folder`` (atomically); returns their paths."""
    return [write_atomic(Path(folder) / page, document_html(page)) for page in PAGES]
