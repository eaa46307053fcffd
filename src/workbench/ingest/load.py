"""Turning staged text into the store: validate, reject orphans, keep the latest version.

For each table, in parent-before-child order, one DuckDB pass gives every row read exactly one
fate (measures.md section 1):
- rejected: it breaks a validation rule (:mod:`workbench.ingest.validate`), or it is a child row
  whose parent is not loaded (an orphan). Every reason is kept, with the row's record key as
  sent, its file and row number; its other submitted values are not kept.
- loaded: it is the latest valid version of its key (submission date, then file order, then
  row order: the last one wins).
- superseded: an earlier valid version of a loaded key.
A rejected resubmission does not remove the record: the latest valid version stays loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.engine import duckdb_memory_limit
from workbench.ingest.stage import StagedFile, staging_schema
from workbench.ingest.validate import parse_select, quote
from workbench.spec import TABLES, Table


@dataclass
class TableOutcome:
    """Counts for one table: rows read and what became of them, per file and per reason."""

    read: int = 0
    loaded: int = 0
    superseded: int = 0
    rejected: int = 0
    per_file: dict[int, dict[str, int]] = field(default_factory=dict)
    reject_reasons: dict[str, int] = field(default_factory=dict)

    @property
    def reconciles(self) -> bool:
        return self.read == self.loaded + self.superseded + self.rejected


def _orphan_join(table: Table) -> tuple[str, str]:
    """The join to the parent's loaded keys, and the reason given to a row without a parent."""
    if table.parent is None:
        return "", "NULL"
    cols = table.parent.columns
    keys = ", ".join(quote(c) for c in cols)
    on = " AND ".join(f"p.{quote(c)} = k.{quote(c)}" for c in cols)
    reason = f"{cols[-1]}: no matching record in {table.parent.table} (orphan)"
    join = (
        f"LEFT JOIN (SELECT DISTINCT {keys}, TRUE AS _has_parent "
        f"FROM loaded_keys_{table.parent.table}) AS k ON {on}"
    )
    return join, f"'{reason}'"


def checked_sql(table: Table, staged: str) -> str:
    """SQL materialising every staged row of ``table`` with its reasons and its version number
    (1 = loaded, 2+ = superseded, NULL = rejected)."""
    join, orphan_reason = _orphan_join(table)
    reasons = (
        f"CASE WHEN len(p._reasons) = 0 AND k._has_parent IS NULL "
        f"THEN [{orphan_reason}] ELSE p._reasons END"
        if table.parent
        else "p._reasons"
    )
    key = ", ".join(quote(c) for c in table.key)
    return f"""
CREATE OR REPLACE TABLE checked AS
WITH parsed AS ({parse_select(table, staged, "files")}),
joined AS (SELECT p.* REPLACE ({reasons} AS _reasons) FROM parsed AS p {join})
SELECT *,
  CASE WHEN len(_reasons) = 0 THEN row_number() OVER (
    PARTITION BY len(_reasons) = 0, {key}
    ORDER BY _submission_date DESC, _file_id DESC, _row DESC) END AS _version
FROM joined"""


def rejects_columns(table: Table) -> list[str]:
    """The submitted columns a rejected row keeps: its record key (which includes the provider
    code), as sent. The other submitted values are not kept: the reasons name the column and
    the rule, and the file and row number find the row in the provider's own file."""
    return [c for c in table.column_names if c in table.key]


def _typed_columns(table: Table) -> str:
    return ", ".join(f"{quote(c.name + '__typed')} AS {quote(c.name)}" for c in table.columns)


def _copy(con: duckdb.DuckDBPyConnection, select: str, path: Path) -> None:
    con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")


def empty_staging(table: str, path: Path) -> None:
    """Write an empty staging file for a table no submission file supplied."""
    pq.write_table(pa.Table.from_batches([], schema=staging_schema(table)), path)


def load_table(
    con: duckdb.DuckDBPyConnection, table: Table, staged: Path, out: Path
) -> TableOutcome:
    """Validate, de-duplicate and write one table into ``out/{tables,superseded,rejects}``."""
    con.execute(checked_sql(table, f"read_parquet('{staged}')"))
    key = ", ".join(quote(c) for c in table.key)
    typed = _typed_columns(table)
    _copy(
        con,
        f"SELECT {typed}, _submission_date AS submission_date FROM checked "
        f"WHERE _version = 1 ORDER BY {key}",
        out / "tables" / f"{table.name}.parquet",
    )
    _copy(
        con,
        f"SELECT {typed}, _submission_date AS submission_date, _version AS version "
        f"FROM checked WHERE _version > 1 ORDER BY {key}, _version",
        out / "superseded" / f"{table.name}.parquet",
    )
    raw = ", ".join(f"c.{quote(c)}" for c in rejects_columns(table))
    _copy(
        con,
        f"SELECT {raw}, f.path AS source_file, c._row AS source_row, "
        f"c._submission_date AS submission_date, c._reasons AS reasons "
        f"FROM checked AS c JOIN files AS f USING (_file_id) WHERE c._version IS NULL "
        f"ORDER BY c._file_id, c._row",
        out / "rejects" / f"{table.name}.parquet",
    )
    if any(t.parent and t.parent.table == table.name for t in TABLES.values()):
        con.execute(
            f"CREATE OR REPLACE TABLE loaded_keys_{table.name} AS "
            f"SELECT {key} FROM checked WHERE _version = 1"
        )
    outcome = TableOutcome()
    for file_id, read, loaded, superseded, rejected in con.execute(
        "SELECT _file_id, count(*), count(*) FILTER (WHERE _version = 1), "
        "count(*) FILTER (WHERE _version > 1), count(*) FILTER (WHERE _version IS NULL) "
        "FROM checked GROUP BY _file_id ORDER BY _file_id"
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
    outcome.reject_reasons = dict(
        con.execute(
            "SELECT r, count(*) FROM (SELECT unnest(_reasons) AS r FROM checked "
            "WHERE _version IS NULL) GROUP BY r ORDER BY count(*) DESC, r"
        ).fetchall()
    )
    con.execute("DROP TABLE checked")
    return outcome


def load_staged(
    staged_files: list[StagedFile],
    staging_dir: Path,
    out: Path,
    memory_limit: str | None = None,
) -> dict[str, TableOutcome]:
    """Load every table from ``staging_dir`` into the store folder ``out``."""
    for sub in ("tables", "superseded", "rejects"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    config: dict[str, str | bool | int | float | list[str]] = {
        "temp_directory": str(staging_dir / "spill"),
        "preserve_insertion_order": False,
        "memory_limit": memory_limit or duckdb_memory_limit(),
    }
    con = duckdb.connect(str(staging_dir / "work.duckdb"), config=config)
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
            outcomes[name] = load_table(con, table, staged, out)
        return outcomes
    finally:
        con.close()
