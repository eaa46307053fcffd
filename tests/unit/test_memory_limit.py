"""DuckDB's memory limit read as bytes (engine.size_in_bytes), as a load compares it with the
size of its working tables (ingest/load.py, working_database)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from workbench.engine import size_in_bytes
from workbench.errors import WorkbenchError
from workbench.ingest.load import WORKING_BYTES_PER_STAGED_BYTE, working_database


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("6GB", 6_000_000_000),
        ("512MB", 512_000_000),
        ("1.5 GiB", 1_610_612_736),
        ("100kb", 100_000),
        ("4096", 4096),
    ],
)
def test_duckdb_sizes_are_read_in_duckdb_units(size, expected):
    assert size_in_bytes(size) == expected


@pytest.mark.parametrize("size", ["", "six gigabytes", "6 GBs", "-1GB"])
def test_a_size_that_is_not_one_says_how_to_give_it(size):
    with pytest.raises(WorkbenchError, match="give a number and a unit such as 6GB"):
        size_in_bytes(size)


def test_working_tables_stay_in_memory_unless_the_largest_table_would_not_fit(tmp_path):
    pq.write_table(pa.table({"a": [str(i) for i in range(10_000)]}), tmp_path / "mpi.parquet")
    staged = (tmp_path / "mpi.parquet").stat().st_size
    fits = staged * WORKING_BYTES_PER_STAGED_BYTE
    assert working_database(tmp_path, str(fits)) == ":memory:"
    assert working_database(tmp_path, str(fits - 1)) == str(tmp_path / "work.duckdb")
    assert working_database(tmp_path / "nothing-staged", "1MB") == ":memory:"
