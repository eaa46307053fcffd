"""``connect_tables``: every measure and ``compute`` over existing catalog tables shaped as the
extract specification says, equal to the same data ingested into a store; the tables are checked
against the specification first, with one sentence per missing or mistyped column."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest

from workbench import connect_tables, load_store
from workbench.cli import main
from workbench.compute import compute
from workbench.errors import WorkbenchError
from workbench.ingest import ingest
from workbench.measures.registry import aggregate_tables
from workbench.period import Period
from workbench.spec import EXTRACT_TABLES, TABLES
from workbench.store_layout import current_version, live_rows_sql
from workbench.synthetic import SCALES, generate

PERIOD = Period.of("2024-06-01", "2024-09-30")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A small synthetic store, its aggregates computed on DuckDB, and its tables as Parquet:
    ``<table>.parquet`` (the store's export) and ``<table>_rejects.parquet``."""
    folder = tmp_path_factory.mktemp("tables")
    config = dataclasses.replace(SCALES["small"], referrals_per_provider_year=400, months=6)
    generate(folder / "src", config, progress=False)
    ingest(folder / "src", folder / "store", progress=False, write_feedback_reports=False)
    compute(load_store(folder / "store"), folder / "expected", PERIOD, progress=False)
    version = current_version(folder / "store")
    files = folder / "files"
    files.mkdir()
    with duckdb.connect() as con:
        for name in EXTRACT_TABLES:  # CLD too: the linked measures read it
            con.execute(
                f"COPY (SELECT * FROM read_parquet('{version}/export/{name}.parquet')) "
                f"TO '{files}/{name}.parquet' (FORMAT parquet)"
            )
            if name not in TABLES:
                continue
            rejects = live_rows_sql(version, "rejects", name)
            con.execute(
                f"COPY (SELECT provider_code, reasons FROM ({rejects})) "
                f"TO '{files}/{name}_rejects.parquet' (FORMAT parquet)"
            )
    return folder / "store", folder / "expected", files


def _duckdb_catalog(files: Path, schema: str, skip: tuple[str, ...] = ()) -> ibis.BaseBackend:
    """An in-memory DuckDB catalog with ``schema`` holding the Parquet files as tables."""
    con = ibis.duckdb.connect()
    con.raw_sql(f"CREATE SCHEMA {schema}")
    for path in sorted(files.glob("*.parquet")):
        if path.stem not in skip:
            con.raw_sql(f"CREATE TABLE {schema}.{path.stem} AS FROM read_parquet('{path}')")
    return con


def _spark_catalog(files: Path, schema: str, warehouse: Path) -> None:
    """A Spark database ``schema`` in the local ``warehouse`` folder holding the files as
    tables (saveAsTable), as a national team's catalog would hold them."""
    from workbench.engine import spark_session

    spark = spark_session()
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {schema} LOCATION '{warehouse}'")
    for path in sorted(files.glob("*.parquet")):
        spark.read.parquet(str(path)).write.mode("overwrite").saveAsTable(f"{schema}.{path.stem}")


def _assert_same_aggregates(got: Path, want: Path) -> None:
    for table in sorted(t.name for _, t in aggregate_tables()):
        expected, actual = (pd.read_parquet(f / f"{table}.parquet") for f in (want, got))
        assert len(expected) > 0, table
        keys = [c for c in expected.columns if not pd.api.types.is_numeric_dtype(expected[c])]
        expected = expected.sort_values(keys, kind="stable").reset_index(drop=True)
        actual = actual[expected.columns].sort_values(keys, kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(
            expected, actual, check_dtype=False, check_exact=False, rtol=1e-9, obj=table
        )


def test_compute_over_catalog_tables_equals_the_store(sample, tmp_path, engine):
    store, expected, files = sample
    if engine == "duckdb":
        con = _duckdb_catalog(files, "csds")
        connected = connect_tables("csds", tmp_path / "facts", con=con)
        compute(connected, tmp_path / "aggregates", PERIOD, progress=False)
    else:
        _spark_catalog(files, "csds_local", tmp_path / "warehouse")
        code = main(
            ["compute", "--engine", "spark", "--tables", "csds_local"]
            + ["--facts", str(tmp_path / "facts"), "--out", str(tmp_path / "aggregates")]
            + ["--period-start", "2024-06-01", "--period-end", "2024-09-30", "--quiet"]
        )
        assert code == 0
    assert (tmp_path / "facts" / "facts" / "manifest.json").exists()
    _assert_same_aggregates(tmp_path / "aggregates", expected)


def test_each_missing_or_mistyped_column_is_named(sample, tmp_path):
    _, _, files = sample
    con = _duckdb_catalog(files, "csds", skip=("rtt_clocks",))
    con.raw_sql("ALTER TABLE csds.referrals DROP COLUMN team_type")
    con.raw_sql("ALTER TABLE csds.mpi ALTER age_years TYPE VARCHAR")
    con.raw_sql("ALTER TABLE csds.care_contacts DROP COLUMN submission_date")
    with pytest.raises(WorkbenchError) as caught:
        connect_tables("csds", tmp_path / "facts", con=con)
    message = str(caught.value)
    assert "csds.rtt_clocks: no such table" in message
    assert "csds.referrals: no column team_type (string" in message
    assert "csds.mpi: column age_years is string; it must be an integer type" in message
    assert "csds.care_contacts: no column submission_date (date" in message
    assert message.count("\n  - ") == 4


def test_a_schema_that_does_not_exist(tmp_path):
    with pytest.raises(WorkbenchError, match="schema 'nowhere'"):
        connect_tables("nowhere", tmp_path / "facts", con=ibis.duckdb.connect())


def test_without_rejects_tables_there_are_no_rejects(sample, tmp_path):
    _, _, files = sample
    skip = tuple(f"{name}_rejects" for name in TABLES)
    connected = connect_tables("csds", tmp_path, con=_duckdb_catalog(files, "csds", skip))
    assert connected.rejects("referrals").count().execute() == 0
    assert connected.superseded("referrals").count().execute() == 0
    assert (
        connected["referrals"].count().execute()
        == connected.report["tables"]["referrals"]["loaded"]
    )
