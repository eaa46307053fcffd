"""The store's tables as plain files that any reader takes as they are (docs/store_format.md).

A table in the store is its segments minus the rows its deletion files name (store_layout.py):
a reader that reads the segments alone (Power BI, R's arrow, DuckDB or Spark without the
workbench) counts deleted rows as live. So every load also writes, into the version folder
before the store switches to it, one Parquet file per table holding exactly its live rows, with
the columns ``load_store`` gives (the specification's columns and ``submission_date``, no
lineage)::

    STORE/versions/<the name in CURRENT>/export/<table>.parquet

``workbench export STORE OUT`` writes the same rows to a folder of the user's choosing, as
Parquet files (``OUT/<table>.parquet``, each replaced whole with ``os.replace``) or as Delta
tables (``OUT/<table>/``, each overwritten in one Delta commit; needs the ``deltalake``
package).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from workbench.errors import WorkbenchError, output_error
from workbench.ingest.validate import quote
from workbench.spec import EXTRACT_TABLES
from workbench.store_layout import (
    REPORT_JSON,
    current_version,
    holds_table,
    live_rows_sql,
)

#: The folder of a version holding its tables' live rows as plain Parquet.
EXPORT_FOLDER = "export"
FORMATS = ("parquet", "delta")


def export_sql(version: Path, table: str) -> str:
    """``table``'s live rows in ``version`` without the lineage columns and integer keys, as
    DuckDB SQL: the rows and columns ``load_store(...)[table]`` gives (the specification's
    columns, then ``submission_date``)."""
    columns = ", ".join(quote(c) for c in (*EXTRACT_TABLES[table].column_names, "submission_date"))
    return f"SELECT {columns} FROM ({live_rows_sql(version, 'tables', table)})"


def exported_tables(version: Path) -> list[str]:
    """The tables an export of ``version`` writes a file for: every table of the extract the
    version holds (a version written before a table was in the extract, CLD, has no file for
    it, as its own export folder had none; readers of the store see it as empty)."""
    return [t for t in EXTRACT_TABLES if holds_table(Path(version), t)]


def _copy(con: duckdb.DuckDBPyConnection, version: Path, table: str, path: Path) -> None:
    """Write ``table``'s live rows to ``path`` as Parquet, under a temporary name first."""
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    target = str(temp).replace("'", "''")
    con.execute(f"COPY ({export_sql(version, table)}) TO '{target}' (FORMAT parquet)")
    os.replace(temp, path)


def write_version_export(version: Path) -> None:
    """Write ``version/export/<table>.parquet`` for every table the version holds: its live
    rows (called by each load on the new version before the switch, so the export and the
    store never disagree)."""
    folder = Path(version) / EXPORT_FOLDER
    folder.mkdir(exist_ok=True)
    with duckdb.connect() as con:
        for table in exported_tables(version):
            _copy(con, Path(version), table, folder / f"{table}.parquet")


def _write_delta(con: duckdb.DuckDBPyConnection, version: Path, table: str, path: Path) -> None:
    try:
        from deltalake import write_deltalake
    except ImportError:
        raise WorkbenchError(
            "--format delta needs the deltalake package: pip install deltalake "
            "(or use --format parquet)"
        ) from None
    rows = con.execute(export_sql(version, table)).fetch_arrow_table()
    write_deltalake(str(path), rows, mode="overwrite", schema_mode="overwrite")


def export_store(store: str | Path, out: str | Path, fmt: str = "parquet") -> dict[str, int]:
    """Write the live rows of every table of the store's current version to ``out``: one
    Parquet file per table (``out/<table>.parquet``) or one Delta table per table
    (``out/<table>/``). Returns the rows written per table (``load_store``'s counts); a store
    loaded before a table was in the extract (CLD) has no file for it."""
    if fmt not in FORMATS:
        raise WorkbenchError(f"format {fmt!r} is not known; choose one of: {', '.join(FORMATS)}")
    version, out = current_version(store), Path(out)
    if not (version / REPORT_JSON).exists():
        raise WorkbenchError(
            f"{store} is not a workbench store (no {REPORT_JSON}); make one with "
            "`workbench ingest SRC --out STORE`"
        )
    counts = {}
    try:
        out.mkdir(parents=True, exist_ok=True)
        with duckdb.connect() as con:
            for table in exported_tables(version):
                if fmt == "parquet":
                    _copy(con, version, table, out / f"{table}.parquet")
                else:
                    _write_delta(con, version, table, out / table)
                sql = f"SELECT count(*) FROM ({live_rows_sql(version, 'tables', table)})"
                (counts[table],) = con.execute(sql).fetchone() or (0,)
    except OSError as err:
        raise output_error(err, out) from None
    return counts
