"""Opening a store written by ``workbench ingest`` as Ibis tables on the default engine."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis.backends import BaseBackend

from workbench.engine import connect, register_frame
from workbench.errors import WorkbenchError
from workbench.spec import EXTRACT_TABLES, TABLES
from workbench.store_layout import (
    INTERNAL,
    REPORT_JSON,
    ROW_IDENTITY,
    STORED_TYPES,
    current_version,
    deletion_files,
    holds_table,
    segments,
)


def _read_files(con: BaseBackend, files: list[str], name: str) -> ir.Table:
    """The Parquet ``files`` (a version's segments or deletion files, which may sit in several
    version folders: store_layout.py) as one table named ``name``. Ibis reads one path on
    Spark, so there the files go to Spark's own reader, which takes several."""
    if con.name == "pyspark":
        con._session.read.parquet(*files).createOrReplaceTempView(name)
        return con.table(name)
    return con.read_parquet(files, table_name=name)


#: The Ibis type of each type a store keeps a specification column in (store_layout.STORED_TYPES).
_IBIS_TYPES = {"VARCHAR": "string", "DATE": "date", "BIGINT": "int64", "DOUBLE": "float64"}


def _with_every_column(table: ir.Table, name: str) -> ir.Table:
    """``table`` with every column of the specification of ``name``: a version written before
    a column joined the specification (the acute discharge date, for one) reads it as NULL
    until a load rewrites its segments (store_layout.is_current_segment)."""
    missing = {
        c.name: ibis.null(_IBIS_TYPES[STORED_TYPES[c.dtype]])
        for c in EXTRACT_TABLES[name].columns
        if c.name not in table.columns
    }
    return table.mutate(**missing) if missing else table


@dataclass
class Store:
    """A loaded store: the latest version of every record, by table, plus the load report.

    ``tables[name]`` (or ``store[name]``) is an Ibis table of loaded records; ``rejects(name)``
    and ``superseded(name)`` give the rows that were not loaded, with reasons and versions.
    """

    path: Path
    con: BaseBackend
    report: dict
    tables: dict[str, ir.Table] = field(default_factory=dict)
    _derived: dict[str, ir.Table] = field(default_factory=dict, repr=False)
    _kept: dict[tuple, Any] = field(default_factory=dict, repr=False)

    @property
    def tag(self) -> str:
        """A short name of this store version (a hash of its path), unique in the engine's
        session: every table the store registers by name carries it, so two stores open at once
        in the one Spark session keep their own tables."""
        return hashlib.sha1(str(Path(self.path).resolve()).encode()).hexdigest()[:10]

    def read_every_table(self) -> None:
        """Open the live rows of every table of the extract this version holds (a CLD table
        only where the version holds one) as :attr:`tables`."""
        for name in EXTRACT_TABLES:
            if name in TABLES or holds_table(self.path, name):
                self.tables[name] = self._read("tables", name)

    def holds(self, name: str) -> bool:
        """Whether this store version holds table ``name`` (a version written before the CLD
        extract holds no ``cld_events``)."""
        return name in self.tables

    def __getitem__(self, name: str) -> ir.Table:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"no table {name!r}; the store has: {', '.join(self.tables)}") from None

    def _read(self, kind: str, name: str) -> ir.Table:
        """The live rows of ``name``'s ``kind``: the union of its segments minus the rows its
        deletion files name (an anti-join on store_layout.ROW_IDENTITY, skipped when there are
        none), with the specification's columns (and ``submission_date``, ``version`` or the
        reject columns), without lineage or the integer keys."""
        if name not in EXTRACT_TABLES:
            raise KeyError(f"no table {name!r}; the store has: {', '.join(EXTRACT_TABLES)}")
        files = [str(p) for p in segments(self.path, kind, name)]
        table = _read_files(self.con, files, f"{kind}_{name}_{self.tag}")
        deleted = [str(p) for p in deletion_files(self.path, kind, name)]
        if deleted:
            identity = list(ROW_IDENTITY[kind])
            gone = _read_files(self.con, deleted, f"deleted_{kind}_{name}_{self.tag}").select(
                *identity
            )
            table = table.anti_join(gone, identity)
        table = table.drop(*[c for c in INTERNAL if c in table.columns])
        return table if kind == "rejects" else _with_every_column(table, name)

    def reference(self, name: str, build: Callable[[], pd.DataFrame]) -> ir.Table:
        """A small reference frame (from ``build()``) registered on the engine once per store,
        under ``name`` and the store's :attr:`tag`."""
        if name not in self._derived:
            self._derived[name] = register_frame(self.con, f"{name}_{self.tag}", build())
        return self._derived[name]

    def kept(self, key: tuple, build: Callable[[], Any]) -> Any:
        """``build()``, run once for this session under ``key`` and kept: a store version never
        changes, so measures that need the same pass over its data (the data quality maturity
        index and item quality; the inequality rates and their summary) share one."""
        if key not in self._kept:
            self._kept[key] = build()
        return self._kept[key]

    def rejects(self, name: str) -> ir.Table:
        """Rows of ``name`` rejected at ingest, with their source file, row and reasons."""
        return self._read("rejects", name)

    def superseded(self, name: str) -> ir.Table:
        """Earlier versions of records of ``name`` replaced by a later submission."""
        return self._read("superseded", name)


def load_report(store: str | Path) -> dict:
    """The load report of the store (or store version) at ``store``, without opening its tables:
    what the current version holds, read from its ``load_report.json`` (store_layout.py)."""
    path = current_version(store) / REPORT_JSON
    if not path.exists():
        raise WorkbenchError(
            f"{store} is not a workbench store (no {REPORT_JSON}); make one with "
            "`workbench ingest SRC --out STORE`"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def load_store(path: str | Path, engine: str = "duckdb") -> Store:
    """Open the store at ``path`` (written by ``workbench ingest``) on ``engine``.

    The store's current version is resolved once (store_layout.py), so a load that switches
    the store meanwhile does not change what this session reads; ``Store.path`` is that version.

    Returns a :class:`Store` whose ``tables`` are Ibis tables of the loaded records and whose
    ``report`` is the load report.
    """
    path = current_version(path)
    report = load_report(path)
    store = Store(path=path, con=connect(engine), report=report)
    store.read_every_table()
    return store
