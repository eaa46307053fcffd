"""The layout of a store on disk, in one place: every writer and reader of a store asks here.

A store is a folder (the ``--out``/``--into`` STORE) holding versions and one pointer::

    STORE/
      current -> versions/000003        the pointer: a symlink replaced atomically by each load
      versions/000003/                  one complete, never-modified version per load
        load_report.json, load_report.txt   the store's totals and files (ingest/report.py)
        load_history.json                   one record per load (ingest/history.py)
        tables/<table>/<segment>.parquet     the latest valid version of every record
        superseded/<table>/<segment>.parquet earlier versions, with their version number
        rejects/<table>/<segment>.parquet    rejected rows: record key as sent, file, row, reasons
        pending/<table>.parquet              orphans kept whole to re-check at the next load
      tables -> current/tables          fixed links, so that STORE/tables/... always shows the
      superseded, rejects, load_report.json, load_report.txt, load_history.json   current version
      .lock                             the writer lock (workbench/store_lock.py)

A table is the union of its segments. Each load adds segments named after the load
(``L000003.parquet``) and rewrites only the segments holding a record it changes; unchanged
segments are hard links to the previous version's files, so a load costs what it adds, not what
the store holds (docs/store_format.md). Segments carry three lineage columns (:data:`LINEAGE`)
that order versions across loads; readers select the specification's columns and drop them.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from workbench.errors import WorkbenchError

CURRENT = "current"
VERSIONS = "versions"
LOCK = ".lock"
PENDING = "pending"
HISTORY_JSON = "load_history.json"
#: The kinds of row a store keeps, each a folder of per-table segment folders.
KINDS = ("tables", "superseded", "rejects")
#: Lineage columns on loaded and superseded rows: the load, the file's order within that load,
#: and the row number in the file. With ``submission_date`` they order the versions of a record
#: exactly as one full load would (measures.md section 1: date, then file order, then row order).
LINEAGE = ("_load", "_file_id", "_row")
SEGMENT_SUFFIX = ".parquet"
#: Files and folders of the current version shown at the top of the store by a fixed link.
LINKED = (*KINDS, "load_report.json", "load_report.txt", HISTORY_JSON)


def version_name(number: int) -> str:
    """The folder name of version ``number`` (zero-padded, so names sort as numbers)."""
    return f"{number:06d}"


def segment_name(load: int) -> str:
    """The name of the segment load number ``load`` adds to a table."""
    return f"L{load:06d}{SEGMENT_SUFFIX}"


def is_versioned(store: Path) -> bool:
    """Whether ``store`` has the versioned layout (a ``current`` pointer)."""
    return (Path(store) / CURRENT).is_symlink()


def current_version(store: str | Path) -> Path:
    """The folder of the version ``store`` shows now, resolved once so that a reader keeps one
    version even if a load switches the pointer meanwhile. A bare version folder (a copy of a
    store's ``current``) is its own version."""
    store = Path(store)
    if is_versioned(store):
        return (store / CURRENT).resolve()
    return store.resolve()


def segment_folder(version: Path, kind: str, table: str) -> Path:
    """The folder of ``table``'s segments of ``kind`` (tables, superseded, rejects)."""
    if kind not in KINDS:
        raise ValueError(f"no kind {kind!r}; a store keeps {', '.join(KINDS)}")
    return Path(version) / kind / table


def segments(version: Path, kind: str, table: str) -> list[Path]:
    """Every segment file of ``table``'s ``kind`` in ``version``, in load order. A store always
    has at least one (possibly empty) segment per table and kind."""
    folder = segment_folder(version, kind, table)
    found = sorted(p for p in folder.glob(f"*{SEGMENT_SUFFIX}") if not p.name.startswith("."))
    if not found:
        raise WorkbenchError(
            f"{folder}: no segments; the store is damaged or was not written by this version of "
            "the workbench. Rebuild it with `workbench ingest SRC --out STORE`"
        )
    return found


def pending_file(version: Path, table: str) -> Path:
    """Where ``table``'s orphan rows wait for their parent (whole rows, typed, with lineage)."""
    return Path(version) / PENDING / f"{table}{SEGMENT_SUFFIX}"


def read_rows(store: str | Path, kind: str, table: str) -> pa.Table:
    """All rows of ``table``'s ``kind`` in the current version of ``store``, as one Arrow
    table without the lineage columns (for tools and tests; measures use ``load_store``)."""
    parts = [pq.read_table(p) for p in segments(current_version(store), kind, table)]
    rows = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
    return rows.drop_columns([c for c in LINEAGE if c in rows.column_names])
