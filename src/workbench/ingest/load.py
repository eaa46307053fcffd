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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.engine import duckdb_memory_limit, track
from workbench.ingest.stage import StagedFile, staging_schema
from workbench.ingest.validate import parse_select, quote, reason_text
from workbench.pause import reached
from workbench.spec import TABLES, Table
from workbench.store_layout import (
    DELETED_SEGMENT,
    KINDS,
    LINEAGE,
    PENDING_REJECTS,
    ROW_IDENTITY,
    SEGMENT_SUFFIX,
    deleted_per_segment,
    deletion_files,
    deletion_folder,
    live_rows_sql,
    manifest_key,
    pending_file,
    rewritten_segment_name,
    segment_folder,
    segment_name,
    segments,
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

    @property
    def reconciles(self) -> bool:
        return self.read == self.loaded + self.superseded + self.rejected


def rejects_columns(table: Table) -> list[str]:
    """The submitted columns a rejected row keeps: its record key (which includes the provider
    code), as sent. The other submitted values are not kept: the reasons name the column and
    the rule, and the file and row number find the row in the provider's own file."""
    return [c for c in table.column_names if c in table.key]


def _copy(con: duckdb.DuckDBPyConnection, select: str, path: Path) -> int:
    """Write ``select`` to ``path``; returns the rows written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
    return pq.ParquetFile(path).metadata.num_rows


def _candidates_sql(table: Table, staged: Path, load: int, pending: Path | None) -> str:
    """Rows to place: this load's staged rows (validated) and the previous version's orphans.
    Each has its raw record key, every typed column, its reasons and its lineage."""
    raw = ", ".join("p." + quote(c) for c in rejects_columns(table))
    typed = ", ".join("p." + quote(c.name + "__typed") for c in table.columns)
    parsed = parse_select(table, f"read_parquet('{staged}')", "files")
    new = (
        f"SELECT {raw}, {typed}, p._reasons, p._submission_date, {load}::INTEGER AS _load, "
        f"p._file_id, p._row, f.path AS _source_file, FALSE AS _pending "
        f"FROM ({parsed}) AS p "
        f"JOIN files AS f USING (_file_id)"
    )
    if pending is None:
        return new
    return f"{new}\nUNION ALL BY NAME\nSELECT *, TRUE AS _pending FROM read_parquet('{pending}')"


def _orphan_check(table: Table, out: Path) -> tuple[str, str]:
    """The join to the parent's loaded keys in the new version, and the reasons it gives."""
    if table.parent is None:
        return "", "c._reasons"
    cols = table.parent.columns
    keys = ", ".join(quote(c) for c in cols)
    on = " AND ".join(f"c.{quote(c + '__typed')} = k.{quote(c)}" for c in cols)
    reason = reason_text(cols[-1], "orphan", parent=table.parent.table)
    parents = live_rows_sql(out, "tables", table.parent.table)
    # only the parents these candidates name: the join then holds the load's keys, not the
    # store's (a national referrals table is 20 million keys; a day names a few thousand)
    wanted = ", ".join(f"{quote(c + '__typed')} AS {quote(c)}" for c in cols)
    join = (
        f"LEFT JOIN (SELECT DISTINCT {keys}, TRUE AS _has_parent FROM ({parents}) "
        f"SEMI JOIN (SELECT DISTINCT {wanted} FROM candidates) USING ({keys})) AS k ON {on}"
    )
    return join, (
        f"CASE WHEN len(c._reasons) = 0 AND k._has_parent IS NULL THEN ['{reason}'] "
        "ELSE c._reasons END"
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
    key = ", ".join(quote(c) for c in table.key)
    spec = ", ".join(quote(c) for c in table.column_names)
    lineage = ", ".join(LINEAGE)
    pending = pending_file(previous, table.name) if previous else None
    con.execute(
        "CREATE OR REPLACE TABLE candidates AS "
        + _candidates_sql(table, staged, load, pending if pending and pending.exists() else None)
    )
    join, why = _orphan_check(table, out)
    con.execute(
        f"CREATE OR REPLACE TABLE checked AS SELECT c.*, {why} AS _why FROM candidates AS c {join}"
    )
    con.execute("DROP TABLE candidates")
    typed_as_spec = ", ".join(f"{quote(c + '__typed')} AS {quote(c)}" for c in table.column_names)
    touched_keys = ", ".join(f"{quote(c + '__typed')} AS {quote(c)}" for c in table.key)
    con.execute(
        f"CREATE OR REPLACE TABLE touched AS SELECT DISTINCT {touched_keys} "
        "FROM checked WHERE len(_why) = 0"
    )
    stored_parts = []
    if previous is not None:
        for kind, stored_version in (("tables", "NULL::BIGINT"), ("superseded", "version")):
            stored_parts.append(
                f"SELECT {spec}, submission_date, {lineage}, filename AS _segment, "
                f"'{kind}' AS _kind, {stored_version} AS _stored_version "
                f"FROM ({live_rows_sql(previous, kind, table.name, filename=True)}) "
                f"SEMI JOIN touched USING ({key})"
            )
    new_valid = (
        f"SELECT {typed_as_spec}, _submission_date AS submission_date, {lineage}, "
        "NULL::VARCHAR AS _segment, CASE WHEN _pending THEN 'pending' ELSE 'new' END AS _kind, "
        "NULL::BIGINT AS _stored_version FROM checked WHERE len(_why) = 0"
    )
    con.execute(
        "CREATE OR REPLACE TABLE versions AS SELECT *, row_number() OVER ("
        f"PARTITION BY {key} ORDER BY submission_date DESC, _load DESC, _file_id DESC, "
        f"_row DESC) AS version FROM ({' UNION ALL '.join([*stored_parts, new_valid])})"
    )
    name = segment_name(load)
    written = {kind: 0 for kind in KINDS}
    # A stored row whose place is unchanged stays in its segment: only rows new to a kind, or
    # re-ranked in it, are written (so a row is in tables once, and in superseded once per
    # version number, over the store's life: what deletion files name them by).
    written["tables"] = _copy(
        con,
        f"SELECT {spec}, submission_date, {lineage} FROM versions "
        f"WHERE version = 1 AND _kind <> 'tables' ORDER BY {key}",
        segment_folder(out, "tables", table.name) / name,
    )
    written["superseded"] = _copy(
        con,
        f"SELECT {spec}, submission_date, version, {lineage} FROM versions WHERE version > 1 "
        f"AND NOT (_kind = 'superseded' AND version = _stored_version) ORDER BY {key}, version",
        segment_folder(out, "superseded", table.name) / name,
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
        "SELECT * EXCLUDE (_why, _pending) FROM checked " + orphan,
        pending_file(out, table.name),
    )
    carried = _carry_forward(con, table, previous, out, load) if previous is not None else {}
    for kind in KINDS:  # a load that adds nothing to a table adds no segment
        segment = segment_folder(out, kind, table.name) / name
        others = carried.get(manifest_key(kind, table.name), []) + _own(segment.parent)
        if written[kind] == 0 and len(others) > 1:
            segment.unlink()
    _record_files(out, table.name, carried)
    return _outcome(con)


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
#: row's identity in that kind (store_layout.ROW_IDENTITY) and the segment file holding it.
_MOVED = {
    "tables": (
        "SELECT _load, _file_id, _row, _segment FROM versions "
        "WHERE _kind = 'tables' AND version > 1"
    ),
    "superseded": (
        "SELECT _load, _file_id, _row, _stored_version AS version, _segment FROM versions "
        "WHERE _kind = 'superseded' AND version <> _stored_version"
    ),
}


def _carry_forward(
    con: duckdb.DuckDBPyConnection, table: Table, previous: Path, out: Path, load: int
) -> dict[str, list[Path]]:
    """The previous version's segments and deletion files that ``out`` keeps, per manifest key
    (store_layout.manifest_key), and this load's deletion file of each kind written: the rows
    this load moves out of earlier segments. A segment is kept where it is, unless more than
    half its rows would then be deleted (store_layout.should_rewrite): then it is rewritten
    into ``out`` without them."""
    rejects = [  # a rejected row stays rejected; the pending rejects are this load's own
        p for p in segments(previous, "rejects", table.name) if p.name != PENDING_REJECTS
    ]
    carried = {manifest_key("rejects", table.name): rejects}
    for kind, moved in _MOVED.items():
        kept, deletions = _carry_forward_kind(con, kind, table.name, moved, previous, out, load)
        carried[manifest_key(kind, table.name)] = kept
        carried[manifest_key(kind, table.name, deleted=True)] = deletions
    return carried


def _carry_forward_kind(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    table: str,
    moved: str,
    previous: Path,
    out: Path,
    load: int,
) -> tuple[list[Path], list[Path]]:
    """:func:`_carry_forward` for one kind (tables or superseded) of one table: the earlier
    segments and the earlier deletion files kept."""
    identity = ", ".join(ROW_IDENTITY[kind])
    con.execute(
        f"CREATE OR REPLACE TABLE moved AS SELECT {identity}, "
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
        if not now.get(source.name) or not should_rewrite(rows, deleted):
            kept.append(source)
            continue
        rewritten.add(source.name)
        gone = f"SELECT {identity} FROM moved WHERE {DELETED_SEGMENT} = '{source.name}'"
        if earlier:
            gone += (
                f" UNION ALL SELECT {identity} FROM read_parquet({sql_file_list(earlier)}) "
                f"WHERE {DELETED_SEGMENT} = '{source.name}'"
            )
        kept_rows = f"SELECT * FROM read_parquet('{source}') ANTI JOIN ({gone}) USING ({identity})"
        rewritten_segment = folder / rewritten_segment_name(source.name, load)
        if _copy(con, kept_rows, rewritten_segment) == 0:  # an emptied segment is dropped
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
            f"SELECT {identity}, {DELETED_SEGMENT} FROM moved WHERE TRUE{not_rewritten} "
            f"ORDER BY {identity}",
            deletion_folder(out, kind, table) / segment_name(load),
        )
    con.execute("DROP TABLE moved")
    return kept, deletions


def _outcome(con: duckdb.DuckDBPyConnection) -> TableOutcome:
    """The fates of this load's rows, and what it did to stored and pending rows."""
    outcome = TableOutcome()
    for file_id, read, loaded, superseded, rejected in con.execute(
        "SELECT c._file_id, count(*), count(*) FILTER (WHERE v.version = 1), "
        "count(*) FILTER (WHERE v.version > 1), count(*) FILTER (WHERE len(c._why) > 0) "
        "FROM checked AS c LEFT JOIN (SELECT _file_id, _row, version FROM versions "
        "WHERE _kind = 'new') AS v USING (_file_id, _row) WHERE NOT c._pending "
        "GROUP BY c._file_id ORDER BY c._file_id"
    ).fetchall():
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
    for name in ("checked", "touched", "versions"):
        con.execute(f"DROP TABLE {name}")
    return outcome


def empty_staging(table: str, path: Path) -> None:
    """Write an empty staging file for a table no submission file supplied."""
    pq.write_table(pa.Table.from_batches([], schema=staging_schema(table)), path)


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
    config: dict[str, str | bool | int | float | list[str]] = {
        "temp_directory": str(staging_dir / "spill"),
        "preserve_insertion_order": False,
        "memory_limit": memory_limit or duckdb_memory_limit(),
    }
    con = track(duckdb.connect(str(staging_dir / "work.duckdb"), config=config))
    con.execute("SET enable_progress_bar = false")  # ingest shows its own; --quiet means quiet
    try:
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
            outcomes[name] = load_table(con, table, staged, out, previous, load)
        return outcomes
    finally:
        con.close()
