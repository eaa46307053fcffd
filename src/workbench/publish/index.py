"""The batch's index page (``output/index.html``), a summary: every organisation of the run,
England first, then NHS regions, ICBs and providers, by name, each with its headline figures and
their ratings in words (the key messages its reports open with:
:mod:`workbench.reports.key_messages`), then its reports (relative links and status); the
period, data snapshot, package version and time of the run; every failure with the cell that
failed. Self-contained; no scripts."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.organisations import LEVEL_HEADINGS, organisation_name
from workbench.period import moment_text
from workbench.publish.page import html_page

TITLE = "Community health services reports"
#: The order an index reader looks for organisations in: England first.
INDEX_LEVELS = ("england", "region", "icb", "provider")
#: Level headings as a reader writes them ("NHS regions", not "Nhs regions").


def headlines(record: dict) -> dict:
    """The key messages of one rendered report, for its manifest record: ``{"messages": [...]}``
    (each a :class:`workbench.reports.key_messages.KeyMessage` as a dict), computed from the
    aggregates it was rendered from with its disclosure control setting, or ``{"error": why}``
    when the aggregates cannot give them; empty for a notebook without key messages. The batch
    computes them in the worker that rendered the report."""
    from workbench.reports.data import ReportData
    from workbench.reports.key_messages import REPORTS, key_messages

    parameters = record.get("parameters") or {}
    if record["notebook"] not in REPORTS or not parameters.get("aggregates"):
        return {}
    control = bool(parameters.get("disclosure_control", True))
    try:
        data = ReportData.open(
            parameters["aggregates"], record["level"], record["org_code"], control
        )
        return {"messages": [m.to_dict() for m in key_messages(data, record["notebook"])]}
    except WorkbenchError as err:
        return {"error": str(err)}


def _headline_figures(record: dict) -> str:
    """A report's key messages as an HTML list (from its record; computed when the record,
    from an older manifest, has none)."""
    if record["status"] not in ("ok", "skipped"):
        return ""
    found = record["headlines"] if "headlines" in record else headlines(record)
    if found.get("error"):
        return f'<p class="note">Headline figures not available: {escape(found["error"])}</p>'
    items = []
    for m in found.get("messages", []):
        interval = f" ({escape(m['interval'])})" if m.get("interval") else ""
        rating = f' <span class="rating">{escape(m["rating"])}</span>' if m.get("rating") else ""
        value = f"<strong>{escape(m['value'])}</strong>"
        items.append(f"<li>{escape(m['label'])}: {value}{interval}{rating}</li>")
    return f'<ul class="headlines">{"".join(items)}</ul>' if items else ""


def _cell(record: dict | None, figures: str = "") -> str:
    if record is None:
        return "<td>–</td>"
    status = record["status"]
    label = "up to date" if status == "skipped" else status
    badge = f'<span class="status-{escape(status)}">{escape(label)}</span>'
    if status in ("ok", "skipped"):
        links = " ".join(
            f'<a href="{escape(rel)}">{escape(fmt.upper())}</a>'
            for fmt, rel in sorted((record.get("outputs") or {}).items())
        )
        if record.get("spreadsheet"):  # the tables of the report, to take away
            links += f' <a href="{escape(record["spreadsheet"])}">XLSX (tables)</a>'
        return f"<td>{figures}<p>{links} {badge}</p></td>"
    cell = record.get("failed_cell")
    where = f" at cell {cell['index'] + 1}" if cell else ""
    return f"<td>{badge}{escape(where)}</td>"


def _level_table(level: str, records: list[dict], notebooks: list[str]) -> str:
    """Organisations outside the grid (providers) as a table: a row each, a cell per report."""
    by_org: dict[str, dict[str, dict]] = {}
    for r in records:
        by_org.setdefault(r["org_code"], {})[r["notebook"]] = r
    head = "".join(f'<th scope="col">{escape(_report_name(nb))}</th>' for nb in notebooks)
    rows = []
    names = {org: organisation_name(level, org) for org in by_org}
    for org in sorted(by_org, key=lambda o: (names[o], o)):
        cells = []
        for nb in notebooks:
            record = by_org[org].get(nb)
            figures = _headline_figures(record) if record else ""
            cells.append(_cell(record, figures))
        code = "" if level == "england" else f' <span class="code">{escape(org)}</span>'
        rows.append(f'<tr><th scope="row">{escape(names[org])}{code}</th>{"".join(cells)}</tr>')
    heading = f"{LEVEL_HEADINGS.get(level, level)} ({len(by_org)})"
    return (
        f'<h2 id="{escape(level)}">{escape(heading)}</h2>\n'
        f'<table class="index"><caption>{escape(heading)}: headline figures and reports'
        f'</caption><thead><tr><th scope="col">Organisation</th>{head}</tr></thead>\n'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _report_name(notebook: str) -> str:
    return notebook.replace("_", " ").capitalize()


def _failures(records: list[dict]) -> str:
    failed = [r for r in records if r["status"] == "failed"]
    if not failed:
        return ""
    items = []
    for r in failed:
        cell = r.get("failed_cell")
        where = (
            f"<p>Failed at cell {cell['index'] + 1} (index {cell['index']}): "
            f"<code>{escape(cell['first_line'])}</code></p>"
            if cell
            else ""
        )
        executed = r.get("executed")
        link = (
            f'<p>Executed notebook: <a href="{escape(executed)}">{escape(executed)}</a></p>'
            if executed
            else ""
        )
        items.append(
            f'<div class="failure"><strong>{escape(r["notebook"])} for {escape(r["level"])} '
            f"{escape(r['org_code'])}</strong>{where}<pre>{escape(r.get('error') or '')}</pre>"
            f"{link}</div>"
        )
    return f'<h2 id="failures">Failures ({len(failed)})</h2>\n' + "\n".join(items)


def index_html(manifest: dict, linked: list[dict] | None = None) -> str:
    """The index page of a batch manifest (as :func:`workbench.publish.batch.run_schedule`
    writes it): the grid of England, the regions and the ICBs (:func:`workbench.publish.grid.
    grid_html`, read from the batch's aggregates, linking its reports and those of ``linked``,
    records of batches in its sub-folders, :func:`workbench.publish.grid.nested_records`), then
    any providers' reports with their headline figures."""
    from workbench.publish.grid import grid_html

    records = manifest.get("reports", [])
    notebooks = list(dict.fromkeys(r["notebook"] for r in records))
    period = manifest.get("period") or {}
    counts = manifest.get("counts") or {}
    snapshot = manifest.get("data_snapshot") or "unknown"
    meta = {
        "Period": f"{period.get('period_start')} to {period.get('period_end')}",
        "Waiting list census date": str(period.get("census_date")),
        "Data snapshot (store checksum)": snapshot,
        "Workbench version": str(manifest.get("workbench_version")),
        "Run started": moment_text(manifest.get("started")),
        "Run took": f"{manifest.get('seconds', 0):.0f} seconds",
        "Reports": ", ".join(f"{counts.get(s, 0)} {s}" for s in ("ok", "failed", "skipped")),
    }
    if not manifest.get("complete", True):
        meta["Note"] = "this run did not finish; run the schedule again to complete it"
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in meta.items())
    sections = [f'<dl class="meta">{dl}</dl>', _failures(records)]
    if not records:
        sections.append("<p>No reports in this run.</p>")
    else:
        sections.append(grid_html(manifest, [*records, *(linked or [])], notebooks))
    for level in INDEX_LEVELS[3:]:  # providers: below the grid, a table of their own
        chosen = [r for r in records if r["level"] == level]
        if chosen:
            sections.append(_level_table(level, chosen, notebooks))
    sections.insert(
        0,
        '<p>How every number is defined: <a href="measures.html">measure definitions</a>, '
        'the <a href="methodology.html">methodology</a> and the '
        '<a href="sources.html">domain facts and their sources</a>.</p>',
    )
    subtitle = f"{period.get('period_start')} to {period.get('period_end')}"
    footer = (
        "<p>Made by the workbench report runner. <code>manifest.json</code> beside this page "
        "records every report's parameters, data snapshot and timing.</p>"
    )
    return html_page(TITLE, "\n".join(s for s in sections if s), subtitle=subtitle, footer=footer)


def refresh_parent_index(output: Path) -> Path | None:
    """Write again the index of the batch in the folder above ``output`` (when there is one:
    its ``manifest.json``), so that it links the reports just rendered in ``output`` (e.g. the
    42 ICB reports of ``make report-icbs`` under the index of ``make report``). Returns its
    path, or None when there is no batch above or its manifest cannot be read."""
    from workbench.atomic import write_atomic
    from workbench.publish.grid import nested_records

    parent = output.resolve().parent
    try:
        manifest = json.loads((parent / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or "reports" not in manifest:
        return None
    return write_atomic(parent / "index.html", index_html(manifest, nested_records(parent)))
