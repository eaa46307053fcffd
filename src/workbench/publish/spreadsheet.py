"""The spreadsheet beside a report (``<report>.xlsx``): every table the report shows, as it shows
it, laid out by the UK Government Analysis Function's guidance "Releasing statistics in
spreadsheets" (written with the ``gptables`` package, which implements it).

- A cover sheet (what the workbook is, organisation, period, disclosure control, shorthand),
  a contents sheet and a notes sheet, then one table per sheet (``Table_1``, ``Table_2``, ...).
- Each table sheet has its title in cell A1, then subtitles (report section, shorthand used),
  the source and definition (measures.md section N); no merged cells, no blank rows or columns
  inside a table; column headers are the registry's labels with their units.
- Values are the disclosure-controlled values of the page (measures.md section 7), read from the
  records the notebook attached to each table (:mod:`workbench.reports.shown_tables`): numbers
  stay numbers; a suppressed value is ``[c]`` and a value the page does not give is ``[x]``,
  both explained on the cover and in the notes (the marks of the CSV exports too,
  :mod:`workbench.csv_output`). England is not rounded, as on the page.
- A month (the page's ``YYYY-MM``) is a date cell, the first day of the month, shown
  ``yyyy-mm``, so that a spreadsheet sorts, filters and charts it as a date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.csv_output import CONFIDENTIAL, MONTH_TEXT, NOT_AVAILABLE, month_as_date
from workbench.disclosure import LARGEST_SUPPRESSED, MINIMUM_RECORDS, ROUND_TO, SUPPRESSED
from workbench.reports.shown_tables import MIMETYPE, ShownTable
from workbench.version import __version__

if TYPE_CHECKING:
    from nbformat import NotebookNode

#: The extension of the spreadsheet written beside each report.
SPREADSHEET = "xlsx"
# The shorthand the guidance recommends for what the page shows as ``*`` and as no value,
# CONFIDENTIAL and NOT_AVAILABLE, are the CSV exports' marks (workbench.csv_output).
#: How a month's date cell is shown: as the page writes it.
MONTH_FORMAT = "yyyy-mm"
#: Name of each table's sheet: ``Table_1``, ``Table_2``, ... (the guidance's convention).
SHEET = "Table_{}"
#: Notes every workbook may refer to, by reference (gptables numbers them as they appear).
NOTES = {
    "disclosure": (
        f"Disclosure control (measures.md section 7): 0 stays 0; counts from 1 to "
        f"{LARGEST_SUPPRESSED} are suppressed and shown as {CONFIDENTIAL}; every other count is "
        f"rounded to the nearest {ROUND_TO}. Percentages and rates are worked out from the "
        f"rounded counts, percentages shown as whole numbers (one decimal where the rounded "
        f"denominator is at least 4,000), and shown as {CONFIDENTIAL} when either count was "
        f"suppressed; their 95% intervals come from the exact counts. Means, "
        f"medians and percentiles are shown only when they rest on {MINIMUM_RECORDS} or more "
        f"records. The HTML report shows {CONFIDENTIAL} as {SUPPRESSED}."
    ),
    "national": (
        "Figures for England as a whole are exact: neither rounded nor suppressed (measures.md "
        "section 7); control applies to every level below."
    ),
    "control_off": (
        "Disclosure control was turned OFF for this report: it is for internal use only, may "
        "show small numbers that could identify people, and must not be shared."
    ),
    "not_available": (
        f"{NOT_AVAILABLE}: no value (not applicable, no records, or too few records for the "
        "value to be shown). The HTML report shows no value or a dash here."
    ),
}


@dataclass(frozen=True)
class SheetTable:
    """A shown table with the report section (the notebook heading) it was shown under."""

    section: str
    table: ShownTable


def report_tables(nb: NotebookNode) -> list[SheetTable]:
    """Every table an executed report notebook showed, in order, with its section heading."""
    heading = ""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#{2,3}\s+(.+?)\s*#*\s*$", cell.source, re.MULTILINE)
            if match:
                heading = match.group(1)
            continue
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if MIMETYPE in data:
                record = data[MIMETYPE]
                if isinstance(record, str):  # some writers keep JSON outputs as text
                    import json

                    record = json.loads(record)
                out.append(SheetTable(heading, ShownTable.from_json(dict(record))))
    return out


def report_title(nb: NotebookNode) -> str:
    """The report's title: the first level-1 heading it shows (its front page)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+?)\s*#*\s*$", cell.source, re.MULTILINE)
            if match:
                return match.group(1)
        for output in cell.get("outputs", []):
            html = (output.get("data") or {}).get("text/html", "")
            if isinstance(html, list):
                html = "".join(html)
            match = re.search(r"<h1\b[^>]*>(.*?)</h1>", html, re.DOTALL | re.IGNORECASE)
            if match:
                return _text_of(match.group(1))
    return "Report"


def front_page_rows(nb: NotebookNode) -> list[tuple[str, str]]:
    """The rows of the report's front page (organisation, period, data extract, disclosure
    control, version) as the notebook showed them; none when it showed no front page."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = (output.get("data") or {}).get("text/html", "")
            if isinstance(html, list):
                html = "".join(html)
            match = re.search(r'<table class="front-page">(.*?)</table>', html, re.DOTALL)
            if match:
                rows = re.findall(r"<th>(.*?)</th>\s*<td>(.*?)</td>", match.group(1), re.DOTALL)
                return [(_text_of(k), _text_of(v)) for k, v in rows]
    return []


def _text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def _header(label: str, unit: str) -> str:
    """A column header with its unit, unless the label already says it."""
    if not unit or unit.lower() in label.lower():
        return label
    return f"{label} ({unit})"


def _value(value: Any) -> Any:
    if value is None:
        return NOT_AVAILABLE
    if value == SUPPRESSED:
        return CONFIDENTIAL
    return value


def _is_month_column(values: list[Any]) -> bool:
    texts = [v for v in values if v is not None]
    return bool(texts) and all(isinstance(v, str) and MONTH_TEXT.match(v) for v in texts)


def sheet_frame(table: ShownTable) -> pd.DataFrame:
    """A table's values for its sheet: headers with units, shorthand for hidden values, months
    as dates (the first day of the month)."""
    headers = [_header(c, u) for c, u in zip(table.columns, table.units, strict=True)]
    unique: list[str] = []
    for h in headers:  # the guidance needs every header distinct
        unique.append(h if h not in unique else f"{h} ({unique.count(h) + 1})")
    months = {i for i in range(len(headers)) if _is_month_column([row[i] for row in table.rows])}
    rows = [
        [
            month_as_date(v) if i in months and v is not None else _value(v)
            for i, v in enumerate(row)
        ]
        for row in table.rows
    ]
    return pd.DataFrame(rows, columns=unique, dtype=object)


def date_formatting(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """gptables' ``additional_formatting`` showing every column of dates as :data:`MONTH_FORMAT`
    (a date cell without a number format would show as a serial number)."""
    dated = [name for name in frame.columns if any(isinstance(v, dt.date) for v in frame[name])]
    if not dated:
        return []
    return [
        {
            "column": {
                "columns": dated,
                "format": {"num_format": MONTH_FORMAT},
                "include_names": False,
            }
        }
    ]


def _title(item: SheetTable) -> str:
    """A table's title: its chart's, else its measure's and its report section's."""
    if item.table.title:
        return item.table.title
    parts = [p for p in (item.table.measure, item.section) if p]
    return ": ".join(dict.fromkeys(parts)) or "Table"


def _titles(tables: list[SheetTable]) -> list[str]:
    """A distinct title for each table (:func:`_title`), numbered when repeated."""
    titles = [_title(t) for t in tables]
    seen: dict[str, int] = {}
    out = []
    for title in titles:
        seen[title] = seen.get(title, 0) + 1
        total = titles.count(title)
        out.append(f"{title} ({seen[title]} of {total})" if total > 1 else title)
    return out


def _uses(table: ShownTable, mark: Any) -> bool:
    return any(v == mark for row in table.rows for v in row)


def workbook_bytes(
    tables: list[SheetTable],
    title: str,
    about: Iterable[tuple[str, str]] = (),
    disclosure_control: bool = True,
) -> bytes:
    """The workbook of ``tables`` as XLSX bytes: cover (``title`` and the ``about`` lines),
    contents, notes and one sheet per table."""
    import gptables as gpt

    sheets: dict[str, Any] = {}
    for i, (item, name) in enumerate(zip(tables, _titles(tables), strict=True), start=1):
        table = item.table
        notes = " $$control_off$$" if not disclosure_control else ""
        subtitles = []
        if item.section and item.section not in name:
            subtitles.append(f"Report section: {item.section}")
        if _uses(table, SUPPRESSED):
            subtitles.append(f"{CONFIDENTIAL} shows a suppressed value $$disclosure$$")
        elif table.disclosure_control and not table.national and table.counts:
            subtitles.append("Counts are rounded to the nearest 5 $$disclosure$$")
        if table.national:
            subtitles.append("England's figures are exact, not rounded $$national$$")
        if _uses(table, None):
            subtitles.append(f"{NOT_AVAILABLE} shows no value $$not_available$$")
        definition = f"; definition: measures.md section {table.section}" if table.section else ""
        frame = sheet_frame(table)
        sheets[SHEET.format(i)] = gpt.GPTable(
            table=frame,
            additional_formatting=date_formatting(frame),
            table_name=f"table_{i}",
            title=f"{name}{notes}",
            subtitles=subtitles,
            instructions="This worksheet contains one table. Some cells refer to notes, which "
            "can be found on the notes worksheet.",
            source=f"Source: community health services workbench {__version__}{definition}",
            index_columns={},
        )
    used = {ref for ref in NOTES if any(f"$${ref}$$" in _text(t) for t in sheets.values())}
    cover_about = [f"{k}: {v}" for k, v in about]
    if tables and all(item.table.national for item in tables):
        cover_about.append(
            "England's figures are exact: neither rounded nor suppressed (national figures "
            "need no disclosure control)."
        )
    cover_about += [
        "Each table is on its own worksheet, listed on the contents worksheet, with the values "
        "the HTML report shows.",
        f"Shorthand: {CONFIDENTIAL} a value suppressed by disclosure control (shown as "
        f"{SUPPRESSED} in the HTML report); {NOT_AVAILABLE} no value. See the notes worksheet.",
        "Every measure is defined in measures.md (the measure definitions page beside the "
        "report), in the section each table's source line names.",
    ]
    cover = gpt.Cover(
        title=title,
        intro=[
            "This workbook holds every table of the report of the same name, one table to "
            "a worksheet, so that the figures can be taken away and reused."
        ],
        about=cover_about,
    )
    notes = pd.DataFrame(
        {
            "Note reference": [ref for ref in NOTES if ref in used],
            "Note text": [text for ref, text in NOTES.items() if ref in used],
        }
    )
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gptables warns about a notes sheet it is not asked for
        workbook = gpt.produce_workbook(
            filename=buffer,  # xlsxwriter writes to any file object
            sheets=sheets,
            cover=cover,
            notes_table=notes if used else _no_notes(),
            contentsheet_options={"additional_elements": ["subtitles"]},
        )
        workbook.close()
    return buffer.getvalue()


def _no_notes() -> pd.DataFrame:
    return pd.DataFrame(
        {"Note reference": ["none"], "Note text": ["No table of this report refers to a note."]}
    )


def _text(table: Any) -> str:
    """Every text of a GPTable that can hold a note reference."""
    parts = [table.title, *(table.subtitles or [])]
    return " ".join(p if isinstance(p, str) else getattr(p, "string", str(p)) for p in parts)


def report_workbook(
    executed: str | Path, parameters: dict, about: Iterable[tuple[str, str]] = ()
) -> bytes | None:
    """The spreadsheet of the ``executed`` report notebook as XLSX bytes (``None`` when the
    report shows no table). ``parameters`` are the report's (disclosure control); ``about``
    lines (organisation, period, data snapshot) go on the cover."""
    import nbformat

    nb = nbformat.read(Path(executed), as_version=4)
    tables = report_tables(nb)
    if not tables:
        return None
    front = front_page_rows(nb)
    organisation = dict(front).get("Organisation")
    title = report_title(nb)
    return workbook_bytes(
        tables,
        f"{title}: {organisation}" if organisation else title,
        [*front, *about],
        disclosure_control=bool(parameters.get("disclosure_control", True)),
    )
