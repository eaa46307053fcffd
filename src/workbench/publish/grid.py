"""The index grid: one table a director reads down a measure or across an organisation.

A row per organisation: England, the 7 NHS regions, then the 42 ICBs grouped under their region
(every one, whether or not its reports were rendered); a column per headline measure (each
percentage key message of the batch's reports, :mod:`workbench.reports.key_messages`); each cell
the value, its 95% interval and its rating in words, as the organisation's own report states
them (the same disclosure control); the last column links the organisation's reports that exist
(this batch's, and those of batches written in its sub-folders such as ``all_icbs``). The
figures are read from the batch's aggregates; without them (an older manifest), from the
records' own key messages.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.organisations import ENGLAND, organisation_name
from workbench.reference import icb_regions

#: A cell with nothing to show.
NONE = "–"


def grid_rows() -> list[tuple[str, str, str | None]]:
    """``(level, code, group)`` in reading order: England, the regions by name, then every
    region's ICBs by name under a group heading naming the region (``group`` is set on the
    first ICB of each region)."""
    icbs = icb_regions()
    regions = sorted(icbs["nhser_ods_code"].unique(), key=lambda c: organisation_name("region", c))
    rows: list[tuple[str, str, str | None]] = [("england", ENGLAND, None)]
    rows += [("region", code, None) for code in regions]
    for region in regions:
        codes = icbs.loc[icbs["nhser_ods_code"] == region, "icb_ods_code"]
        ordered = sorted(codes, key=lambda c: organisation_name("icb", c))
        for i, code in enumerate(ordered):
            group = f"ICBs in {organisation_name('region', region)}" if i == 0 else None
            rows.append(("icb", code, group))
    return rows


def nested_records(output: Path) -> list[dict]:
    """The rendered reports of batches written in sub-folders of ``output`` (their
    ``manifest.json``; e.g. the 42 ICB reports of ``make report-icbs`` in ``all_icbs``), with
    their files' paths made relative to ``output``. A manifest that cannot be read is passed
    over: the grid then shows those organisations without links."""
    out = []
    for path in sorted(output.glob("*/manifest.json")):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        sub = path.parent.name
        for r in manifest.get("reports", []):
            if r.get("status") not in ("ok", "skipped"):
                continue
            outputs = {f: f"{sub}/{rel}" for f, rel in (r.get("outputs") or {}).items()}
            sheet = r.get("spreadsheet")
            out.append({**r, "outputs": outputs, "spreadsheet": sheet and f"{sub}/{sheet}"})
    return out


def _messages(manifest: dict, records: dict, level: str, code: str, notebook: str) -> list[dict]:
    """The key messages of one organisation's report: from the aggregates where the manifest
    names them, else from its record; empty when neither gives them."""
    record = records.get((level, code, notebook))
    if record and (record.get("headlines") or {}).get("messages"):
        return record["headlines"]["messages"]
    aggregates = manifest.get("aggregates")
    if not aggregates or not Path(aggregates, "manifest.json").exists():
        return []
    from workbench.reports.data import ReportData
    from workbench.reports.key_messages import REPORTS, key_messages

    if notebook not in REPORTS:
        return []
    try:
        data = ReportData.open(aggregates, level, code, manifest.get("disclosure_control", True))
        return [m.to_dict() for m in key_messages(data, notebook)]
    except WorkbenchError:
        return []


def _is_headline(message: dict) -> bool:
    """A headline measure of the grid: a percentage with an interval or a rating."""
    return bool(message.get("interval") or message.get("rating"))


#: England's value after a rating against England (the England row shows it once).
_ENGLAND_VALUE = re.compile(r" \(England [^)]*\)$")


def _cell(message: dict | None) -> str:
    """A measure's cell: the value, its interval and its rating in words."""
    if message is None:
        return f"<td>{NONE}</td>"
    interval = message.get("interval", "").replace("95% CI ", "")
    parts = [f"<strong>{escape(message['value'])}</strong>"]
    if interval:
        parts.append(f'<span class="interval">{escape(interval)}</span>')
    if message.get("rating"):
        rating = _ENGLAND_VALUE.sub("", message["rating"])
        parts.append(f'<span class="rating">{escape(rating)}</span>')
    return f"<td>{'<br>'.join(parts)}</td>"


def _links(found: list[dict]) -> str:
    """Links to an organisation's rendered reports (the report's name to its page, then its
    other files), or a word saying there are none."""
    items = []
    for r in found:
        outputs = dict(r.get("outputs") or {})
        name = escape(r["notebook"].replace("_", " ").capitalize())
        page = outputs.pop("html", None)
        words = f'<a href="{escape(page)}">{name}</a>' if page else name
        others = [(fmt.upper(), rel) for fmt, rel in sorted(outputs.items())]
        if r.get("spreadsheet"):
            others.append(("XLSX", r["spreadsheet"]))
        files = " ".join(f'<a href="{escape(rel)}">{escape(k)}</a>' for k, rel in others)
        items.append(f'<li>{words} <span class="files">{files}</span></li>')
    if not items:
        return '<td class="note-cell">not rendered</td>'
    return f'<td><ul class="reports">{"".join(items)}</ul></td>'


def _column_head(label: str) -> str:
    """A measure's header cell: its label, the qualifier after a colon set smaller."""
    name, _, qualifier = label.partition(": ")
    more = f'<span class="qualifier">: {escape(qualifier)}</span>' if qualifier else ""
    return f'<th scope="col">{escape(name)}{more}</th>'


def _header(columns: list[tuple[str, str]]) -> str:
    head = "".join(_column_head(label) for _, label in columns)
    return (
        f'<thead><tr><th scope="col">Organisation</th>{head}<th scope="col">Reports</th>'
        "</tr></thead>"
    )


def grid_html(manifest: dict, records: list[dict], notebooks: list[str]) -> str:
    """The grid (see the module's docstring) for the batch ``manifest``; ``records`` are the
    reports it may link (this batch's and nested batches')."""
    by_key = {(r["level"], r["org_code"], r["notebook"]): r for r in records}
    rendered = [r for r in records if r.get("status") in ("ok", "skipped")]
    rows = grid_rows()
    figures = {
        (level, code): {nb: _messages(manifest, by_key, level, code, nb) for nb in notebooks}
        for level, code, _ in rows
    }
    columns = list(  # every headline measure, in the order England's reports state them
        dict.fromkeys(
            (nb, m["label"])
            for found in figures.values()
            for nb in notebooks
            for m in found[nb]
            if _is_headline(m)
        )
    )
    body = []
    for level, code, group in rows:
        if group:
            body.append(
                f'<tr class="group"><th scope="colgroup" colspan="{len(columns) + 2}">'
                f"{escape(group)}</th></tr>"
            )
        found = {(nb, m["label"]): m for nb, ms in figures[level, code].items() for m in ms}
        name = organisation_name(level, code)
        shown = name if level == "england" else f'{name} <span class="code">{code}</span>'
        cells = "".join(_cell(found.get(c)) for c in columns)
        links = [r for r in rendered if r["level"] == level and r["org_code"] == code]
        body.append(
            f'<tr id="{escape(level)}-{escape(code)}" class="{escape(level)}">'
            f'<th scope="row">{shown}</th>{cells}{_links(links)}</tr>'
        )
    caption = (
        "Headline figures by organisation: each cell is the value, its 95% confidence interval "
        "and its rating, as the organisation's own report states them. England's figures are "
        "exact; the others are disclosure controlled. Every ICB is listed under its region, "
        "with links to its reports where they were rendered. A dash: no figure (no records of "
        "that organisation in the period)."
    )
    return (
        '<h2 id="organisations">Organisations</h2>\n'
        f'<div class="grid-wrap"><table class="index grid"><caption>{escape(caption)}</caption>'
        f"{_header(columns)}"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
