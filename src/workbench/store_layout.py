"""The layout of a store on disk, in one place: every writer and reader of a store asks here.

A store is a folder (the ``--out``/``--into`` STORE) holding versions and one pointer::

    STORE/
      CURRENT                           the pointer: the name of the current version folder
                                        ("000003"), a small text file replaced atomically
                                        (``os.replace``) by each load
      versions/000003/                  one complete, never-modified version per load
        manifest.json                       the version's segment and deletion files, by path
        load_report.json, load_report.txt   the store's totals and files (ingest/report.py)
        load_history.json                   one record per load (ingest/history.py)
        tables/<table>/L000003.parquet       the rows this load wrote: the latest valid version
        superseded/<table>/L000003.parquet   of every record it placed; earlier versions, with
        rejects/<table>/L000003.parquet      their version number; rejected rows (record key as
                                             sent, file, row, reasons), pending.parquet the
                                             orphans still waiting
        deleted/<kind>/<table>/L000003.parquet   the rows load 3 removed from earlier segments
        pending/<table>.parquet              orphans kept whole to re-check at the next load
      .lock                             the writer lock (workbench/store_lock.py)

A version's ``manifest.json`` (:data:`MANIFEST`) lists, per kind and table, every segment and
deletion file the version is made of, each by its path relative to the version folder: the
files this load wrote (``tables/mpi/L000003.parquet``) and the unchanged files of earlier
versions it carries forward (``../000001/tables/mpi/L000001.parquet``). Nothing is copied or
linked, so a load costs what it adds, not what the store holds, on any file system (network
drives and cloud folders have no hard links). A version folder dropped by a later load keeps the
files a kept version's manifest still names, and nothing else (store_switch.py). A version
written by the release before manifests (its files all in its own folder, hard links to earlier
ones) has no manifest: its folders are its files. Paths in a manifest use ``/`` on every
system, so a store written on Linux reads on Windows and a copy of the whole STORE folder reads
like the original.

Stores written before the pointer file had symlinks: ``current`` to the version, and ``tables``,
``superseded``, ... into it (:data:`OLD_POINTER`, :data:`OLD_LINKS`). Readers follow them while
they are there; the next load writes ``CURRENT`` and removes them (docs/store_format.md).

A table is the union of its segments minus the rows its deletion files name (its *live rows*,
:func:`live_rows_sql`). Each load adds segments named after the load (``L000003.parquet``).
A stored row the load displaces (tables) or re-ranks (superseded) is not removed from its
segment: the load names it in ONE deletion file per kind and table (``deleted/<kind>/<table>/
L000003.parquet``: the row's identity, :data:`ROW_IDENTITY`, and the name of the segment that
holds it, :data:`DELETED_SEGMENT`) and writes the row's new place into its own segments. The
one exception: a segment of which more than half the rows are deleted (:func:`should_rewrite`)
is rewritten without them, under a new name (:func:`rewritten_segment_name`), and deletion files
whose rows all name segments no longer in the version are not carried forward. A segment's name
is unique within its kind and table over the store's life. Segments carry three lineage columns
(:data:`LINEAGE`) that order versions across loads and identify rows, and the integer record key
(:data:`RECORD_KEY`, :data:`PARENT_KEY`) they are sorted and joined by; readers apply the
deletions, then select the specification's columns and drop these (:data:`INTERNAL`).
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.errors import WorkbenchError
from workbench.spec import EXTRACT_TABLES

#: The pointer: a text file holding the name of the current version's folder.
CURRENT = "CURRENT"
#: The pointer of stores written before ``CURRENT``: a symlink to the version folder.
OLD_POINTER = "current"
VERSIONS = "versions"
#: The file of a version listing its segment and deletion files (:func:`version_files`).
MANIFEST = "manifest.json"
#: The manifest's format: 2 lists files by path (1 was a version without a manifest).
MANIFEST_FORMAT = 2
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
#: The integer record key on every loaded, superseded, pending and deleted row: a 64-bit hash
#: of the record's key columns (provider code and record id, typed), :func:`record_key_sql`.
#: Loads join, rank, check orphans and delete by it; segments are sorted by it.
RECORD_KEY = "_key"
#: The integer key of a child row's parent reference (its parent's :data:`RECORD_KEY`).
PARENT_KEY = "_parent_key"
#: Columns a store keeps for its loads that readers drop (the lineage and the integer keys).
INTERNAL = (*LINEAGE, RECORD_KEY, PARENT_KEY)
#: Rows per row group of a loaded or superseded segment: small enough that the min/max
#: statistics of :data:`RECORD_KEY` let a load read only the row groups its keys fall in.
SEGMENT_ROW_GROUP_ROWS = 32_768
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
#: The DuckDB type a loaded or superseded column of each specification dtype is stored in
#: (ingest/validate.py types them; times are ``HH:MM:SS`` text, as Spark has no time type).
STORED_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "code": "VARCHAR",
    "time": "VARCHAR",
    "date": "DATE",
    "int": "BIGINT",
    "float": "DOUBLE",
}
#: The symlinks into ``current`` that stores written before ``CURRENT`` had at their top.
OLD_LINKS = (*KINDS, REPORT_JSON, REPORT_TEXT, HISTORY_JSON)
_VERSION_NAME = re.compile(r"^\d{6}$")


def record_key_sql(columns: list[str] | tuple[str, ...]) -> str:
    """DuckDB SQL of the integer record key of the (already quoted) ``columns``: DuckDB's
    64-bit ``hash()`` of them all, an unsigned integer, shifted by 2**63 into a signed BIGINT
    (every reader, Spark included, reads a BIGINT; the order and all 64 bits are kept). Two
    different keys may share a hash: loads check for it and stop (ingest/load.py). The hash is
    DuckDB's own, so a DuckDB release that changed it would change the keys: loads compare it
    with :data:`RECORD_KEY_CHECK` first and stop rather than mix two kinds of key."""
    return f"(hash({', '.join(columns)})::HUGEINT - 9223372036854775808)::BIGINT"


#: The record key of ('RXA', 'P1') that :func:`record_key_sql` gives on the DuckDB that wrote
#: every store with record keys; a load on a DuckDB giving another stops (ingest/load.py).
RECORD_KEY_CHECK = -4009254829809531184


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


def is_version_name(name: str) -> bool:
    """Whether ``name`` is a version folder's name (six digits)."""
    return bool(_VERSION_NAME.match(name))


def _old_pointer(store: Path) -> Path | None:
    """The ``current`` symlink of a store written before ``CURRENT``, if it has one."""
    link = store / OLD_POINTER
    return link if link.is_symlink() else None


def read_pointer(store: str | Path) -> str | None:
    """The name of the version ``STORE/CURRENT`` points to (None: no pointer file). On a file
    system that ignores case, ``CURRENT`` may be an old ``current`` symlink: that is not a
    pointer file."""
    pointer = Path(store) / CURRENT
    if pointer.is_symlink() or not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    if not is_version_name(name) or not (Path(store) / VERSIONS / name).is_dir():
        raise WorkbenchError(
            f"{pointer} names {name[:40]!r}, which is not a version of this store: the store is "
            "damaged. Rebuild it with `workbench ingest SRC --out STORE`"
        )
    return name


def is_versioned(store: Path) -> bool:
    """Whether ``store`` has the versioned layout (a ``CURRENT`` pointer file, or the
    ``current`` symlink of a store written before it)."""
    return read_pointer(store) is not None or _old_pointer(Path(store)) is not None


def current_version(store: str | Path) -> Path:
    """The folder of the version ``store`` shows now, read once from the pointer so that a
    reader keeps one version even if a load switches the pointer meanwhile (the pointer file;
    else the symlink of a store written before it). A folder with no pointer (a store written
    before versions) is its own version."""
    store = Path(store).resolve()
    name = read_pointer(store)
    if name is not None:
        return store / VERSIONS / name
    old = _old_pointer(store)
    return old.resolve() if old is not None else store


def segment_folder(version: Path, kind: str, table: str) -> Path:
    """The folder in ``version`` of the segments of ``table``'s ``kind`` (tables, superseded,
    rejects) that the version's own load writes; the version's segments are
    :func:`segments`."""
    if kind not in KINDS:
        raise ValueError(f"no kind {kind!r}; a store keeps {', '.join(KINDS)}")
    return Path(version) / kind / table


def manifest_key(kind: str, table: str, deleted: bool = False) -> str:
    """The key in a manifest of ``table``'s segments of ``kind`` (or, ``deleted``, of its
    deletion files): the folder they are written to in a version, ``tables/mpi`` or
    ``deleted/tables/mpi``."""
    return f"{DELETED}/{kind}/{table}" if deleted else f"{kind}/{table}"


def version_files(version: Path) -> dict[str, list[str]] | None:
    """The manifest of ``version``: per :func:`manifest_key`, its files as paths relative to
    the version folder with ``/`` (None for a version written before manifests)."""
    path = Path(version) / MANIFEST
    if not path.is_file():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != MANIFEST_FORMAT:
        raise WorkbenchError(
            f"{path}: manifest format {manifest.get('format')!r}; this version of the workbench "
            f"reads format {MANIFEST_FORMAT}. Use the workbench that wrote the store, or rebuild "
            "it with `workbench ingest SRC --out STORE`"
        )
    return manifest["files"]


def write_manifest(version: Path, files: dict[str, list[Path]]) -> None:
    """Write ``version``'s manifest: per :func:`manifest_key`, its files (absolute paths, each
    recorded relative to the version folder). Written while the version is being built, before
    it is renamed into place, so no reader sees it half written."""
    version = Path(version)
    relative = {
        key: [Path(os.path.relpath(p, version)).as_posix() for p in paths]
        for key, paths in sorted(files.items())
    }
    text = json.dumps({"format": MANIFEST_FORMAT, "files": relative}, indent=1)
    (version / MANIFEST).write_text(text + "\n", encoding="utf-8")


@functools.lru_cache(maxsize=8)
def _manifest_of(path: str, _changed: tuple[int, int]) -> dict[str, list[str]] | None:
    """:func:`version_files` of the version folder ``path``, kept while the manifest's time
    and size (``_changed``) stay the same: a load asks for each table's files many times."""
    return version_files(Path(path))


def _listed(version: Path, key: str) -> list[Path] | None:
    """The files the manifest of ``version`` lists under ``key``, as absolute paths in load
    order (None for a version written before manifests)."""
    try:
        stat = (Path(version) / MANIFEST).stat()
    except FileNotFoundError:
        return None
    files = _manifest_of(str(version), (stat.st_mtime_ns, stat.st_size))
    if files is None:
        return None
    return [Path(os.path.normpath(Path(version) / entry)) for entry in files.get(key, [])]


def _in_folder(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(f"*{SEGMENT_SUFFIX}") if not p.name.startswith("."))


def holds_table(version: Path, table: str) -> bool:
    """Whether ``version`` holds ``table`` at all: false for a version written before the table
    was in the extract (a store loaded before CLD has no ``cld_events``).

    Readers need not ask: :func:`live_rows_sql` and :func:`live_row_count` read such a table as
    holding no rows. Writers ask, because they decide which files the next version is made of:
    a load has no earlier segment of the table to rank against or carry forward
    (ingest/load.py), a purge keeps the version without the table (ingest/purge.py), and an
    export writes no file for it (ingest/export.py)."""
    version = Path(version)
    try:
        stat = (version / MANIFEST).stat()
    except FileNotFoundError:
        return segment_folder(version, "tables", table).is_dir()
    files = _manifest_of(str(version), (stat.st_mtime_ns, stat.st_size))
    if files is None:
        return segment_folder(version, "tables", table).is_dir()
    return manifest_key("tables", table) in files


def segments(version: Path, kind: str, table: str) -> list[Path]:
    """Every segment file of ``table``'s ``kind`` in ``version``, in load order: those its
    manifest lists (or, written before manifests, those in its folder). A store always has at
    least one (possibly empty) segment per table and kind."""
    folder = segment_folder(version, kind, table)
    found = _listed(Path(version), manifest_key(kind, table))
    if found is None:
        found = _in_folder(folder)
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
    found = _listed(Path(version), manifest_key(kind, table, deleted=True))
    return _in_folder(deletion_folder(version, kind, table)) if found is None else found


def sql_file_list(files: list[Path]) -> str:
    """``files`` as a DuckDB list literal for ``read_parquet`` (quotes doubled)."""
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in files) + "]"


def stored_columns(kind: str, table: str) -> list[tuple[str, str]]:
    """The columns of ``table``'s ``kind`` (tables, superseded, rejects) as loads write its
    segments (ingest/load.py), each with its DuckDB type: loaded rows have the
    specification's columns typed (:data:`STORED_TYPES`), ``submission_date``, the lineage and
    the integer keys; superseded rows also their ``version``, after ``submission_date``;
    rejected rows the record key as sent (text), the file, the row, ``submission_date`` and the
    reasons."""
    if kind not in KINDS:
        raise ValueError(f"no kind {kind!r}; a store keeps {', '.join(KINDS)}")
    if table not in EXTRACT_TABLES:
        raise WorkbenchError(
            f"no table {table!r} in the extract; a store holds {', '.join(EXTRACT_TABLES)}"
        )
    spec = EXTRACT_TABLES[table]
    if kind == "rejects":
        sent = [(c, "VARCHAR") for c in spec.column_names if c in spec.key]
        where = [("source_file", "VARCHAR"), ("source_row", "BIGINT"), ("submission_date", "DATE")]
        return [*sent, *where, ("reasons", "VARCHAR[]")]
    typed = [(c.name, STORED_TYPES[c.dtype]) for c in spec.columns]
    version = [("version", "BIGINT")] if kind == "superseded" else []
    lineage = list(zip(LINEAGE, ("INTEGER", "INTEGER", "BIGINT"), strict=True))
    keys = [(RECORD_KEY, "BIGINT")] + ([(PARENT_KEY, "BIGINT")] if spec.parent else [])
    return [*typed, ("submission_date", "DATE"), *version, *lineage, *keys]


def empty_rows_sql(kind: str, table: str, *, filename: bool = False) -> str:
    """A DuckDB relation (SQL text) with no rows and the columns of ``table``'s ``kind``
    (:func:`stored_columns`, and ``filename`` when asked): the live rows of a table in a
    version written before the table was in the extract."""
    columns = stored_columns(kind, table) + ([("filename", "VARCHAR")] if filename else [])
    typed = ", ".join(f'NULL::{sql_type} AS "{name}"' for name, sql_type in columns)
    return f"SELECT {typed} LIMIT 0"


def segment_columns(path: Path | str) -> frozenset[str]:
    """The column names of the segment at ``path``, from its footer (kept while the file's time
    and size stay the same)."""
    stat = Path(path).stat()
    return _footer_columns(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _footer_columns(path: str, _mtime: int, _size: int) -> frozenset[str]:
    return frozenset(pq.read_schema(path).names)


def is_current_segment(path: Path | str, kind: str, table: str) -> bool:
    """Whether the segment at ``path`` has every column a load writes today
    (:func:`stored_columns`). One written before record keys, or before a column joined the
    specification (the acute discharge date, for one), has not: readers fill the gap
    (:func:`segments_sql`) and the next load rewrites it."""
    have = segment_columns(path)
    return all(name in have for name, _ in stored_columns(kind, table))


def segments_sql(files: list[Path], kind: str, table: str, *, filename: bool = False) -> str:
    """The rows of the segment ``files`` of ``table``'s ``kind`` as a DuckDB relation (SQL
    text). Segments a load writes today are read as they are. When any is older
    (:func:`is_current_segment`), they are matched by column name and the columns come in the
    order of :func:`stored_columns`: a specification column no file has is NULL of its type, and
    integer keys no file has are left out (the load computes them). ``filename`` adds each
    row's segment path."""
    option = ", filename = true" if filename else ""
    if all(is_current_segment(p, kind, table) for p in files):
        return f"read_parquet({sql_file_list(files)}{option})"
    have = frozenset().union(*(segment_columns(p) for p in files))
    columns = [
        f'"{name}"' if name in have else f'NULL::{sql_type} AS "{name}"'
        for name, sql_type in stored_columns(kind, table)
        if name in have or name not in (RECORD_KEY, PARENT_KEY)
    ] + (["filename"] if filename else [])
    rows = f"read_parquet({sql_file_list(files)}, union_by_name = true{option})"
    return f"(SELECT {', '.join(columns)} FROM {rows})"


def live_rows_sql(version: Path, kind: str, table: str, *, filename: bool = False) -> str:
    """The live rows of ``table``'s ``kind`` in ``version`` as a DuckDB relation (SQL text):
    every row of its segments, with lineage (and ``filename``, each row's segment path, when
    asked), minus the rows its deletion files name (an anti-join on :data:`ROW_IDENTITY`; a
    plain read when there are none). A version written before the table was in the extract
    holds none of its rows: an empty relation with the table's columns
    (:func:`empty_rows_sql`), so no reader needs to ask :func:`holds_table`."""
    if not holds_table(version, table):
        return empty_rows_sql(kind, table, filename=filename)
    rows = segments_sql(segments(version, kind, table), kind, table, filename=filename)
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
    segment; none in a version written before the table was in the extract."""
    if not holds_table(version, table):
        return 0
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
    table without the lineage columns and integer keys (for tools and tests; measures use
    ``load_store``)."""
    with duckdb.connect() as con:
        rows = con.sql(live_rows_sql(current_version(store), kind, table)).arrow()
    if isinstance(rows, pa.RecordBatchReader):
        rows = rows.read_all()
    return rows.drop_columns([c for c in INTERNAL if c in rows.column_names])
