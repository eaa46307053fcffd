"""The batch's index page (``output/index.html``): every report of the run grouped by level,
with relative links, status, the period, data snapshot, package version and time of the run,
and every failure with the cell that failed. Self-contained; no scripts."""

from __future__ import annotations

from html import escape

from workbench.aggregates_folder import LEVELS
from workbench.publish.organisations import LEVEL_NAMES, org_names
from workbench.publish.page import html_page

TITLE = "Community health services reports"


def _cell(record: dict | None) -> str:
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
        return f"<td>{links} {badge}</td>"
    cell = record.get("failed_cell")
    where = f" at cell {cell['index'] + 1}" if cell else ""
    return f"<td>{badge}{escape(where)}</td>"


def _level_table(level: str, records: list[dict], notebooks: list[str]) -> str:
    names = org_names(level)
    by_org: dict[str, dict[str, dict]] = {}
    for r in records:
        by_org.setdefault(r["org_code"], {})[r["notebook"]] = r
    head = "".join(f"<th>{escape(nb)}</th>" for nb in notebooks)
    rows = []
    for org in sorted(by_org):
        cells = "".join(_cell(by_org[org].get(nb)) for nb in notebooks)
        name = names.get(org, "")
        rows.append(f"<tr><th>{escape(org)}</th><td>{escape(name)}</td>{cells}</tr>")
    return (
        f'<h2 id="{escape(level)}">{escape(LEVEL_NAMES.get(level, level).capitalize())} '
        f"({len(by_org)})</h2>\n"
        f"<table><thead><tr><th>Code</th><th>Name</th>{head}</tr></thead>\n"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


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


def index_html(manifest: dict) -> str:
    """The index page of a batch manifest (as :func:`workbench.publish.batch.run_schedule`
    writes it)."""
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
        "Run started": str(manifest.get("started")),
        "Run took": f"{manifest.get('seconds', 0):.0f} seconds",
        "Reports": ", ".join(f"{counts.get(s, 0)} {s}" for s in ("ok", "failed", "skipped")),
    }
    if not manifest.get("complete", True):
        meta["Note"] = "this run did not finish; run the schedule again to complete it"
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in meta.items())
    sections = [f'<dl class="meta">{dl}</dl>', _failures(records)]
    for level in LEVELS:
        chosen = [r for r in records if r["level"] == level]
        if chosen:
            sections.append(_level_table(level, chosen, notebooks))
    if not records:
        sections.append("<p>No reports in this run.</p>")
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
