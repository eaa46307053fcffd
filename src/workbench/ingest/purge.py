"""``purge``: remove a record, or every row of one submission file, from a store for good.

For an identifier that got into the store (measures.md section 1): the purge writes a new
version in which the matching rows are gone from every kind (tables, superseded, rejects, the
orphans waiting in ``pending/``), switches the store to it, then removes every other version and
the facts cache (rebuilt from the purged store when next asked), so that no file in the store
folder holds the record any more, not even a row an earlier load had already deleted.

- ``record``: every row of the organisation (a provider, or a council for its Client Level
  Data: the table's ``organisation`` column) whose record ids (``Table.record_columns``: the
  ``*_id`` columns, person, referral, contact, spell; CLD's ``person_id`` and
  ``event_reference``) equal ``record``: the record, and the rows that name it (a person's
  referrals, a referral's contacts, a client's events).
- ``file``: every row read from the submission file of that name (its rows in every kind);
  where one of them was the latest version of its record, the next latest becomes current.

A store loaded before a table was in the extract (CLD) keeps not having it. The load history
gains one entry saying a purge happened, when, how many rows of each table it
removed and by which rule (``record`` or ``file``), never the value. The previous version is
not kept for readers as a load keeps it: readers that opened it may fail, and are told to read
again. The providers' feedback folder is outside the store and is not changed.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb

from workbench.errors import WorkbenchError, output_error
from workbench.ingest.export import write_version_export
from workbench.ingest.history import check_total, read_history, store_totals, write_history
from workbench.ingest.load import key_columns, keys_sql, rejects_columns
from workbench.ingest.report import write_report
from workbench.ingest.validate import quote
from workbench.spec import EXTRACT_TABLES, Table
from workbench.store_layout import (
    FACTS_FOLDER,
    KINDS,
    LINEAGE,
    PENDING_REJECTS,
    RECORD_KEY,
    REPORT_JSON,
    SEGMENT_ROW_GROUP_ROWS,
    deletion_files,
    holds_table,
    is_versioned,
    live_rows_sql,
    manifest_key,
    pending_file,
    segment_folder,
    segment_name,
    segments,
    sql_file_list,
    write_manifest,
)
from workbench.store_lock import writer_lock
from workbench.store_switch import clean_leftovers, drop_other_versions, publish_version


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _id_columns(table: Table, available: list[str]) -> list[str]:
    """The record-id columns of ``table`` (``Table.record_columns``) that a kind's rows carry."""
    return [c for c in table.record_columns if c in available]


def _record_match(
    table: Table, names: list[str], provider: str, record: str, suffix: str = ""
) -> str:
    """SQL true for a row of the organisation ``provider`` (the table's ``organisation``
    column) whose id columns ``names`` hold ``record``."""
    ids = " OR ".join(f"trim({quote(c + suffix)}) = {_literal(record)}" for c in names)
    org = quote(table.organisation + suffix)
    return f"(trim({org}) = {_literal(provider)} AND ({ids or 'FALSE'}))"


class _Rule:
    """Which rows a purge removes, as SQL per kind of file."""

    def __init__(self, provider: str, record: str | None, file: str | None, history: list[dict]):
        self.provider, self.record, self.file = provider, record, file
        self.lineage = sorted(
            (load["load"], f["file_id"])
            for load in history
            for f in load["files"]
            if file is not None and Path(f["path"]).name == file and "file_id" in f
        )

    def stored(self, table: Table) -> str:
        """Rows of tables and superseded (spec columns and lineage)."""
        if self.record is not None:
            names = _id_columns(table, list(table.column_names))
            return _record_match(table, names, self.provider, self.record)
        pairs = ", ".join(f"({load}, {file_id})" for load, file_id in self.lineage)
        return f"((_load, _file_id) IN ({pairs}))" if pairs else "FALSE"

    def rejected(self, table: Table, source: str = "source_file") -> str:
        """Rows of rejects (key as sent, ``source_file``)."""
        if self.record is not None:
            names = _id_columns(table, rejects_columns(table))
            return _record_match(table, names, self.provider, self.record)
        return f"(parse_filename({source}) = {_literal(self.file or '')})"

    def pending(self, table: Table) -> str:
        """Rows waiting in ``pending/`` (typed columns ``<name>__typed``)."""
        if self.record is not None:
            names = _id_columns(table, list(table.column_names))
            return _record_match(table, names, self.provider, self.record, suffix="__typed")
        return self.rejected(table, source="_source_file")


def _count(con: duckdb.DuckDBPyConnection, files: list[Path], where: str) -> int:
    """Rows of ``files`` (every row written, live or deleted since) matching ``where``."""
    existing = [p for p in files if p.exists()]
    if not existing:
        return 0
    rows = f"read_parquet({sql_file_list(existing)}, union_by_name = true)"
    found = con.execute(f"SELECT count(*) FROM {rows} WHERE {where}").fetchone()
    return int(found[0]) if found else 0


def _copy(
    con: duckdb.DuckDBPyConnection, select: str, path: Path, *, segment: bool = False
) -> None:
    """Write ``select`` to ``path`` (a loaded or superseded ``segment`` in the row groups of
    store_layout.SEGMENT_ROW_GROUP_ROWS rows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    groups = f", ROW_GROUP_SIZE {SEGMENT_ROW_GROUP_ROWS}" if segment else ""
    con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION zstd{groups})")


def _rewrite_stored(
    con: duckdb.DuckDBPyConnection, table: Table, rule: _Rule, previous: Path, out: Path, name: str
) -> None:
    """Write ``table``'s tables and superseded afresh without the purged rows: the live rows
    that remain, ranked again (submission date, then load, file and row: the latest is
    loaded, the others superseded with their version number), with no deletion files, and
    with their integer keys (computed afresh: the store may be one written before them)."""
    spec = ", ".join(quote(c) for c in table.column_names)
    key = ", ".join(quote(c) for c in table.key)
    lineage = ", ".join(LINEAGE) + ", " + ", ".join(key_columns(table))
    both = " UNION ALL ".join(
        f"SELECT {spec}, submission_date, {', '.join(LINEAGE)}, {keys_sql(table)} "
        f"FROM ({live_rows_sql(previous, k, table.name)})"
        for k in ("tables", "superseded")
    )
    con.execute(
        f"CREATE OR REPLACE TABLE kept AS SELECT *, row_number() OVER (PARTITION BY {key} "
        "ORDER BY submission_date DESC, _load DESC, _file_id DESC, _row DESC) AS version "
        f"FROM ({both}) WHERE NOT {rule.stored(table)}"
    )
    _copy(
        con,
        f"SELECT {spec}, submission_date, {lineage} FROM kept WHERE version = 1 "
        f"ORDER BY {RECORD_KEY}",
        segment_folder(out, "tables", table.name) / name,
        segment=True,
    )
    _copy(
        con,
        f"SELECT {spec}, submission_date, version, {lineage} FROM kept WHERE version > 1 "
        f"ORDER BY {RECORD_KEY}, version",
        segment_folder(out, "superseded", table.name) / name,
        segment=True,
    )
    con.execute("DROP TABLE kept")


def _rewrite_rejects(
    con: duckdb.DuckDBPyConnection, table: Table, rule: _Rule, previous: Path, out: Path, name: str
) -> None:
    """Write ``table``'s rejects (and the orphans waiting, in rejects and in ``pending/``)
    afresh without the purged rows."""
    files = segments(previous, "rejects", table.name)
    done = [p for p in files if p.name != PENDING_REJECTS]
    waiting = [p for p in files if p.name == PENDING_REJECTS]
    folder = segment_folder(out, "rejects", table.name)
    for sources, target in ((done, folder / name), (waiting, folder / PENDING_REJECTS)):
        if sources:
            _copy(
                con,
                f"SELECT * FROM read_parquet({sql_file_list(sources)}) "
                f"WHERE NOT {rule.rejected(table)}",
                target,
            )
    pending = pending_file(previous, table.name)
    if pending.exists():
        _copy(
            con,
            f"SELECT * FROM read_parquet('{pending}') WHERE NOT {rule.pending(table)}",
            pending_file(out, table.name),
        )


def _purge_table(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    rule: _Rule,
    previous: Path,
    out: Path,
    number: int,
) -> tuple[int, dict[str, list[Path]]]:
    """Purge one table into the new version ``out``: the rows it removes (live or not), and
    its manifest entries. A table with no matching row, live or deleted, keeps its files."""
    stored = [p for k in ("tables", "superseded") for p in segments(previous, k, table.name)]
    rejects = segments(previous, "rejects", table.name)
    pending = pending_file(previous, table.name)
    found = (
        _count(con, stored, rule.stored(table))
        + _count(con, rejects, rule.rejected(table))
        + _count(con, [pending], rule.pending(table))
    )
    files: dict[str, list[Path]] = {}
    if not found:
        for kind in KINDS:
            files[manifest_key(kind, table.name)] = segments(previous, kind, table.name)
        for kind in ("tables", "superseded"):
            files[manifest_key(kind, table.name, True)] = deletion_files(previous, kind, table.name)
        if pending.exists():
            pending_file(out, table.name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pending, pending_file(out, table.name))
        return 0, files
    name = segment_name(number)
    _rewrite_stored(con, table, rule, previous, out, name)
    _rewrite_rejects(con, table, rule, previous, out, name)
    for kind in KINDS:
        files[manifest_key(kind, table.name)] = sorted(
            segment_folder(out, kind, table.name).glob("*")
        )
    for kind in ("tables", "superseded"):
        files[manifest_key(kind, table.name, True)] = []
    return found, files


def _purge_record(number: int, rule: _Rule, before: dict, after: dict) -> dict:
    """The load history's entry for a purge: when, by which rule, the live rows removed per
    table and the totals after; never the record or file purged."""
    tables = {}
    for name in EXTRACT_TABLES:
        removed = sum(before[name].values()) - sum(after[name].values())
        tables[name] = {"read": 0, "purged": removed, "store_after": after[name]}
    return {
        "load": number,
        "mode": "purge",
        "purged_by": "record" if rule.record is not None else "file",
        "loaded_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "files": [],
        "skipped_files": [],
        "quarantined_files": [],
        "tables": tables,
        "reconciled": True,
    }


def _check_request(store: Path, provider: str, record: str | None, file: str | None) -> None:
    """Refuse a purge that names no store, no provider, or not exactly one of record and file."""
    if not is_versioned(store):
        raise WorkbenchError(f"{store} is not a store written by the workbench; nothing to purge")
    if not provider.strip():
        raise WorkbenchError("give the provider's code with --provider (a council's: --council)")
    if (record is None) == (file is None):
        raise WorkbenchError("give either --record KEY or --file NAME (one of them)")
    if record is not None and not record.strip():
        raise WorkbenchError("--record is empty; give the record id to purge")


def purge(
    store: str | Path,
    provider: str,
    record: str | None = None,
    file: str | None = None,
    wait_seconds: float = 0.0,
) -> dict[str, int]:
    """Remove ``record`` (or every row of the submission ``file``) of ``provider`` from every
    version, kind and cache of ``store`` (module docstring); returns the live rows removed
    per table. Raises WorkbenchError for a bad request or a file the store never loaded,
    OutputError when the store cannot be written, StoreBusyError while a load holds it."""
    store = Path(store).resolve()
    _check_request(store, provider, record, file)
    removed: dict[str, int] = {}

    def build(out: Path, previous: Path | None) -> int:
        assert previous is not None
        history = read_history(previous)
        rule = _Rule(provider.strip(), record.strip() if record else None, file, history)
        if file is not None and not rule.lineage:
            raise WorkbenchError(
                f"{store}: no loaded submission file has that name (or it was loaded by an "
                "earlier version of the workbench, which did not record its rows' file); check "
                "the name, or purge by --record"
            )
        number = len(history) + 1
        manifest: dict[str, list[Path]] = {}
        with duckdb.connect() as con:
            for table in EXTRACT_TABLES.values():
                if not holds_table(previous, table.name):
                    continue  # a store loaded before the table was in the extract
                manifest.update(_purge_table(con, table, rule, previous, out, number)[1])
        write_manifest(out, manifest)
        before, after = store_totals(previous), store_totals(out)
        history.append(_purge_record(number, rule, before, after))
        check_total(history, after)
        write_history(history, out)
        report = json.loads((previous / REPORT_JSON).read_text(encoding="utf-8"))
        for name in EXTRACT_TABLES:
            removed[name] = history[-1]["tables"][name]["purged"]
            report["tables"].setdefault(name, {}).update(
                {k: v for k, v in after[name].items()}, purged=removed[name]
            )
        report.update(loads=len(history), purged_at=history[-1]["loaded_at"])
        write_report(report, out)
        write_version_export(out)  # readers without the workbench see the purged rows too
        return number

    with writer_lock(store, wait_seconds):
        try:
            clean_leftovers(store)
            publish_version(store, build)
            drop_other_versions(store)
            if (store / FACTS_FOLDER).exists():
                shutil.rmtree(store / FACTS_FOLDER)
        except OSError as err:
            raise output_error(err, store) from None
        except duckdb.IOException as err:
            raise output_error(OSError(str(err)), store) from None
    return removed
