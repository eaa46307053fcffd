"""The load history of a store: one record per load, and the store's totals after it.

``load_history.json`` (store_layout.py) lists every load into the store since it was last
built from scratch: when, the files with their checksums and fates, and per table the rows this
load read, loaded, superseded and rejected, the rows in its quarantined files (never read into
the store), the stored rows it displaced to superseded and the waiting orphans it loaded, and
the store's totals after it. Per load, rows read = loaded + superseded + rejected, and the
totals grew by exactly the rows read; in total, the rows read by every load, less the rows a
purge removed (a ``purge`` entry, ingest/purge.py), = the store's loaded + superseded +
rejected (measures.md section 1). Counts only: no record-level value.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from workbench.errors import ReconciliationError
from workbench.ingest.load import TableOutcome
from workbench.spec import EXTRACT_TABLES
from workbench.store_layout import (
    HISTORY_JSON,
    KINDS,
    live_row_count,
    live_rows_sql,
)


def read_history(version: Path | None) -> list[dict]:
    """The loads recorded in ``version`` (empty for no version or a store without history)."""
    if version is None or not (version / HISTORY_JSON).exists():
        return []
    return json.loads((version / HISTORY_JSON).read_text(encoding="utf-8"))


def loaded_checksums(history: list[dict]) -> set[tuple[str, str]]:
    """The name and SHA-256 of every file any recorded load read: a file is already loaded
    only when both match (the same bytes under a new date in the name are a new submission)."""
    return {(Path(f["path"]).name, f["sha256"]) for load in history for f in load["files"]}


def store_totals(version: Path) -> dict[str, dict[str, int]]:
    """Live rows per table and kind (tables as ``loaded``, superseded, rejects as
    ``rejected``): each segment's rows minus the rows the version's deletion files delete
    from it (store_layout.live_row_count, from the files' footers and the deletion files).
    Every table of the extract; one a version written before it was in the extract (CLD)
    does not hold counts none."""
    names = {"tables": "loaded", "superseded": "superseded", "rejects": "rejected"}
    return {
        table: {names[kind]: live_row_count(version, kind, table) for kind in KINDS}
        for table in EXTRACT_TABLES
    }


def reject_reasons(version: Path) -> dict[str, dict[str, int]]:
    """Rejected rows of every table in ``version`` by reason (a row can have several)."""
    reasons: dict[str, dict[str, int]] = {}
    with duckdb.connect() as con:
        for table in EXTRACT_TABLES:
            rejects = live_rows_sql(version, "rejects", table)
            reasons[table] = dict(
                con.execute(
                    f"SELECT r, count(*) FROM (SELECT unnest(reasons) AS r "
                    f"FROM ({rejects})) GROUP BY r ORDER BY count(*) DESC, r"
                ).fetchall()
            )
    return reasons


def files_sha256(files: list[dict]) -> str:
    """One checksum for every file in the store: SHA-256 over each name and content checksum
    (the same rule as a full load's ``source_sha256``)."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: Path(f["path"]).name):
        digest.update(f"{Path(f['path']).name}\t{f['sha256']}\n".encode())
    return digest.hexdigest()


def load_record(
    load: int,
    mode: str,
    report: dict,
    outcomes: dict[str, TableOutcome],
    before: dict[str, dict[str, int]],
    after: dict[str, dict[str, int]],
    skipped: list[str],
) -> dict:
    """This load's record; ReconciliationError when its counts do not add up."""
    tables = {}
    for name, o in outcomes.items():
        grew = sum(after[name].values()) - sum(before[name].values())
        if not o.reconciles or grew != o.read:
            raise ReconciliationError(
                f"{name}: this load read {o.read:,} rows; loaded {o.loaded:,} + superseded "
                f"{o.superseded:,} + rejected {o.rejected:,}, and the store grew by {grew:,}. "
                "They do not add up. This is a fault in the workbench; please report it with "
                "the load command."
            )
        tables[name] = {
            "read": o.read,
            "loaded": o.loaded,
            "superseded": o.superseded,
            "rejected": o.rejected,
            "quarantined": report.get("quarantined_by_table", {}).get(name, {}).get("rows", 0),
            "displaced": o.displaced,
            "orphans_loaded": o.promoted,
            "store_after": after[name],
        }
    return {
        "load": load,
        "mode": mode,
        "loaded_at": report["loaded_at"],
        "source": report["source"],
        "files": report["files"],
        "skipped_files": skipped,
        "quarantined_files": report.get("quarantined", []),
        "tables": tables,
        "reconciled": True,
    }


def check_total(history: list[dict], after: dict[str, dict[str, int]]) -> None:
    """Rows read by every load, less the rows purged (ingest/purge.py) = the store's rows,
    per table (a load recorded before a table was in the extract read none of it);
    ReconciliationError if not."""
    for name in EXTRACT_TABLES:
        done = [load["tables"].get(name, {}) for load in history]
        read = sum(t.get("read", 0) - t.get("purged", 0) for t in done)
        held = sum(after[name].values())
        if read != held:
            raise ReconciliationError(
                f"{name}: the loads read {read:,} rows in all but the store holds {held:,} "
                "(loaded + superseded + rejected). This is a fault in the workbench; please "
                "report it with the load command."
            )


def write_history(history: list[dict], folder: Path) -> None:
    """Write ``load_history.json`` into the version ``folder``."""
    (folder / HISTORY_JSON).write_text(json.dumps(history, indent=2) + "\n", encoding="utf-8")
