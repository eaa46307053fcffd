"""Turning staged text into a new store version: validate, reject orphans, keep the latest
version, against what the previous version already holds.

For each table, in parent-before-child order, every row read gets exactly one fate
(measures.md section 1):
- rejected: it breaks a validation rule (:mod:`workbench.ingest.validate`), or it is a child row
  whose parent is not loaded (an orphan). Every reason is kept, with the row's record key as
  sent, its file and row number; its other submitted values are not kept in rejects.
- loaded: it is the latest valid version of its key (submission date, then load, then file
  order, then row order: the last one wins).
- superseded: an earlier valid version of a loaded key.
A rejected resubmission does not remove the record: the latest valid version stays loaded.

Every table of the extract specification is loaded (``EXTRACT_TABLES``: CSDS's, then CLD's);
a previous version written before a table was in the extract is read as holding none of it.
A load adds to the previous version (``previous``; None for a first load): only the keys this
load touches are re-ranked, with their stored versions; stored rows it displaces move to
superseded. An orphan is also kept whole in ``pending/`` and checked again at every later load,
so a child whose parent arrives later ends as one full load of all the files would have it.
A stored row whose place changes (a loaded row displaced, a superseded row re-ranked to a
higher version) is written at its new place in this load's segments and named in this load's
deletion file; a stored row whose place does not change stays where it is. The new version's
manifest names the previous version's segments and deletion files where they are (nothing is
copied or linked), except a segment more than half deleted, which is rewritten without its
deleted rows (store_layout.py, docs/store_format.md).

Every row gets its integer record key at the load's first query (store_layout.record_key_sql:
a 64-bit hash of its key columns, and of its parent reference for a child): the orphan check,
the stored rows a load touches, the version window and the deletions all go by it, and two
different text keys under one integer key stop the load (never merged). Each table takes two
queries over its staged rows: ``checked`` (typing, validation reasons, the orphan check) and
``versions`` (the stored rows of the keys touched, ranked); the segments are written from them
sorted by the key, in small row groups. The working tables live in memory, or, for a load
too large for them to fit, in a database file in the staging folder (:func:`working_database`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.engine import duckdb_memory_limit, size_in_bytes, track
from workbench.errors import WorkbenchError
from workbench.ingest.stage import StagedFile, staging_schema
from workbench.ingest.validate import parse_select, quote, reason_text
from workbench.pause import reached
from workbench.spec import EXTRACT_TABLES as TABLES
from workbench.spec import Table
from workbench.store_layout import (
    DELETED_SEGMENT,
    KINDS,
    LINEAGE,
    PARENT_KEY,
    PENDING_REJECTS,
    RECORD_KEY,
    RECORD_KEY_CHECK,
    ROW_IDENTITY,
    SEGMENT_ROW_GROUP_ROWS,
    SEGMENT_SUFFIX,
    deleted_per_segment,
    deletion_files,
    deletion_folder,
    holds_table,
    is_current_segment,
    manifest_key,
    pending_file,
    record_key_sql,
    rewritten_segment_name,
    segment_columns,
    segment_folder,
    segment_name,
    segments,
    segments_sql,
    should_rewrite,
    sql_file_list,
    version_files,
    write_manifest,
)


@dataclass
class TableOutcome:
    """One table in one load: the fates of the rows this load read (per file and per reason),
    what it did to rows already stored, and the store's totals after it."""

    read: int = 0
    loaded: int = 0
    superseded: int = 0
    rejected: int = 0
    displaced: int = 0
    promoted: int = 0
    per_file: dict[int, dict[str, int]] = field(default_factory=dict)
    reject_reasons: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    #: Wall seconds the table's load took (a benchmark's per-step breakdown).
    seconds: float = 0.0
    #: The distinct ``person_id`` of the rows this load placed or moved (:func:`touched_persons`;
    #: None: the table has no way to its persons, so every person counts as touched).
    persons: pa.Array | None = None

    @property
    def reconciles(self) -> bool:
        return self.read == self.loaded + self.superseded + self.rejected


def rejects_columns(table: Table) -> list[str]:
    """The submitted columns a rejected row keeps: its record key (which includes the provider
    code), as sent. The other submitted values are not kept: the reasons name the column and
    the rule, and the file and row number find the row in the provider's own file."""
    return [c for c in table.column_names if c in table.key]


def _copy(con: duckdb.DuckDBPyConnection, select: str, path: Path, *, segment: bool = False) -> int:
    """Write ``select`` to ``path``; returns the rows written. A loaded or superseded segment
    (``segment``) is written in row groups of store_layout.SEGMENT_ROW_GROUP_ROWS rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    groups = f", ROW_GROUP_SIZE {SEGMENT_ROW_GROUP_ROWS}" if segment else ""
    con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION zstd{groups})")
    return pq.ParquetFile(path).metadata.num_rows


def _has_keys(path: str) -> bool:
    """Whether the segment at ``path`` has the integer record key (a segment written before
    record keys has not)."""
    return RECORD_KEY in segment_columns(path)


def key_columns(table: Table) -> list[str]:
    """The integer key columns ``table``'s stored rows carry: the record's, and the parent's."""
    return [RECORD_KEY] + ([PARENT_KEY] if table.parent else [])


def keys_sql(table: Table, suffix: str = "") -> str:
    """SQL computing ``table``'s integer keys (store_layout.record_key_sql) from its key
    columns (and its parent reference), each column's name ending in ``suffix``."""
    keys = [f"{record_key_sql([quote(c + suffix) for c in table.key])} AS {RECORD_KEY}"]
    if table.parent:
        parent = record_key_sql([quote(c + suffix) for c in table.parent.columns])
        keys.append(f"{parent} AS {PARENT_KEY}")
    return ", ".join(keys)


def _stored_sql(
    version: Path, kind: str, table: Table, columns: str, wanted: str, filename: bool = False
) -> str:
    """The live rows of ``table``'s ``kind`` in ``version`` whose record key is among the
    ``_key`` values of the relation ``wanted``: ``columns`` (which hold the kind's row
    identity, store_layout.ROW_IDENTITY, for the deletions), the integer keys (and
    ``filename``).

    The semi-join on the key sits on the segments' scan, so DuckDB reads only the row groups
    whose min/max of the key can hold a wanted key (docs/store_format.md). Segments written
    before record keys have their keys computed as they are read (the load then rewrites them).
    """
    files = segments(version, kind, table.name)
    keyed = all(_has_keys(str(p)) for p in files)
    keys = ", ".join(key_columns(table)) if keyed else keys_sql(table)
    rows = (
        f"SELECT {columns}, {keys}{', filename' if filename else ''} "
        f"FROM {segments_sql(files, kind, table.name, filename=filename)}"
    )
    rows = f"SELECT * FROM ({rows}) SEMI JOIN ({wanted}) USING ({RECORD_KEY})"
    deleted = deletion_files(version, kind, table.name)
    if not deleted:
        return rows
    identity = ", ".join(ROW_IDENTITY[kind])
    gone = f"SELECT {identity} FROM read_parquet({sql_file_list(deleted)})"
    return f"SELECT * FROM ({rows}) ANTI JOIN ({gone}) USING ({identity})"


def _candidates_sql(table: Table, staged: Path, load: int, pending: Path | None) -> str:
    """Rows to place: this load's staged rows (validated) and the previous version's orphans.
    Each has its raw record key, every typed column, its reasons, its lineage and its integer
    keys (an orphan kept by a load before record keys gets them here)."""
    raw = ", ".join("p." + quote(c) for c in rejects_columns(table))
    typed = ", ".join("p." + quote(c.name + "__typed") for c in table.columns)
    parsed = parse_select(table, f"read_parquet('{staged}')", "files")
    new = (
        f"SELECT {raw}, {typed}, p._reasons, p._submission_date, {load}::INTEGER AS _load, "
        f"p._file_id, p._row, f.path AS _source_file, FALSE AS _pending, "
        f"{keys_sql(table, '__typed')} "
        f"FROM ({parsed}) AS p "
        f"JOIN files AS f USING (_file_id)"
    )
    if pending is None:
        return new
    keys = "" if _has_keys(str(pending)) else ", " + keys_sql(table, "__typed")
    waiting = f"SELECT *{keys}, TRUE AS _pending FROM read_parquet('{pending}')"
    return f"{new}\nUNION ALL BY NAME\n{waiting}"


def _checked_sql(table: Table, out: Path, candidates: str) -> str:
    """Every candidate with ``_why`` (its reasons, or the orphan reason when it is valid and
    its parent is not loaded in the new version ``out``) and ``_clash`` (its parent's integer
    key matched a parent whose text key differs: a hash collision). One query: typing,
    validation and the orphan check; the parent's rows read are those the candidates name."""
    if table.parent is None:
        return f"WITH c AS ({candidates}) SELECT *, _reasons AS _why, FALSE AS _clash FROM c"
    parent_key = TABLES[table.parent.table].key
    names = ", ".join(quote(c) for c in parent_key)
    wanted = f"SELECT {PARENT_KEY} AS {RECORD_KEY} FROM c"
    parents = _stored_sql(
        out, "tables", TABLES[table.parent.table], f"{names}, {', '.join(LINEAGE)}", wanted
    )
    reason = reason_text(table.parent.columns[-1], "orphan", parent=table.parent.table)
    differs = " OR ".join(
        f"c.{quote(mine + '__typed')} IS DISTINCT FROM k.{quote(theirs)}"
        for mine, theirs in zip(table.parent.columns, parent_key, strict=True)
    )
    return (
        f"WITH c AS ({candidates}) SELECT c.*, "
        f"CASE WHEN len(c._reasons) = 0 AND k.{RECORD_KEY} IS NULL THEN ['{reason}'] "
        f"ELSE c._reasons END AS _why, "
        f"coalesce(k.{RECORD_KEY} IS NOT NULL AND ({differs}), FALSE) AS _clash "
        f"FROM c LEFT JOIN ({parents}) AS k ON c.{PARENT_KEY} = k.{RECORD_KEY}"
    )


def _rank(con: duckdb.DuckDBPyConnection, table: Table, previous: Path | None) -> None:
    """Create ``versions``: the valid rows of ``checked`` and the stored rows (tables and
    superseded, of ``previous``) of the record keys they touch, each with its ``version``
    (1 the latest: submission date, then load, file and row) and ``_clash`` (a row whose text
    key differs from its version 1's under the same integer key: a hash collision)."""
    spec = ", ".join(quote(c) for c in table.column_names)
    lineage = ", ".join(LINEAGE)
    keys = ", ".join(key_columns(table))
    touched = f"SELECT DISTINCT {RECORD_KEY} FROM checked WHERE len(_why) = 0"
    parts = []
    if previous is not None:
        for kind, stored_version in (("tables", "NULL::BIGINT"), ("superseded", "version")):
            columns = f"{spec}, submission_date, {lineage}" + (
                ", version" if kind == "superseded" else ""
            )
            rows = _stored_sql(
                previous, kind, table, columns, f"SELECT {RECORD_KEY} FROM touched", filename=True
            )
            parts.append(
                f"SELECT {spec}, submission_date, {lineage}, {keys}, filename AS _segment, "
                f"'{kind}' AS _kind, {stored_version} AS _stored_version FROM ({rows})"
            )
    typed_as_spec = ", ".join(f"{quote(c + '__typed')} AS {quote(c)}" for c in table.column_names)
    parts.append(
        f"SELECT {typed_as_spec}, _submission_date AS submission_date, {lineage}, {keys}, "
        "NULL::VARCHAR AS _segment, CASE WHEN _pending THEN 'pending' ELSE 'new' END AS _kind, "
        "NULL::BIGINT AS _stored_version FROM checked WHERE len(_why) = 0"
    )
    text_key = "row(" + ", ".join(quote(c) for c in table.key) + ")"
    con.execute(
        f"CREATE OR REPLACE TABLE versions AS WITH touched AS ({touched}) "
        f"SELECT *, row_number() OVER w AS version, "
        f"{text_key} IS DISTINCT FROM first_value({text_key}) OVER w AS _clash "
        f"FROM ({' UNION ALL '.join(parts)}) WINDOW w AS (PARTITION BY {RECORD_KEY} "
        "ORDER BY submission_date DESC, _load DESC, _file_id DESC, _row DESC)"
    )


def _check_no_clash(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """Stop the load if two different record keys of ``table`` (or a child's parent reference
    and a parent's key) share one integer key: they must never be merged."""
    found = con.execute(
        "SELECT (SELECT count(*) FROM checked WHERE _clash) "
        "+ (SELECT count(*) FROM versions WHERE _clash)"
    ).fetchone()
    if found and found[0]:
        raise WorkbenchError(
            f"{table.name}: {found[0]} row(s) have a record key that differs from another's "
            "but shares its 64-bit integer key (a hash collision, expected about once in "
            "10**11 stores). The load stopped and the store is unchanged; nothing was merged. "
            "Report it to the workbench's maintainers: the integer key must be widened"
        )


def load_table(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    staged: Path,
    out: Path,
    previous: Path | None,
    load: int,
) -> TableOutcome:
    """Place this load's rows of one table into the new version ``out``."""
    pending = pending_file(previous, table.name) if previous else None
    candidates = _candidates_sql(
        table, staged, load, pending if pending and pending.exists() else None
    )
    con.execute(f"CREATE OR REPLACE TABLE checked AS {_checked_sql(table, out, candidates)}")
    _rank(con, table, previous)
    _check_no_clash(con, table)
    persons = touched_persons(con, table, out)
    written = _write_segments(con, table, out, segment_name(load))
    carried = _carry_forward(con, table, previous, out, load) if previous is not None else {}
    for kind in KINDS:  # a load that adds nothing to a table adds no segment
        segment = segment_folder(out, kind, table.name) / segment_name(load)
        others = carried.get(manifest_key(kind, table.name), []) + _own(segment.parent)
        if written[kind] == 0 and len(others) > 1:
            segment.unlink()
    _record_files(out, table.name, carried)
    outcome = _outcome(con)
    outcome.persons = persons
    return outcome


def touched_persons(con: duckdb.DuckDBPyConnection, table: Table, out: Path) -> pa.Array | None:
    """The persons this load touches in ``table``: the distinct ``person_id`` of every row of
    ``versions`` (the rows it places, and the stored rows, loaded or superseded, of every
    record key it touches: whatever it inserts, supersedes or displaces). A table without
    ``person_id`` goes to its persons through its parent reference: the ``person_id`` of the
    parent rows in the new version ``out`` (parents load first). None for a table with
    neither, whose rows then touch every person."""
    if "person_id" in table.column_names:
        found = "SELECT DISTINCT person_id FROM versions WHERE person_id IS NOT NULL"
    elif table.parent and "person_id" in TABLES[table.parent.table].column_names:
        wanted = f"SELECT DISTINCT {PARENT_KEY} AS {RECORD_KEY} FROM versions"
        columns = f"person_id, {', '.join(LINEAGE)}"
        parents = _stored_sql(out, "tables", TABLES[table.parent.table], columns, wanted)
        found = f"SELECT DISTINCT person_id FROM ({parents}) WHERE person_id IS NOT NULL"
    else:
        return None
    return con.execute(found).fetch_arrow_table().column(0).combine_chunks().cast(pa.string())


def _write_segments(
    con: duckdb.DuckDBPyConnection, table: Table, out: Path, name: str
) -> dict[str, int]:
    """Write this load's segments of ``table`` (from ``versions`` and ``checked``), its
    pending rejects and its orphans kept whole; returns the rows written per kind."""
    spec = ", ".join(quote(c) for c in table.column_names)
    lineage = ", ".join(LINEAGE)
    keys = ", ".join(key_columns(table))
    written = {kind: 0 for kind in KINDS}
    # A stored row whose place is unchanged stays in its segment: only rows new to a kind, or
    # re-ranked in it, are written (so a row is in tables once, and in superseded once per
    # version number, over the store's life: what deletion files name them by).
    written["tables"] = _copy(
        con,
        f"SELECT {spec}, submission_date, {lineage}, {keys} FROM versions "
        f"WHERE version = 1 AND _kind <> 'tables' ORDER BY {RECORD_KEY}",
        segment_folder(out, "tables", table.name) / name,
        segment=True,
    )
    written["superseded"] = _copy(
        con,
        f"SELECT {spec}, submission_date, version, {lineage}, {keys} FROM versions "
        "WHERE version > 1 AND NOT (_kind = 'superseded' AND version = _stored_version) "
        f"ORDER BY {RECORD_KEY}, version",
        segment_folder(out, "superseded", table.name) / name,
        segment=True,
    )
    raw = ", ".join(quote(c) for c in rejects_columns(table))
    reject_select = (
        f"SELECT {raw}, _source_file AS source_file, _row AS source_row, "
        f"_submission_date AS submission_date, _why AS reasons FROM checked "
    )
    written["rejects"] = _copy(
        con,
        reject_select + "WHERE len(_reasons) > 0 ORDER BY _load, _file_id, _row",
        segment_folder(out, "rejects", table.name) / name,
    )
    # Orphans: whole rows wait in pending/, and show in rejects until their parent arrives.
    orphan = "WHERE len(_reasons) = 0 AND len(_why) > 0"
    _copy(
        con,
        reject_select + orphan + " ORDER BY _load, _file_id, _row",
        segment_folder(out, "rejects", table.name) / PENDING_REJECTS,
    )
    _copy(
        con,
        "SELECT * EXCLUDE (_why, _pending, _clash) FROM checked " + orphan,
        pending_file(out, table.name),
    )
    return written


def _own(folder: Path) -> list[Path]:
    """The files this load wrote into ``folder`` of the version it builds."""
    return sorted(folder.glob(f"*{SEGMENT_SUFFIX}"))


def _record_files(out: Path, table: str, carried: dict[str, list[Path]]) -> None:
    """Add ``table``'s files to the manifest of the version ``out`` being built: per kind, the
    earlier versions' files carried forward and the files this load wrote, in load order (the
    order of their names). Written after each table: a child's orphan check reads its
    parent's rows in ``out``."""
    listed = version_files(out) or {}
    files = {key: [out / entry for entry in entries] for key, entries in listed.items()}
    keys = [(kind, False) for kind in KINDS] + [(kind, True) for kind in ROW_IDENTITY]
    for kind, deleted in keys:
        key = manifest_key(kind, table, deleted)
        mine = deletion_folder(out, kind, table) if deleted else segment_folder(out, kind, table)
        files[key] = sorted(carried.get(key, []) + _own(mine), key=lambda p: p.name)
    write_manifest(out, files)


#: Per kind, the stored rows of ``versions`` this load moves out of their segment: a loaded row
#: displaced to superseded, a superseded row re-ranked to a higher version. Each gives the
#: row's identity in that kind (store_layout.ROW_IDENTITY), the segment file holding it and its
#: record key.
_MOVED = {
    "tables": (
        f"SELECT _load, _file_id, _row, _segment, {RECORD_KEY} FROM versions "
        "WHERE _kind = 'tables' AND version > 1"
    ),
    "superseded": (
        "SELECT _load, _file_id, _row, _stored_version AS version, _segment, "
        f"{RECORD_KEY} FROM versions "
        "WHERE _kind = 'superseded' AND version <> _stored_version"
    ),
}


def _carry_forward(
    con: duckdb.DuckDBPyConnection, table: Table, previous: Path, out: Path, load: int
) -> dict[str, list[Path]]:
    """The previous version's segments and deletion files that ``out`` keeps, per manifest key
    (store_layout.manifest_key), and this load's deletion file of each kind written: the rows
    this load moves out of earlier segments. A segment is kept where it is, unless more than
    half its rows would then be deleted (store_layout.should_rewrite), or it was written
    before record keys or before a column joined the specification
    (store_layout.is_current_segment): then it is rewritten into ``out`` without them (with
    its keys and every column)."""
    rejects = [  # a rejected row stays rejected; the pending rejects are this load's own
        p for p in segments(previous, "rejects", table.name) if p.name != PENDING_REJECTS
    ]
    carried = {manifest_key("rejects", table.name): rejects}
    for kind, moved in _MOVED.items():
        kept, deletions = _carry_forward_kind(con, kind, table, moved, previous, out, load)
        carried[manifest_key(kind, table.name)] = kept
        carried[manifest_key(kind, table.name, deleted=True)] = deletions
    return carried


def _carry_forward_kind(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    spec: Table,
    moved: str,
    previous: Path,
    out: Path,
    load: int,
) -> tuple[list[Path], list[Path]]:
    """:func:`_carry_forward` for one kind (tables or superseded) of one table: the earlier
    segments and the earlier deletion files kept."""
    table = spec.name
    identity = ", ".join(ROW_IDENTITY[kind])
    con.execute(
        f"CREATE OR REPLACE TABLE moved AS SELECT {identity}, {RECORD_KEY}, "
        f"parse_filename({DELETED_SEGMENT}) AS {DELETED_SEGMENT} FROM ({moved})"
    )
    now = dict(
        con.execute(
            f"SELECT {DELETED_SEGMENT}, count(*) FROM moved GROUP BY {DELETED_SEGMENT}"
        ).fetchall()
    )
    before = deleted_per_segment(previous, kind, table)
    earlier = deletion_files(previous, kind, table)
    rewritten = set()
    kept = []
    folder = segment_folder(out, kind, table)
    for source in segments(previous, kind, table):
        rows = pq.ParquetFile(source).metadata.num_rows
        deleted = before.get(source.name, 0) + now.get(source.name, 0)
        keyed = _has_keys(str(source))
        current = is_current_segment(source, kind, table)
        if current and (not now.get(source.name) or not should_rewrite(rows, deleted)):
            kept.append(source)
            continue
        rewritten.add(source.name)
        gone = f"SELECT {identity} FROM moved WHERE {DELETED_SEGMENT} = '{source.name}'"
        if earlier:
            gone += (
                f" UNION ALL SELECT {identity} FROM read_parquet({sql_file_list(earlier)}) "
                f"WHERE {DELETED_SEGMENT} = '{source.name}'"
            )
        keys = "" if keyed else ", " + keys_sql(spec)
        order = RECORD_KEY + (", version" if kind == "superseded" else "")
        kept_rows = (
            f"SELECT *{keys} FROM {segments_sql([source], kind, table)} "
            f"ANTI JOIN ({gone}) USING ({identity}) "
            f"ORDER BY {order}"
        )
        rewritten_segment = folder / rewritten_segment_name(source.name, load)
        if _copy(con, kept_rows, rewritten_segment, segment=True) == 0:  # emptied: dropped
            rewritten_segment.unlink()
    live = {p.name for p in kept + _own(folder)}
    deletions = [  # a deletion file naming only segments now gone is dropped
        source
        for source in earlier
        if set(pq.read_table(source, columns=[DELETED_SEGMENT]).column(0).to_pylist()) & live
    ]
    if sum(n for name, n in now.items() if name not in rewritten):
        not_rewritten = "".join(f" AND {DELETED_SEGMENT} <> '{n}'" for n in sorted(rewritten))
        _copy(
            con,
            f"SELECT {identity}, {DELETED_SEGMENT}, {RECORD_KEY} FROM moved "
            f"WHERE TRUE{not_rewritten} ORDER BY {RECORD_KEY}",
            deletion_folder(out, kind, table) / segment_name(load),
        )
    con.execute("DROP TABLE moved")
    return kept, deletions


def _outcome(con: duckdb.DuckDBPyConnection) -> TableOutcome:
    """The fates of this load's rows, and what it did to stored and pending rows."""
    outcome = TableOutcome()
    placed = {
        file_id: (loaded, superseded)
        for file_id, loaded, superseded in con.execute(
            "SELECT _file_id, count(*) FILTER (WHERE version = 1), "
            "count(*) FILTER (WHERE version > 1) FROM versions WHERE _kind = 'new' "
            "GROUP BY _file_id"
        ).fetchall()
    }
    for file_id, read, rejected in con.execute(
        "SELECT _file_id, count(*), count(*) FILTER (WHERE len(_why) > 0) FROM checked "
        "WHERE NOT _pending GROUP BY _file_id ORDER BY _file_id"
    ).fetchall():
        loaded, superseded = placed.get(file_id, (0, 0))
        outcome.per_file[file_id] = {
            "read": read,
            "loaded": loaded,
            "superseded": superseded,
            "rejected": rejected,
        }
        outcome.read += read
        outcome.loaded += loaded
        outcome.superseded += superseded
        outcome.rejected += rejected
    displaced, promoted = con.execute(
        "SELECT count(*) FILTER (WHERE _kind = 'tables' AND version > 1), "
        "count(*) FILTER (WHERE _kind = 'pending') FROM versions"
    ).fetchone() or (0, 0)
    outcome.displaced, outcome.promoted = displaced, promoted
    outcome.reject_reasons = dict(
        con.execute(
            "SELECT r, count(*) FROM (SELECT unnest(_why) AS r FROM checked "
            "WHERE NOT _pending AND len(_why) > 0) GROUP BY r ORDER BY count(*) DESC, r"
        ).fetchall()
    )
    for name in ("checked", "versions"):
        con.execute(f"DROP TABLE {name}")
    return outcome


def empty_staging(table: str, path: Path) -> None:
    """Write an empty staging file for a table no submission file supplied."""
    pq.write_table(pa.Table.from_batches([], schema=staging_schema(table)), path)


def check_record_key(con: duckdb.DuckDBPyConnection) -> None:
    """Stop before anything is written if this DuckDB computes record keys
    (store_layout.record_key_sql) other than the DuckDB that wrote the stores did: stored
    keys and this load's would then never match, and records would be silently duplicated."""
    found = con.execute("SELECT " + record_key_sql(["'RXA'", "'P1'"])).fetchone()
    if found is None or found[0] != RECORD_KEY_CHECK:
        raise WorkbenchError(
            f"this DuckDB ({duckdb.__version__}) hashes record keys differently from the one "
            "the store's format was made with, so its integer record keys would not match a "
            "store's: install the DuckDB version in requirements.lock, or report it to the "
            "workbench's maintainers"
        )


#: How many bytes a table's working tables (``checked`` and ``versions``) take in memory for
#: each byte of its staged Parquet: about 30 (care contacts of 10 national providers: 124 MB
#: staged, 3.8 GB of working tables, measured by forcing them to spill).
WORKING_BYTES_PER_STAGED_BYTE = 32


def working_database(staging_dir: Path, memory_limit: str) -> str:
    """Where a load keeps its working tables: in memory (``:memory:``) when the largest table's
    would fit within DuckDB's ``memory_limit`` (:data:`WORKING_BYTES_PER_STAGED_BYTE`), which
    takes about half the time; else in a database file in the staging folder, which DuckDB
    compresses, so that a national load does not spill tens of gigabytes of uncompressed
    blocks to disk (it filled a 60 GB disk)."""
    largest = max((p.stat().st_size for p in staging_dir.glob("*.parquet")), default=0)
    if largest * WORKING_BYTES_PER_STAGED_BYTE <= size_in_bytes(memory_limit):
        return ":memory:"
    return str(staging_dir / "work.duckdb")


def load_staged(
    staged_files: list[StagedFile],
    staging_dir: Path,
    out: Path,
    previous: Path | None = None,
    load: int = 1,
    memory_limit: str | None = None,
) -> dict[str, TableOutcome]:
    """Load every table from ``staging_dir`` into the new version folder ``out``, on top of the
    version ``previous`` (None: a store of this load alone); ``load`` is this load's number."""
    limit = memory_limit or duckdb_memory_limit()
    config: dict[str, str | bool | int | float | list[str]] = {
        "temp_directory": str(staging_dir / "spill"),
        "preserve_insertion_order": False,
        "memory_limit": limit,
    }
    con = track(duckdb.connect(working_database(staging_dir, limit), config=config))
    con.execute("SET enable_progress_bar = false")  # ingest shows its own; --quiet means quiet
    try:
        check_record_key(con)
        files = pa.table(
            {
                "_file_id": pa.array([f.file_id for f in staged_files], pa.int32()),
                "path": pa.array([str(f.file.path) for f in staged_files], pa.string()),
                "provider_code": pa.array(
                    [f.file.provider_code for f in staged_files], pa.string()
                ),
                "submission_date": pa.array(
                    [f.file.submission_date for f in staged_files], pa.date32()
                ),
            }
        )
        con.register("files_arrow", files)
        con.execute("CREATE TABLE files AS SELECT * FROM files_arrow")
        outcomes = {}
        for name, table in TABLES.items():
            staged = staging_dir / f"{name}.parquet"
            if not staged.exists():
                empty_staging(name, staged)
            reached(f"ingest:load:{name}")
            # a store written before a table was added to the extract (CLD) has none of it
            prior = previous if previous is not None and holds_table(previous, name) else None
            started = time.perf_counter()
            outcomes[name] = load_table(con, table, staged, out, prior, load)
            outcomes[name].seconds = time.perf_counter() - started
        return outcomes
    finally:
        con.close()
