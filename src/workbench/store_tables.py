"""Measures where the data already is: a store made of existing tables in a Spark catalog.

A national team whose CSDS tables already sit in a Spark catalog (Databricks, a Hive metastore)
runs every measure and ``compute`` on them without exporting and ingesting: one table per
extract table, named as the extract specification names it (``SCHEMA.referrals``, ...) and
holding its columns with their types (docs/extract_spec.md), plus ``submission_date`` (date:
the submission each row came from; a row's month falls back to it where its event date is
missing, and the data quality measures count submissions by it). Each table is checked against
the specification before anything runs, and every missing or mistyped column is named.

What a store's load adds is taken from the tables as they are: the tables hold the latest
version of each record (no superseded rows); rejected rows are read from ``SCHEMA.<table>_rejects``
where such a table exists (at least ``provider_code`` string and ``reasons`` array of strings:
the store's rejects, docs/store_format.md), else there are none; the "load report" the data
quality measures read (which provider sent which table for which submission date) is built from
the distinct ``provider_code`` and ``submission_date`` of each table. Facts are built once into
the folder given (``FOLDER/facts``) and rebuilt when the tables' row counts or submissions change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
import ibis.expr.datatypes as dt_types
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from workbench.engine import connect
from workbench.errors import WorkbenchError
from workbench.spec import EXTRACT_TABLES, TABLES
from workbench.spec.model import Table
from workbench.store import Store

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: The column every connected table has beside the specification's.
SUBMISSION_DATE = "submission_date"
#: The suffix of the optional table of a table's rejected rows.
REJECTS_SUFFIX = "_rejects"
#: The columns a rejects table must have: how each is checked, and its type in words.
REJECTS_COLUMNS = {
    "provider_code": (lambda t: t.is_string(), "string"),
    "reasons": (lambda t: t.is_array() and t.value_type.is_string(), "an array of strings"),
}
#: The specification's types, as the store holds them: what a connected column may be.
_ACCEPTED = {
    "string": (lambda t: t.is_string(), "string"),
    "code": (lambda t: t.is_string(), "string"),
    "time": (lambda t: t.is_string(), "string (HH:MM:SS)"),
    "date": (lambda t: t.is_date(), "date"),
    "int": (lambda t: t.is_integer(), "an integer type"),
    "float": (lambda t: t.is_floating() or t.is_decimal(), "double"),
}


def spec_problems(name: str, schema: ibis.Schema | None, where: str) -> list[str]:
    """What is wrong with the table ``where`` (``schema`` its columns, None when it does not
    exist) as the extract table ``name``: one sentence per missing or mistyped column."""
    if schema is None:
        return [f"{where}: no such table; it must hold the {name} table of docs/extract_spec.md"]
    spec: Table = EXTRACT_TABLES[name]
    wanted = [(c.name, c.dtype) for c in spec.columns] + [(SUBMISSION_DATE, "date")]
    problems = []
    for column, dtype in wanted:
        check, words = _ACCEPTED[dtype]
        if column not in schema:
            problems.append(f"{where}: no column {column} ({words}, docs/extract_spec.md)")
        elif not check(schema[column]):
            problems.append(f"{where}: column {column} is {schema[column]}; it must be {words}")
    return problems


def _rejects_problems(schema: ibis.Schema, where: str) -> list[str]:
    return [
        f"{where}: column {column} must be {words}"
        for column, (check, words) in REJECTS_COLUMNS.items()
        if column not in schema or not check(schema[column])
    ]


def _typed(table: ir.Table, name: str) -> ir.Table:
    """The specification's columns and ``submission_date`` in the store's order and types
    (integers as int64, floats as float64), without any other column."""
    out = {}
    for column in EXTRACT_TABLES[name].columns:
        value = table[column.name]
        if column.dtype == "int":
            value = value.cast("int64")
        elif column.dtype == "float":
            value = value.cast("float64")
        out[column.name] = value
    return table.select(**out, **{SUBMISSION_DATE: table[SUBMISSION_DATE]})


@dataclass
class TablesStore(Store):
    """A :class:`~workbench.store.Store` over existing tables of a catalog schema: ``path`` is
    the folder its facts are kept in, ``schema`` the schema its tables are read from."""

    schema: str = ""
    _rejects: dict[str, ir.Table | None] | None = None

    @property
    def tag(self) -> str:
        """A short name of the schema and facts folder, unique in the engine's session."""
        key = f"{self.schema}@{Path(self.path).resolve()}"
        return hashlib.sha1(key.encode()).hexdigest()[:10]

    def rejects(self, name: str) -> ir.Table:
        """Rows of ``name`` rejected upstream (``SCHEMA.<name>_rejects``), or none."""
        found = (self._rejects or {}).get(name)
        if found is not None:
            return found
        table = self[name]
        none = ibis.literal(["none"], type=dt_types.Array(dt_types.string))
        return table.filter(ibis.literal(False)).select(
            provider_code=table.provider_code, reasons=none
        )

    def superseded(self, name: str) -> ir.Table:
        """No earlier versions: connected tables hold the latest version of each record."""
        table = self[name]
        return table.filter(ibis.literal(False)).mutate(version=ibis.literal(1, "int64"))


def _listed(con: BaseBackend, schema: str) -> set[str]:
    try:
        return set(con.list_tables(database=schema))
    except Exception as err:  # each backend has its own error for a schema it does not know
        raise WorkbenchError(
            f"cannot list the tables of schema {schema!r} on {con.name}: "
            f"{str(err).splitlines()[0] if str(err) else type(err).__name__}. "
            "Name a schema (database) that holds the extract's tables (docs/extract_spec.md)"
        ) from None


def _checked_tables(con: BaseBackend, schema: str) -> tuple[dict, dict]:
    """Every extract table of ``schema`` (typed as the store holds them) and the rejects tables
    there are, after checking them all; one WorkbenchError naming every problem otherwise."""
    listed = _listed(con, schema)
    if not listed & set(TABLES):
        raise WorkbenchError(
            f"schema {schema!r} holds none of the extract's tables ({', '.join(TABLES)}); "
            "name the schema that holds them, each shaped as docs/extract_spec.md says"
        )
    problems: list[str] = []
    tables, rejects = {}, {}
    for name in EXTRACT_TABLES:
        if name not in TABLES and name not in listed:  # a catalog without CLD holds none
            continue
        table = con.table(name, database=schema) if name in listed else None
        wrong = spec_problems(name, None if table is None else table.schema(), f"{schema}.{name}")
        problems.extend(wrong)
        if table is not None and not wrong:
            tables[name] = table
        extra = f"{name}{REJECTS_SUFFIX}"
        if extra in listed:
            rejected = con.table(extra, database=schema)
            problems.extend(_rejects_problems(rejected.schema(), f"{schema}.{extra}"))
            rejects[name] = rejected
    if problems:
        raise WorkbenchError(
            f"the tables of {schema!r} do not match the extract specification "
            "(docs/extract_spec.md; `workbench spec` prints it):\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    return {name: _typed(t, name) for name, t in tables.items()}, rejects


def _report(tables: dict[str, ir.Table]) -> dict:
    """What the measures read of a load report, from the tables: one "file" per table,
    provider and submission date, with its rows; the hash of those stamps the facts."""
    files = []
    for name, table in tables.items():
        organisation = EXTRACT_TABLES[name].organisation
        sent = (
            table.group_by([organisation, SUBMISSION_DATE])
            .aggregate(rows=table.count())
            .to_pandas()
        )
        for provider, date, rows in sent.itertuples(index=False):
            if provider is None or date is None or date != date:  # missing values: no file
                continue
            day = date if isinstance(date, dt.date) else date.date()
            files.append(
                {
                    "table": name,
                    "provider_code": provider,
                    "submission_date": day.isoformat()[:10],
                    "rows": int(rows),
                }
            )
    files.sort(key=lambda f: (f["table"], f["provider_code"], f["submission_date"]))
    dates = sorted(f["submission_date"] for f in files)
    counts = {name: sum(f["rows"] for f in files if f["table"] == name) for name in tables}
    return {
        "files": files,
        "source_sha256": hashlib.sha256(json.dumps(files).encode()).hexdigest(),
        "loaded_at": None,
        "first_submission_date": dates[0] if dates else None,
        "last_submission_date": dates[-1] if dates else None,
        "providers": sorted({f["provider_code"] for f in files if f["table"] in TABLES}),
        "tables": {name: {"loaded": counts[name]} for name in tables},
    }


def connect_tables(
    schema: str,
    facts: str | Path,
    engine: str = "spark",
    *,
    con: BaseBackend | None = None,
    session: SparkSession | None = None,
) -> TablesStore:
    """Open the extract tables of ``schema`` in a catalog as a store: every measure and
    ``compute`` run on them as on a store from ``workbench ingest``.

    ``schema`` holds one table per extract table, named and shaped as docs/extract_spec.md says,
    each with ``submission_date`` too (checked first: a WorkbenchError names every missing or
    mistyped column). Facts are kept in ``facts/facts``. The tables are read on ``engine``
    (Spark: the session ``WORKBENCH_SPARK_MASTER`` points at, or ``session`` when given, such as
    a Databricks notebook's ``spark``), or on the Ibis connection ``con`` when given.
    """
    if con is None:
        con = ibis.pyspark.connect(session) if session is not None else connect(engine)
    tables, rejects = _checked_tables(con, schema)
    folder = Path(facts)
    store = TablesStore(path=folder, con=con, report=_report(tables), schema=schema)
    store.tables.update(tables)
    store._rejects = {name: r.select(*REJECTS_COLUMNS) for name, r in rejects.items()}
    return store
