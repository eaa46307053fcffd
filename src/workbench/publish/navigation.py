"""A report's way out: links to its own spreadsheet, the batch's index, the organisation above it
and those below it (England: the regions; a region: its ICBs), and definition links that work
wherever the report is written.

A report of a batch sits at ``<output>/<level>/<code>/<notebook>.html`` beside the batch's own
copies of the definitions (``measures.html``, ``methodology.html``) and its ``index.html``: the
*bundle*. Links go to the report of another organisation where it is already written (in the
bundle, or a batch in a sub-folder of it or above it), otherwise to that organisation's row of
the index grid (:mod:`workbench.publish.grid`), which links its reports once they exist. A report
written outside any bundle points its definition links at the definitions embedded at its end.
A PDF carries the links as absolute ``file:`` addresses of the batch's copies (a relative link
in a PDF is read from wherever the file was opened).
"""

from __future__ import annotations

import os
import re
from html import escape
from pathlib import Path

from workbench.organisations import ENGLAND, organisation_name
from workbench.publish.methodology import MEASURES
from workbench.reference import icb_regions

INDEX = "index.html"
#: The front page's links to the bundle's definitions (front_page.MEASURES_HREF, METHODOLOGY_HREF).
BUNDLE_LINK = re.compile(r'href="(?:\.\./){2}((?:measures|methodology)\.html)(#[^"]*)?"')
#: A link a reader follows to a file beside the report (not an anchor, address or picture).
_RELATIVE_HREF = re.compile(r'href="(?!#|[a-z][a-z0-9+.-]*:|/)([^"]+)"')


def bundle_folder(out_dir: Path) -> Path | None:
    """The batch folder a report in ``out_dir`` belongs to (the first of ``out_dir`` and its two
    parents holding ``measures.html``), or None when it is written on its own."""
    return next((f for f in (out_dir, *out_dir.parents[:2]) if (f / MEASURES).is_file()), None)


def _href(out_dir: Path, target: Path) -> str:
    return os.path.relpath(target, out_dir).replace(os.sep, "/")


def definition_links(body: str, out_dir: Path) -> str:
    """``body`` with the front page's links to the definitions and methodology pointing at the
    bundle's copies from ``out_dir``, or at the embedded definitions without a bundle."""
    bundle = bundle_folder(out_dir)

    def repoint(match: re.Match) -> str:
        if bundle is None:
            return 'href="#definitions"'
        return f'href="{escape(_href(out_dir, bundle / match.group(1)))}{match.group(2) or ""}"'

    return BUNDLE_LINK.sub(repoint, body)


def _report_of(bundle: Path, level: str, code: str, name: str) -> Path | None:
    """Where the report ``name`` of an organisation is written, in the bundle, a batch in a
    sub-folder of it, or the batch above it; None when it is not written yet."""
    relative = Path(level, code, f"{name}.html")
    places = [bundle, *sorted(p for p in bundle.iterdir() if p.is_dir()), bundle.parent]
    return next((p / relative for p in places if (p / relative).is_file()), None)


def _organisation_link(bundle: Path, out_dir: Path, level: str, code: str, name: str) -> str:
    found = _report_of(bundle, level, code, name)
    if found is not None:
        href = _href(out_dir, found)
    else:
        href = f"{_href(out_dir, bundle / INDEX)}#{level}-{code}"
    return f'<a href="{escape(href)}">{escape(organisation_name(level, code))}</a>'


def related(level: str, code: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The organisations above and below one: England above a region, its region above an ICB;
    the regions below England, a region's ICBs below it (by name)."""
    icbs = icb_regions()
    if level == "england":
        below = sorted(icbs["nhser_ods_code"].unique())
        return [], [("region", c) for c in below]
    if level == "region":
        below = icbs.loc[icbs["nhser_ods_code"] == code, "icb_ods_code"].tolist()
        return [("england", ENGLAND)], [("icb", c) for c in below]
    if level == "icb":
        region = icbs.loc[icbs["icb_ods_code"] == code, "nhser_ods_code"].tolist()
        return [("england", ENGLAND), *(("region", r) for r in region)], []
    return [("england", ENGLAND)], []


def navigation_html(out_dir: Path, name: str, parameters: dict, spreadsheet: bool) -> str:
    """The report's links: its spreadsheet (when it has one), the index, the organisations
    above and below it (see the module's docstring); empty outside a bundle but for the
    spreadsheet."""
    items = []
    if spreadsheet:
        items.append(f'<a href="{escape(name)}.xlsx">The tables of this report (spreadsheet)</a>')
    bundle = bundle_folder(out_dir)
    level, code = str(parameters.get("org_level") or ""), str(parameters.get("org_code") or "")
    if bundle is not None:
        items.append(f'<a href="{escape(_href(out_dir, bundle / INDEX))}">All organisations</a>')
        above, below = related(level, code) if level else ([], [])
        for words, group in (("Up", above), ("Organisations in this one", below)):
            named = sorted(group, key=lambda o: organisation_name(*o))
            links = [_organisation_link(bundle, out_dir, lv, c, name) for lv, c in named]
            if links:
                items.append(f"{words}: {' · '.join(links)}")
    if not items:
        return ""
    lis = "".join(f"<li>{item}</li>" for item in items)
    return f'<nav class="related" aria-label="Related reports"><ul>{lis}</ul></nav>'


def absolute_links(page: str, out_dir: Path) -> str:
    """``page`` with every link to a file beside it made an absolute ``file:`` address (for a
    PDF, which has no folder of its own to read relative links from)."""

    def absolute(match: re.Match) -> str:
        target, _, anchor = match.group(1).partition("#")
        uri = (out_dir / target).resolve().as_uri()
        return f'href="{escape(uri)}{"#" + anchor if anchor else ""}"'

    return _RELATIVE_HREF.sub(absolute, page)
