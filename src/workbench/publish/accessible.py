"""Tables a screen reader can read: every ``<th>`` says whether it heads a column or a row
(``scope``), and every table has a caption (WCAG 2.2, 1.3.1 Info and Relationships).

The report's tables mostly come with their caption (:func:`workbench.reports.tables.show`);
a table that has none is given the heading it sits under, so that no table is anonymous.
"""

from __future__ import annotations

import re
from html import escape, unescape

_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL)
_SECTION = re.compile(r"<(thead|tbody)\b[^>]*>.*?</\1>", re.DOTALL)
_TH_WITHOUT_SCOPE = re.compile(r"<th\b(?![^>]*\bscope=)")
_HEADING = re.compile(r"<h([1-4])\b[^>]*>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _scoped(table: str) -> str:
    """``table`` with ``scope="col"`` on the headers of its head and ``scope="row"`` on those
    of its body (a header cell that has a scope keeps it)."""

    def section(match: re.Match) -> str:
        scope = "col" if match.group(1) == "thead" else "row"
        return _TH_WITHOUT_SCOPE.sub(f'<th scope="{scope}"', match.group(0))

    table = _SECTION.sub(section, table)
    return _TH_WITHOUT_SCOPE.sub('<th scope="row"', table)  # rows outside head and body


def _heading_before(html: str, at: int) -> str:
    """The text of the last heading before position ``at`` of ``html`` ("" when none)."""
    found = list(_HEADING.finditer(html, 0, at))
    if not found:
        return ""
    return re.sub(r"\s+", " ", unescape(_TAG.sub("", found[-1].group(2)))).strip()


def accessible_tables(html: str) -> str:
    """``html`` with every table's header cells scoped and a caption on every table: its own,
    else the heading it sits under ("Table" when there is no heading before it)."""
    out, last = [], 0
    for match in _TABLE.finditer(html):
        table = _scoped(match.group(0))
        if "<caption" not in table:
            words = _heading_before(html, match.start()) or "Table"
            opening = table.index(">") + 1
            table = f"{table[:opening]}<caption>{escape(words)}</caption>{table[opening:]}"
        out += [html[last : match.start()], table]
        last = match.end()
    out.append(html[last:])
    return "".join(out)
