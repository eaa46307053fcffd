"""The load report: what was read, loaded, superseded and rejected, per table and per file.

Written as ``load_report.json`` (for programs and the DQ report) and ``load_report.txt`` (for a
person). Holds counts only: no record-level value. Files quarantined (set aside with their
reasons, :mod:`workbench.ingest.quarantine`) are listed with their rows, which are counted as
quarantined: rows received = read + quarantined, and read = loaded + superseded + rejected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from pathlib import Path

from workbench.ingest.load import TableOutcome
from workbench.ingest.quarantine import QuarantinedFile
from workbench.ingest.stage import StagedFile, StagingResult
from workbench.spec import EXTRACT_TABLES
from workbench.store_layout import REPORT_JSON, REPORT_TEXT

#: The start of the log message giving a load's step timings (benchmarks/ingest_vs_duckdb.py
#: reads it from the ingest's ``--log-file``).
TIMINGS_LOG = "step timings: "


def step_timings(staged: StagingResult, outcomes: dict[str, TableOutcome]) -> dict:
    """Wall seconds of a load's steps, for the load report's ``timings``: staging (every file
    read, with the identifier guard, whose own time is ``guard_seconds``) and each table's
    load (validation, orphans, versions, segments written)."""
    return {
        "guard_seconds": round(staged.guard_seconds, 3),
        "staging_seconds": round(staged.seconds, 3),
        "load_seconds": {name: round(o.seconds, 3) for name, o in outcomes.items()},
    }


def log_step_timings(timings: dict, feedback_seconds: float) -> None:
    """Log a load's step timings (the report's, and the providers' feedback pages written
    after the switch) as one INFO message: :data:`TIMINGS_LOG` then JSON."""
    every = {**timings, "feedback_seconds": round(feedback_seconds, 3)}
    logging.getLogger(__name__).info(TIMINGS_LOG + json.dumps(every))


def snapshot_sha256(files: list[StagedFile]) -> str:
    """One checksum for the whole input: SHA-256 over each file's name and content checksum."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.file.path.name):
        digest.update(f"{f.file.path.name}\t{f.sha256}\n".encode())
    return digest.hexdigest()


def build_report(
    source: Path,
    files: list[StagedFile],
    outcomes: dict[str, TableOutcome],
    version: str,
) -> dict:
    """The load report as a JSON-ready dict."""
    dates = [f.file.submission_date for f in files]
    tables = {
        name: {
            "read": o.read,
            "loaded": o.loaded,
            "superseded": o.superseded,
            "rejected": o.rejected,
            "reconciled": o.reconciles,
            "files": sum(1 for f in files if f.file.table == name),
            "reject_reasons": o.reject_reasons,
        }
        for name, o in outcomes.items()
    }
    file_rows = []
    for f in files:
        counts = outcomes[f.file.table].per_file.get(
            f.file_id, {"read": 0, "loaded": 0, "superseded": 0, "rejected": 0}
        )
        file_rows.append(
            {
                "path": str(f.file.path),
                "file_id": f.file_id,
                "table": f.file.table,
                "provider_code": f.file.provider_code,
                "submission_date": f.file.submission_date.isoformat(),
                "sha256": f.sha256,
                **counts,
            }
        )
    return {
        "workbench_version": version,
        "source": str(source),
        "loaded_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "source_sha256": snapshot_sha256(files),
        "first_submission_date": min(dates).isoformat() if dates else None,
        "last_submission_date": max(dates).isoformat() if dates else None,
        **senders(file_rows),
        "reconciled": all(o.reconciles for o in outcomes.values()),
        "tables": tables,
        "files": file_rows,
    }


#: The table heading for quarantined files whose name does not say which table they are.
UNKNOWN_TABLE = "(unknown table)"


def quarantine_report(quarantined: list[QuarantinedFile]) -> dict:
    """The report's part on quarantined files: each file with its reasons and rows, and per
    table the files and rows set aside (rows of a file that cannot be read at all are
    unknown, and counted as such)."""
    by_table: dict[str, dict[str, int]] = {}
    for q in quarantined:
        tally = by_table.setdefault(q.table or UNKNOWN_TABLE, {"files": 0, "rows": 0})
        tally["files"] += 1
        if q.rows is None:
            tally["files_rows_unknown"] = tally.get("files_rows_unknown", 0) + 1
        else:
            tally["rows"] += q.rows
    return {
        "quarantined": [q.to_dict() for q in quarantined],
        "quarantined_by_table": by_table,
    }


def _quarantine_lines(report: dict) -> list[str]:
    quarantined = report.get("quarantined", [])
    if not quarantined:
        return []
    rows = sum(t["rows"] for t in report["quarantined_by_table"].values())
    lines = [
        "",
        f"Quarantined: {len(quarantined)} file(s) set aside, {rows:,} row(s) in them not loaded "
        "(counted as quarantined, not read). Resend each file corrected:",
    ]
    for q in quarantined:
        count = "rows unknown" if q["rows"] is None else f"{q['rows']:,} row(s)"
        lines.append(f"  {q['path']} ({count})")
        lines += [f"    - {reason}" for reason in q["reasons"]]
    return lines


def senders(files: list[dict]) -> dict[str, list[str]]:
    """The codes of the organisations that sent ``files`` (the report's file entries), by
    kind in the words of their tables' specification (``Table.submitter``): ``providers``
    always, ``councils`` when a council's Client Level Data is among them."""
    kinds: dict[str, set[str]] = {"provider": set()}
    for f in files:
        kind = EXTRACT_TABLES[f["table"]].submitter if f["table"] in EXTRACT_TABLES else "provider"
        kinds.setdefault(kind, set()).add(f["provider_code"])
    return {f"{kind}s": sorted(codes) for kind, codes in kinds.items()}


def senders_text(files: list[dict]) -> str:
    """How many organisations of each kind sent ``files``: ``8 provider(s) and 3 council(s)``."""
    parts = [f"{len(codes)} {kind[:-1]}(s)" for kind, codes in senders(files).items()]
    return " and ".join(parts)


def report_text(report: dict) -> str:
    """A readable summary of a load report."""
    lines = [
        f"Load report: {report['source']}",
        f"Loaded at {report['loaded_at']} by workbench {report['workbench_version']}",
        f"Submissions {report['first_submission_date']} to {report['last_submission_date']} "
        f"from {senders_text(report['files'])}, {len(report['files'])} file(s)",
        "",
        f"{'table':<18}{'read':>14}{'loaded':>14}{'superseded':>14}{'rejected':>12}  reconciled",
    ]
    for name, t in report["tables"].items():
        lines.append(
            f"{name:<18}{t['read']:>14,}{t['loaded']:>14,}{t['superseded']:>14,}"
            f"{t['rejected']:>12,}  {'yes' if t['reconciled'] else 'NO'}"
        )
    rejected = [(name, t) for name, t in report["tables"].items() if t["reject_reasons"]]
    if rejected:
        lines += ["", "Rejected rows by reason (a row can have more than one reason):"]
        for name, t in rejected:
            for reason, n in t["reject_reasons"].items():
                lines.append(f"  {name}.{reason}: {n:,}")
    lines += _quarantine_lines(report)
    lines += [
        "",
        "Rejected rows, with their reasons, are in rejects/<table>.parquet; earlier "
        "versions of records are in superseded/<table>.parquet.",
    ]
    return "\n".join(lines) + "\n"


def write_report(report: dict, folder: Path) -> None:
    """Write ``load_report.json`` and ``load_report.txt`` into ``folder``."""
    (folder / REPORT_JSON).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (folder / REPORT_TEXT).write_text(report_text(report), encoding="utf-8")
