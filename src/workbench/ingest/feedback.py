"""Submitter feedback: for each provider and each council in a load, a report it can act on
(measures.md
section 1).

Written to ``<feedback folder>/<provider code>/<load time>/``:

- ``feedback.html``: a self-contained page (no script, no external file) with the files
  accepted and quarantined (with reasons), the rejected rows (file, row number, the provider's
  own record key, and a reason per field) and the provider's data quality in this load against
  its previous loads;
- ``files.csv``: one line per file, accepted or quarantined, with its counts and reasons;
- ``rejected_rows.csv``: one line per rejected row and reason: file, row, record key, field,
  problem.

Beside them, ``<provider code>/history.json`` keeps the provider's own figures per load (files,
rows read, rejected %, ethnicity known %), from which the comparison is drawn.

Who may see it: the feedback goes to that provider only. It is the one output that carries a
provider's own record keys (as sent: they are how the provider finds the record); it never
carries any other submitted value, never mentions another provider (but for the name of a file
sent in one provider's folder and named for the other: both are told it is misfiled, and only
the one its name gives sees its content), and is written outside the
store, so nothing from it reaches a shared report. A value that failed the identifiable-data
guard never reaches it: such data stops the load before any row is staged. The CSV files are
written formula-inert (:mod:`workbench.csv_output`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from workbench.atomic import write_atomic
from workbench.csv_output import write_csv
from workbench.errors import output_error
from workbench.ingest.quarantine import ORGANISATION_CODE, QuarantinedFile
from workbench.ingest.validate import quote, split_reasons
from workbench.period import moment_text
from workbench.spec import CLD_VALUE_SETS, EXTRACT_TABLES, VALUE_SETS, Table
from workbench.store_layout import PENDING_REJECTS, live_rows_sql, segment_name

if TYPE_CHECKING:
    from workbench.store import Store

#: The default feedback folder is the store's folder name with this suffix, beside the store.
FEEDBACK_SUFFIX = "-feedback"
HISTORY_FILE = "history.json"
REPORT_HTML = "feedback.html"
FILES_CSV = "files.csv"
REJECTED_CSV = "rejected_rows.csv"
#: The most rejected rows listed on the page; the CSV has every one.
ROWS_SHOWN = 500


def default_feedback_folder(store: Path) -> Path:
    """``<store>-feedback`` beside the store (outside it, so reports never read it)."""
    store = Path(store).resolve()
    return store.parent / f"{store.name}{FEEDBACK_SUFFIX}"


@dataclass
class ProviderFeedback:
    """One organisation's part of one load: a CSDS provider's, or a council's Client Level
    Data (``submitter``, the word its tables' specification uses: ``Table.submitter``)."""

    provider: str
    loaded_at: str
    load_date: str
    #: The store version the load made current (None for a load that stored nothing).
    version: str | None = None
    accepted: list[dict] = field(default_factory=list)
    quarantined: list[dict] = field(default_factory=list)
    #: Names of files whose folder (a provider code) and name (another) disagree: told to
    #: both providers, without the file's content (which goes to the one its name gives).
    misfiled: list[str] = field(default_factory=list)
    rejected_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    ethnicity_known_pct: float | None = None
    submitter: str = "provider"

    @property
    def rows_read(self) -> int:
        return sum(f["read"] for f in self.accepted)

    @property
    def rows_rejected(self) -> int:
        return sum(f["rejected"] for f in self.accepted)

    def figures(self) -> dict:
        """This load's entry in the provider's history."""
        read = self.rows_read
        return {
            "loaded_at": self.loaded_at,
            "load_date": self.load_date,
            "version": self.version,
            "files_accepted": len(self.accepted),
            "files_quarantined": len(self.quarantined),
            "rows_read": read,
            "rows_rejected": self.rows_rejected,
            "rows_quarantined": sum(q["rows"] or 0 for q in self.quarantined),
            "rejected_pct": round(100 * self.rows_rejected / read, 1) if read else None,
            "ethnicity_known_pct": self.ethnicity_known_pct,
        }


def _without_path(reason: str, path: str) -> str:
    """A reason about a file, without the file's path in front (the report names the file)."""
    if reason.startswith(path):
        reason = reason[len(path) :].lstrip(":, ")
    return reason[:1].upper() + reason[1:]


#: The columns of ``rejected_rows.csv``, in order.
REJECTED_COLUMNS = ["table", "file", "row", "record_key", "field", "problem"]


def _record_keys(rejects: pa.Table, table: Table) -> pa.Array:
    """Each row's own record key, e.g. ``referral_id=R1; measurement_type=05`` (the
    organisation's code, which the file name already says, is left out; a missing part shows
    ``(missing)``)."""
    parts = [
        pc.binary_join_element_wise(
            pa.scalar(f"{c}="), pc.fill_null(rejects.column(c).cast(pa.string()), "(missing)"), ""
        )
        for c in table.key
        if c != table.organisation
    ]
    return pc.binary_join_element_wise(*parts, "; ")


def _rejects(store: Store, name: str, load: int | None) -> pa.Table:
    """The rejected rows of table ``name`` in the store's version: with ``load``, only those
    that load rejected and the orphans still waiting (so a file re-sent under the same name
    is not shown the rows its earlier copy had rejected); without it, every one."""
    kept = ", ".join(f"'{n}'" for n in (segment_name(load or 0), PENDING_REJECTS))
    rows = live_rows_sql(Path(store.path), "rejects", name, filename=True)
    which = "TRUE" if load is None else f"parse_filename(filename) IN ({kept})"
    with duckdb.connect() as con:
        found = con.sql(f"SELECT * EXCLUDE (filename) FROM ({rows}) WHERE {which}").arrow()
    return found.read_all() if isinstance(found, pa.RecordBatchReader) else found


def _rejected_rows(
    store: Store, file_owner: dict[str, str], load: int | None = None
) -> dict[str, pd.DataFrame]:
    """Every rejected row and reason by provider: its table, file, row, record key, field and
    problem (a reason ``"column: rule"`` gives the field and the problem; a reason about the
    whole row has no field).

    ``file_owner`` maps each accepted file's path to its provider: the rows of a file belong
    to the provider that sent it, whatever its provider_code column says. ``load``: only the
    rows still rejected from that load (:func:`_rejects`)."""
    sent = pa.array(list(file_owner), pa.string())
    frames = []
    for name, table in EXTRACT_TABLES.items():
        rejects = _rejects(store, name, load)
        rejects = rejects.filter(pc.is_in(rejects.column("source_file"), value_set=sent))
        if rejects.num_rows == 0:
            continue
        reasons = rejects.column("reasons").combine_chunks()
        rows = pc.list_parent_indices(reasons)
        frames.append(
            pd.DataFrame(
                {
                    "table": name,
                    "source_file": rejects.column("source_file").take(rows).to_pandas(),
                    "row": rejects.column("source_row").take(rows).to_pandas(),
                    "record_key": _record_keys(rejects, table).take(rows).to_pandas(),
                    "reason": pc.list_flatten(reasons).to_pandas(),
                }
            )
        )
    if not frames:
        return {}
    every = pd.concat(frames, ignore_index=True)
    split = split_reasons(every["reason"])
    every["field"], every["problem"] = split["column"], split["problem"]
    every["file"] = every["source_file"].map(lambda p: Path(p).name)
    provider = every["source_file"].map(file_owner)
    return {
        str(code): group[REJECTED_COLUMNS].reset_index(drop=True)
        for code, group in every.groupby(provider, sort=False)
    }


#: Per kind of submitter, where its ethnicity is (table, column, code list) and what its page
#: says the share is of: a provider's persons in the MPI (NHS ethnic categories), a council's
#: client events in CLD (the 2021 census ethnic groups).
ETHNICITY = {
    "provider": (
        "mpi",
        "ethnic_category",
        VALUE_SETS["ethnic_category"],
        "of your persons in the store after this load, measures.md section 2",
    ),
    "council": (
        "cld_events",
        "ethnicity",
        CLD_VALUE_SETS["cld_ethnicity"],
        "of your clients' events in the store after this load, in the 2021 census ethnic "
        "groups; 'No data: Refused' and 'No data: Undeclared or not known' count as not known",
    ),
}


def _ethnicity_known_pct(store: Store) -> dict[str, float]:
    """Per provider, the % of its persons in the store whose ethnic category is known, and per
    council the % of its CLD events whose ethnicity is a known 2021 census group (valid and not
    a default: measures.md section 2; :data:`ETHNICITY`), one grouped query per table."""
    shares: dict[str, float] = {}
    version = Path(store.path)
    with duckdb.connect() as con:
        for name, column, codes, _ in ETHNICITY.values():
            org = quote(EXTRACT_TABLES[name].organisation)
            known = ", ".join("'" + c.replace("'", "''") + "'" for c in codes.known)
            rows = live_rows_sql(version, "tables", name)
            found = con.execute(
                f"SELECT {org}, avg(CASE WHEN {quote(column)} IN ({known}) THEN 1.0 ELSE 0.0 END) "
                f"FROM ({rows}) GROUP BY {org}"
            ).fetchall()
            shares.update({str(code): round(100 * float(share), 1) for code, share in found})
    return shares


def submitter_of(table: str | None, code: str) -> str:
    """What the organisation of code ``code`` that sent a file of ``table`` is called (the
    table's ``submitter``: provider, council); for a file whose table is not known, the
    submitter of the first table whose organisation code ``code`` is shaped like."""
    if table in EXTRACT_TABLES:
        return EXTRACT_TABLES[table].submitter
    for spec in EXTRACT_TABLES.values():
        pattern = spec.organisation_pattern
        if pattern and re.fullmatch(pattern.strip("^$"), code):
            return spec.submitter
    return "provider"


def collect_feedback(
    report: dict, store: Path | None, load_date: str
) -> dict[str, ProviderFeedback]:
    """Each provider's part of the load described by ``report`` (the store just written; None
    when nothing was loaded, so there are no rejected rows or stored persons to report)."""
    from workbench.store import load_store  # the store's reader imports ingest: import late

    loaded_at = report["loaded_at"]
    by_provider: dict[str, ProviderFeedback] = {}

    def entry(provider: str, table: str | None) -> ProviderFeedback:
        return by_provider.setdefault(
            provider,
            ProviderFeedback(
                provider,
                loaded_at,
                load_date,
                report.get("version"),
                submitter=submitter_of(table, provider),
            ),
        )

    for f in report.get("files", []):
        entry(f["provider_code"], f["table"]).accepted.append(f)
    for q in report.get("quarantined", []):
        if q["provider_code"]:
            entry(q["provider_code"], q["table"]).quarantined.append(q)
    for f in [*report.get("files", []), *report.get("quarantined", [])]:
        folder, code = Path(f["path"]).parent.name, f["provider_code"]
        if code and ORGANISATION_CODE.fullmatch(folder) and folder != code:
            for provider in (folder, code):
                entry(provider, f["table"]).misfiled.append(Path(f["path"]).name)
    rows: dict[str, pd.DataFrame] = {}
    known: dict[str, float] = {}
    if store is not None:
        opened = load_store(store)
        try:
            file_owner = {f["path"]: f["provider_code"] for f in report.get("files", [])}
            rows = _rejected_rows(opened, file_owner, report.get("load"))
            known = _ethnicity_known_pct(opened)
        finally:
            opened.con.disconnect()
    for provider, feedback in by_provider.items():
        feedback.rejected_rows = rows.get(provider, pd.DataFrame(columns=REJECTED_COLUMNS))
        feedback.ethnicity_known_pct = known.get(provider)
    return by_provider


def _history(folder: Path, figures: dict) -> list[dict]:
    """The provider's history, oldest first, with this load's figures last."""
    path = folder / HISTORY_FILE
    history = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    return [*history, figures]


def _files_frame(feedback: ProviderFeedback) -> pd.DataFrame:
    rows = [
        {
            "file": Path(f["path"]).name,
            "table": f["table"],
            "outcome": "accepted",
            "rows_read": f["read"],
            "loaded": f["loaded"],
            "superseded": f["superseded"],
            "rejected": f["rejected"],
            "rows_quarantined": 0,
            "reasons": "",
        }
        for f in feedback.accepted
    ] + [
        {
            "file": Path(q["path"]).name,
            "table": q["table"] or "",
            "outcome": "quarantined",
            "rows_read": 0,
            "loaded": 0,
            "superseded": 0,
            "rejected": 0,
            "rows_quarantined": q["rows"],
            "reasons": " | ".join(_without_path(r, q["path"]) for r in q["reasons"]),
        }
        for q in feedback.quarantined
    ]
    return pd.DataFrame(rows)


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#1d1d1d;line-height:1.45}
h1{color:#005eb8;margin-bottom:.2rem}h2{color:#003087;margin-top:2rem;border-bottom:2px solid
#e8edee;padding-bottom:.2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;
font-size:.92rem}th,td{border:1px solid #d8dde0;padding:.35rem .5rem;text-align:left;
vertical-align:top}th{background:#f0f4f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bad{background:#fde8e8}.ok{background:#e8f5e9}.note{color:#4c6272}.tiles{display:flex;gap:1rem;
flex-wrap:wrap}.tile{border:1px solid #d8dde0;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
.tile b{display:block;font-size:1.6rem}tr.this{font-weight:bold;background:#fff9c4}
ul{margin:0;padding-left:1.1rem}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _num(value: object) -> str:
    if value is None:
        return "&ndash;"
    return f"{value:,}" if isinstance(value, int) else _e(value)


def _pct(value: float | None) -> str:
    return "&ndash;" if value is None else f"{value:.1f}%"


def _trend(history: list[dict], key: str, higher_is_better: bool) -> str:
    """A sentence comparing this load's figure with the provider's latest earlier load that
    has one (a load in which nothing of the provider's was read has none)."""
    earlier = [h[key] for h in history[:-1] if h[key] is not None]
    now = history[-1][key]
    if now is None or not earlier:
        return "no earlier load to compare with"
    before = earlier[-1]
    if now == before:
        return f"the same as the previous load ({_pct(before)})"
    better = (now > before) == higher_is_better
    return f"{'better' if better else 'worse'} than the previous load ({_pct(before)})"


def _header(f: ProviderFeedback, figures: dict) -> list[str]:
    """The page head, the title, who the page is for and the tiles of this load's figures."""
    return [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Submission feedback for {_e(f.provider)}</title><style>{_STYLE}</style>",
        "</head><body>",
        f"<h1>Submission feedback for {_e(f.submitter)} {_e(f.provider)}</h1>",
        f"<p class='note'>Load of {_e(moment_text(f.loaded_at))} "
        f"(load date {_e(f.load_date)}). This report is for this {_e(f.submitter)} only: it "
        "lists your "
        "own record keys so that you can find and correct each record. Do not forward it "
        "outside your organisation.</p>",
        "<div class='tiles'>",
        f"<div class='tile'><b>{len(f.accepted)}</b>files accepted</div>",
        f"<div class='tile'><b>{len(f.quarantined)}</b>files quarantined</div>",
        f"<div class='tile'><b>{f.rows_read:,}</b>rows read</div>",
        f"<div class='tile'><b>{f.rows_rejected:,}</b>rows rejected "
        f"({_pct(figures['rejected_pct'])})</div>",
        f"<div class='tile'><b>{_pct(f.ethnicity_known_pct)}</b>ethnicity known</div>",
        "</div>",
    ]


def _what_to_do(f: ProviderFeedback) -> list[str]:
    """What the provider should do: resend quarantined files, correct rejected rows, or
    nothing."""
    parts = ["<h2>What to do</h2><ul>"]
    if f.quarantined:
        parts.append(
            "<li>Correct and resend each <b>quarantined</b> file: none of its rows was loaded.</li>"
        )
    if f.rows_rejected:
        parts.append(
            "<li>Correct each <b>rejected</b> row (find it by file, row number and record key) "
            "and send it again in your next submission. The rest of those files was loaded."
            "</li>"
        )
    if not f.quarantined and not f.rows_rejected:
        parts.append("<li>Nothing: every file was accepted and every row passed.</li>")
    parts.append("</ul>")
    return parts


def _quarantined_section(f: ProviderFeedback) -> list[str]:
    """The files quarantined, each with its reasons (without the path of the load's folder)."""
    parts = ["<h2>Files quarantined</h2>"]
    if not f.quarantined:
        return [*parts, "<p>None.</p>"]
    parts.append("<table><tr><th>file</th><th>table</th><th>rows</th><th>reasons</th></tr>")
    for q in f.quarantined:
        reasons = "".join(f"<li>{_e(_without_path(r, q['path']))}</li>" for r in q["reasons"])
        parts.append(
            f"<tr class='bad'><td>{_e(Path(q['path']).name)}</td><td>{_e(q['table'])}</td>"
            f"<td class='n'>{_num(q['rows'])}</td><td><ul>{reasons}</ul></td></tr>"
        )
    parts.append("</table>")
    return parts


def _misfiled_section(f: ProviderFeedback) -> list[str]:
    """The files sent in one provider's folder but named for another (none: no section)."""
    if not f.misfiled:
        return []
    names = "".join(f"<li>{_e(name)}</li>" for name in f.misfiled)
    return [
        "<h2>Files misfiled</h2>",
        "<p class='bad'>These files sit in one organisation's folder but their names give "
        "another; each was loaded for the organisation its name gives, and only that one is "
        "shown its rows. Put each file in the folder of the organisation its name gives, or "
        f"rename it.</p><ul>{names}</ul>",
    ]


def _history_section(history: list[dict], figures: dict, submitter: str) -> list[str]:
    """This load's rejected % and ethnicity known % against the provider's previous loads, with
    a table of every load, newest first (the ethnicity of a provider's persons, or of a
    council's client events: :data:`ETHNICITY`)."""
    parts = [
        "<h2>Data quality against your previous loads</h2>",
        f"<p>Rejected rows: {_pct(figures['rejected_pct'])}, "
        f"{_e(_trend(history, 'rejected_pct', higher_is_better=False))}. Ethnicity known "
        f"({_e(ETHNICITY.get(submitter, ETHNICITY['provider'])[3])}): "
        f"{_pct(figures['ethnicity_known_pct'])}, "
        f"{_e(_trend(history, 'ethnicity_known_pct', higher_is_better=True))}.</p>",
        "<table><tr><th>load</th><th>files accepted</th><th>files quarantined</th>"
        "<th>rows read</th><th>rejected %</th><th>ethnicity known %</th></tr>",
    ]
    for h in reversed(history):
        cls = " class='this'" if h is figures else ""
        parts.append(
            f"<tr{cls}><td>{_e(moment_text(h['loaded_at']))}</td>"
            f"<td class='n'>{_num(h['files_accepted'])}</td>"
            f"<td class='n'>{_num(h['files_quarantined'])}</td>"
            f"<td class='n'>{_num(h['rows_read'])}</td><td class='n'>{_pct(h['rejected_pct'])}"
            f"</td><td class='n'>{_pct(h['ethnicity_known_pct'])}</td></tr>"
        )
    parts.append("</table>")
    return parts


def _rejected_section(rows: pd.DataFrame) -> list[str]:
    """The rejected rows: counts by table, field and problem, then each row with each problem
    (the first :data:`ROWS_SHOWN`; the CSV has every one)."""
    if not len(rows):
        return ["<h2>Rejected rows</h2>", "<p>None.</p>"]
    counts = Counter(zip(rows["table"], rows["field"], rows["problem"], strict=True))
    parts = [
        "<h2>Rejected rows</h2>",
        "<p>By problem (a row can have more than one):</p><table><tr><th>table</th>"
        "<th>field</th><th>problem</th><th>rows</th></tr>",
    ]
    for (table, column, problem), n in counts.most_common():
        parts.append(
            f"<tr><td>{_e(table)}</td><td>{_e(column)}</td><td>{_e(problem)}</td>"
            f"<td class='n'>{n:,}</td></tr>"
        )
    parts.append("</table>")
    more = (
        f" The first {ROWS_SHOWN:,} of {len(rows):,} are shown; {REJECTED_CSV} has them all."
        if len(rows) > ROWS_SHOWN
        else f" {REJECTED_CSV} has the same list for your own tools."
    )
    parts.append(
        f"<p>Each row with each problem.{_e(more)}</p><table><tr><th>file</th>"
        "<th>row</th><th>record key</th><th>field</th><th>problem</th></tr>"
    )
    for r in rows.head(ROWS_SHOWN).itertuples(index=False):
        parts.append(
            f"<tr><td>{_e(r.file)}</td><td class='n'>{_num(int(r.row))}</td>"
            f"<td>{_e(r.record_key)}</td><td>{_e(r.field)}</td><td>{_e(r.problem)}</td></tr>"
        )
    parts.append("</table>")
    return parts


def _accepted_section(f: ProviderFeedback) -> list[str]:
    """The files accepted with their rows read, loaded, superseded and rejected."""
    parts = ["<h2>Files accepted</h2>"]
    if not f.accepted:
        return [*parts, "<p>None.</p>"]
    parts.append(
        "<table><tr><th>file</th><th>table</th><th>submitted</th><th>read</th>"
        "<th>loaded</th><th>superseded</th><th>rejected</th></tr>"
    )
    for a in f.accepted:
        cls = " class='bad'" if a["rejected"] else ""
        parts.append(
            f"<tr{cls}><td>{_e(Path(a['path']).name)}</td><td>{_e(a['table'])}</td>"
            f"<td>{_e(a['submission_date'])}</td><td class='n'>{_num(a['read'])}</td>"
            f"<td class='n'>{_num(a['loaded'])}</td><td class='n'>{_num(a['superseded'])}"
            f"</td><td class='n'>{_num(a['rejected'])}</td></tr>"
        )
    parts.append("</table>")
    return parts


def render_html(feedback: ProviderFeedback, history: list[dict]) -> str:
    """The provider's feedback page: self-contained HTML, every value escaped. ``history`` is
    the provider's figures per load, this load's last."""
    figures = history[-1]
    parts = [
        *_header(feedback, figures),
        *_what_to_do(feedback),
        *_quarantined_section(feedback),
        *_misfiled_section(feedback),
        *_history_section(history, figures, feedback.submitter),
        *_rejected_section(feedback.rejected_rows),
        *_accepted_section(feedback),
        "</body></html>\n",
    ]
    return "\n".join(parts)


def _stamp(loaded_at: str) -> str:
    """A folder name for a load time: ``2026-12-02T02:40:00+00:00`` gives ``20261202T024000Z``."""
    return loaded_at.replace("-", "").replace(":", "").replace("+0000", "Z")


def write_provider_feedback(folder: Path, feedback: ProviderFeedback) -> Path:
    """Write one provider's (or council's) feedback for one load, and update its history;
    returns the load's folder."""
    provider_folder = folder / feedback.provider
    provider_folder.mkdir(parents=True, exist_ok=True)
    stamp = _stamp(feedback.loaded_at)
    out = provider_folder / stamp
    n = 1
    while out.exists():  # two loads in one second each keep their own report
        n += 1
        out = provider_folder / f"{stamp}-{n}"
    out.mkdir()
    history = _history(provider_folder, feedback.figures())
    write_csv(_files_frame(feedback), out / FILES_CSV)
    write_csv(feedback.rejected_rows, out / REJECTED_CSV)
    write_atomic(out / REPORT_HTML, render_html(feedback, history))
    write_atomic(provider_folder / HISTORY_FILE, json.dumps(history, indent=2) + "\n")
    return out


def _written(provider_folder: Path, loaded_at: str, version: str | None) -> bool:
    """Whether the provider's history already holds the load of ``loaded_at`` into store
    ``version`` (its history is written last, once its page and CSV files are)."""
    path = provider_folder / HISTORY_FILE
    if version is None or not path.exists():
        return False
    history = json.loads(path.read_text(encoding="utf-8"))
    return any(h.get("loaded_at") == loaded_at and h.get("version") == version for h in history)


def providers_missing(report: dict, folder: Path) -> list[str]:
    """The providers of the load ``report`` describes whose feedback is not yet written below
    ``folder`` (a run stopped after the store switched, before every page was written)."""
    named = set()
    for f in [*report.get("files", []), *report.get("quarantined", [])]:
        sent_in = Path(f["path"]).parent.name
        named |= {f["provider_code"]} if f["provider_code"] else set()
        named |= {sent_in} if f["provider_code"] and ORGANISATION_CODE.fullmatch(sent_in) else set()
    return sorted(
        p for p in named if not _written(folder / p, report["loaded_at"], report.get("version"))
    )


def write_feedback(
    report: dict, store: Path, folder: str | Path | None = None, load_date: dt.date | None = None
) -> Path:
    """Write every provider's feedback for the load ``report`` describes (the store at
    ``store`` just written) below ``folder`` (default :func:`default_feedback_folder`);
    returns the folder. A provider whose feedback for this load and version is already
    written is left as it is, so a run stopped part-way is finished by the next
    (:func:`providers_missing`). OutputError when it cannot be written."""
    return _write_all(report, store, store, folder, load_date)


def write_quarantine_feedback(
    quarantined: list[QuarantinedFile],
    store: Path,
    folder: str | Path | None = None,
    load_date: dt.date | None = None,
) -> Path:
    """Write the feedback of a load that stopped because every file was quarantined: each
    provider learns which of its files were set aside and why (nothing was loaded)."""
    report = {
        "loaded_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "files": [],
        "quarantined": [q.to_dict() for q in quarantined],
    }
    return _write_all(report, None, store, folder, load_date)


def _write_all(
    report: dict,
    written: Path | None,
    store: Path,
    folder: str | Path | None,
    load_date: dt.date | None,
) -> Path:
    target = Path(folder) if folder else default_feedback_folder(store)
    day = (load_date or dt.date.today()).isoformat()
    try:
        for feedback in collect_feedback(report, written, day).values():
            if not _written(target / feedback.provider, feedback.loaded_at, feedback.version):
                write_provider_feedback(target, feedback)
    except OSError as err:
        raise output_error(err, target) from None
    return target
