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
        deleted/<kind>/<table>/L000003.parquet   the rows load 3 removed from earlier segments
        pending/<table>.parquet              orphans kept whole to re-check at the next load
      tables -> current/tables          fixed links, so that STORE/tables/... always shows the
      superseded, rejects, load_report.json, load_report.txt, load_history.json   current version
      .lock                             the writer lock (workbench/store_lock.py)

A table is the union of its segments minus the rows its deletion files name (its *live rows*,
:func:`live_rows_sql`). Each load adds segments named after the load (``L000003.parquet``).
A stored row the load displaces (tables) or re-ranks (superseded) is not removed from its
segment: the load names it in ONE deletion file per kind and table (``deleted/<kind>/<table>/
L000003.parquet``: the row's identity, :data:`ROW_IDENTITY`, and the name of the segment that
holds it, :data:`DELETED_SEGMENT`) and writes the row's new place into its own segments. Segments
and the earlier deletion files are hard links to the previous version's files, so a load costs
what it adds, not what the store holds (docs/store_format.md). The one exception: a segment of
which more than half the rows are deleted (:func:`should_rewrite`) is rewritten without them,
under a new name (:func:`rewritten_segment_name`), and deletion files whose rows all name
segments no longer in the version are not carried forward. Deletion files sit outside the
segment folders because Spark reads a segment folder whole. Segments carry three lineage columns
(:data:`LINEAGE`) that order versions across loads and identify rows; readers apply the
deletions, then select the specification's columns and drop lineage.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.errors import WorkbenchError

CURRENT = "current"
VERSIONS = "versions"
LOCK = ".lock"
PENDING = "pending"
HISTORY_JSON = "load_history.json"
#: The load report of a version (ingest/report.py writes it): for programs, and for a person.
REPORT_JSON = "load_report.json"
REPORT_TEXT = "load_report.txt"
#: The folder of a version's facts (facts/cache.py).
FACTS_FOLDER = "facts"
#: The kinds of row a store keeps, each a folder of per-table segment folders.
KINDS = ("tables", "superseded", "rejects")
#: Lineage columns on loaded and superseded rows: the load, the file's order within that load,
#: and the row number in the file. With ``submission_date`` they order the versions of a record
#: exactly as one full load would (measures.md section 1: date, then file order, then row order).
LINEAGE = ("_load", "_file_id", "_row")
SEGMENT_SUFFIX = ".parquet"
#: The rejects segment holding the orphans still waiting for their parent (rewritten each load).
PENDING_REJECTS = f"{PENDING}{SEGMENT_SUFFIX}"
#: The folder of deletion files in a version: ``deleted/<kind>/<table>/<load's segment name>``.
DELETED = "deleted"
#: The kinds a later load removes rows from, and the columns that name one row of each over the
#: store's life: a row is in ``tables`` at most once; a superseded row is written again with a
#: higher ``version`` each time a later version of its record arrives, so it is named with it.
ROW_IDENTITY: dict[str, tuple[str, ...]] = {
    "tables": LINEAGE,
    "superseded": (*LINEAGE, "version"),
}
#: The column of a deletion file naming the segment file (its name, not its path) that holds
#: the deleted row: how many rows of a segment are deleted is read from the deletion files alone.
DELETED_SEGMENT = "_segment"
#: A segment is rewritten (without its deleted rows) rather than given more deletions once more
#: than this share of its rows is deleted.
REWRITE_DELETED_SHARE = 0.5
#: Files and folders of the current version shown at the top of the store by a fixed link.
LINKED = (*KINDS, REPORT_JSON, REPORT_TEXT, HISTORY_JSON)


def version_name(number: int) -> str:
    """The folder name of version ``number`` (zero-padded, so names sort as numbers)."""
    return f"{number:06d}"


def segment_name(load: int) -> str:
    """The name of the segment load number ``load`` adds to a table."""
    return f"L{load:06d}{SEGMENT_SUFFIX}"


def rewritten_segment_name(name: str, load: int) -> str:
    """The name of segment ``name`` rewritten by load ``load`` without its deleted rows:
    ``L000001.parquet`` becomes ``L000001-R000005.parquet`` (a new name, so that the deletion
    files naming the old segment's rows no longer count against it; names still sort in the
    order of the loads that first wrote the rows)."""
    first = name.removesuffix(SEGMENT_SUFFIX).split("-")[0]
    return f"{first}-R{load:06d}{SEGMENT_SUFFIX}"


def should_rewrite(rows: int, deleted: int) -> bool:
    """Whether a segment of ``rows`` rows of which ``deleted`` are deleted is rewritten rather
    than carried forward with deletions: when more than half its rows are gone (an emptied
    segment is dropped). Keeps what a reader reads and skips within twice the live rows."""
    return deleted > rows * REWRITE_DELETED_SHARE


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


def deletion_folder(version: Path, kind: str, table: str) -> Path:
    """The folder of the deletion files of ``table``'s ``kind`` (tables, superseded)."""
    if kind not in ROW_IDENTITY:
        raise ValueError(f"no deletions of {kind!r}; loads delete from {', '.join(ROW_IDENTITY)}")
    return Path(version) / DELETED / kind / table


def deletion_files(version: Path, kind: str, table: str) -> list[Path]:
    """Every deletion file of ``table``'s ``kind`` in ``version``, in load order (none for a
    store no load has deleted from, and always none for rejects)."""
    if kind not in ROW_IDENTITY:
        return []
    folder = deletion_folder(version, kind, table)
    return sorted(p for p in folder.glob(f"*{SEGMENT_SUFFIX}") if not p.name.startswith("."))


def sql_file_list(files: list[Path]) -> str:
    """``files`` as a DuckDB list literal for ``read_parquet`` (quotes doubled)."""
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in files) + "]"


def live_rows_sql(version: Path, kind: str, table: str, *, filename: bool = False) -> str:
    """The live rows of ``table``'s ``kind`` in ``version`` as a DuckDB relation (SQL text):
    every row of its segments, with lineage (and ``filename``, each row's segment path, when
    asked), minus the rows its deletion files name (an anti-join on :data:`ROW_IDENTITY`; a
    plain read when there are none)."""
    files = segments(version, kind, table)
    rows = f"read_parquet({sql_file_list(files)}{', filename = true' if filename else ''})"
    deleted = deletion_files(version, kind, table)
    if not deleted:
        return f"SELECT * FROM {rows}"
    identity = ", ".join(ROW_IDENTITY[kind])
    return (
        f"SELECT * FROM {rows} ANTI JOIN "
        f"(SELECT {identity} FROM read_parquet({sql_file_list(deleted)})) USING ({identity})"
    )


def deleted_per_segment(version: Path, kind: str, table: str) -> dict[str, int]:
    """Rows of each segment (by file name) that ``version``'s deletion files delete; read from
    the deletion files alone. Names of segments no longer in the version may appear."""
    counts: dict[str, int] = {}
    for path in deletion_files(version, kind, table):
        names = pq.read_table(path, columns=[DELETED_SEGMENT]).column(0).value_counts()
        for item in names.to_pylist():
            counts[item["values"]] = counts.get(item["values"], 0) + item["counts"]
    return counts


def live_row_count(version: Path, kind: str, table: str) -> int:
    """How many live rows ``table``'s ``kind`` has in ``version``: its segments' rows (from
    their footers) minus the rows the deletion files delete from them, without reading a
    segment."""
    deleted = deleted_per_segment(version, kind, table)
    return sum(
        pq.ParquetFile(p).metadata.num_rows - deleted.get(p.name, 0)
        for p in segments(version, kind, table)
    )


def pending_file(version: Path, table: str) -> Path:
    """Where ``table``'s orphan rows wait for their parent (whole rows, typed, with lineage)."""
    return Path(version) / PENDING / f"{table}{SEGMENT_SUFFIX}"


def read_rows(store: str | Path, kind: str, table: str) -> pa.Table:
    """The live rows of ``table``'s ``kind`` in the current version of ``store``, as one Arrow
    table without the lineage columns (for tools and tests; measures use ``load_store``)."""
    with duckdb.connect() as con:
        rows = con.sql(live_rows_sql(current_version(store), kind, table)).arrow()
    if isinstance(rows, pa.RecordBatchReader):
        rows = rows.read_all()
    return rows.drop_columns([c for c in LINEAGE if c in rows.column_names])
