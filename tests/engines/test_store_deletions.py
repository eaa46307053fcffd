"""A daily load does not rewrite the segments holding the records it changes: it names the rows
it removes in a small deletion file (store_layout.py), and every reader applies them, so the
store still reads as one full load of every file (measures.md section 1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_ingest_incremental import _assert_same_store

from submission_files import person, write_submission
from workbench import load_store
from workbench.ingest import ingest
from workbench.ingest.history import read_history, store_totals
from workbench.store_layout import (
    DELETED_SEGMENT,
    RECORD_KEY,
    ROW_IDENTITY,
    current_version,
    deletion_files,
    read_rows,
    rewritten_segment_name,
    segments,
)

#: Each load's files: (submission date, people sent with the ethnic category they carry).
DAYS = {
    "base": [
        ("20250201", {f"P{i}": "A" for i in range(1, 10)}),
        ("20250202", {f"P{i}": "B" for i in range(1, 7)}),
    ],
    "load2": [("20250203", {"P1": "C", "P7": "C", "P8": "C"})],
    "load3": [("20250204", {"P1": "D"})],
    "load4": [("20250205", {"P7": "E"})],
}


def _write(folder: Path, days: list[tuple[str, dict[str, str]]]) -> Path:
    for date, people in days:
        rows = [person(p, ethnic_category=e) for p, e in people.items()]
        write_submission(folder, "mpi", "RXA", date, rows)
    return folder


def _names(folder_files: list[Path]) -> list[str]:
    return [p.name for p in folder_files]


def _inode(version: Path, kind: str, segment: str) -> int:
    return (version / kind / "mpi" / segment).stat().st_ino


def _frame(rows) -> pd.DataFrame:
    frame = rows if isinstance(rows, pd.DataFrame) else rows.to_pandas()
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _assert_counts_reconcile(store: Path) -> None:
    """The totals the history and report record are the rows every reader reads."""
    version = current_version(store)
    totals = store_totals(version)
    report = load_store(store).report
    history = read_history(version)
    for name, counts in totals.items():
        for kind, count in (("tables", "loaded"), ("superseded", "superseded")):
            assert counts[count] == read_rows(store, kind, name).num_rows, (name, kind)
            assert report["tables"][name][count] == counts[count]
        assert history[-1]["tables"][name]["store_after"] == counts


@pytest.fixture
def daily_store(tmp_path: Path) -> Path:
    """A store built with ``--out`` from the base days, then loads 2, 3 and 4 added with
    ``--into``; the checks of each load are made as it happens."""
    store = tmp_path / "store"
    ingest(_write(tmp_path / "base", DAYS["base"]), store, progress=False)
    return store


def test_a_daily_load_writes_a_deletion_file_not_a_new_copy_of_the_big_segment(
    daily_store, tmp_path
):
    before = current_version(daily_store)
    inodes = {kind: _inode(before, kind, "L000001.parquet") for kind in ("tables", "superseded")}
    report = ingest(_write(tmp_path / "load2", DAYS["load2"]), daily_store, False, into=True)
    after = current_version(daily_store)
    assert after != before
    for kind, inode in inodes.items():  # the built segment is the same file, not a copy
        assert _names(segments(after, kind, "mpi")) == ["L000001.parquet", "L000002.parquet"]
        assert segments(after, kind, "mpi")[0] == before / kind / "mpi" / "L000001.parquet"
        assert segments(after, kind, "mpi")[0].stat().st_ino == inode
        assert not (after / kind / "mpi" / "L000001.parquet").exists()  # nor a link to it
        assert _names(deletion_files(after, kind, "mpi")) == ["L000002.parquet"]
    # The new segments hold only this load's rows and the rows it moved (not the 9 stored).
    assert pq.ParquetFile(after / "tables/mpi/L000002.parquet").metadata.num_rows == 3
    assert pq.ParquetFile(after / "superseded/mpi/L000002.parquet").metadata.num_rows == 4
    deleted = pq.read_table(deletion_files(after, "tables", "mpi")[0])
    # no submitted value: the row's identity, its segment and its integer record key
    assert deleted.column_names == [*ROW_IDENTITY["tables"], DELETED_SEGMENT, RECORD_KEY]
    assert deleted.num_rows == 3  # P1, P7 and P8 displaced from the built segment
    gone = pq.read_table(deletion_files(after, "superseded", "mpi")[0])
    assert gone.column_names == [*ROW_IDENTITY["superseded"], DELETED_SEGMENT, RECORD_KEY]
    assert gone.to_pylist()[0]["version"] == 2 and gone.num_rows == 1  # P1 of day 1, re-ranked
    assert report["tables"]["mpi"]["loaded"] == 9 and report["tables"]["mpi"]["superseded"] == 9
    assert read_history(after)[-1]["tables"]["mpi"]["displaced"] == 3
    _assert_counts_reconcile(daily_store)


def test_loads_that_update_a_record_twice_equal_one_full_load(daily_store, tmp_path):
    for load in ("load2", "load3", "load4"):
        ingest(_write(tmp_path / load, DAYS[load]), daily_store, False, into=True)
        _assert_counts_reconcile(daily_store)
        if load == "load3":  # P1 again: its day-3 row, and its re-ranked rows, deleted
            version = current_version(daily_store)
            for kind in ("tables", "superseded"):
                assert "L000002.parquet" in _names(segments(version, kind, "mpi"))
                assert _names(deletion_files(version, kind, "mpi"))[-1] == "L000003.parquet"
    version = current_version(daily_store)
    # Load 4 displaced P7 from load 2's segments, by then more than half deleted: rewritten
    # under a new name, and load 3's deletion files (naming only those segments) dropped.
    rewritten = rewritten_segment_name("L000002.parquet", 4)
    assert rewritten == "L000002-R000004.parquet"
    assert _names(segments(version, "tables", "mpi")) == [
        "L000001.parquet",
        rewritten,
        "L000003.parquet",
        "L000004.parquet",
    ]
    assert _names(segments(version, "superseded", "mpi")) == [
        "L000001.parquet",
        rewritten,
        "L000003.parquet",
        "L000004.parquet",
    ]
    for kind in ("tables", "superseded"):
        assert _names(deletion_files(version, kind, "mpi")) == ["L000002.parquet"]
    assert pq.ParquetFile(version / "tables/mpi" / rewritten).metadata.num_rows == 1  # P8
    # P1's first row, re-ranked by loads 2 and 3, is read once, with its last version.
    superseded = read_rows(daily_store, "superseded", "mpi").to_pandas()
    p1 = superseded[superseded["person_id"] == "P1"].set_index("ethnic_category")["version"]
    assert p1.to_dict() == {"C": 2, "B": 3, "A": 4}
    loaded = read_rows(daily_store, "tables", "mpi").to_pandas().set_index("person_id")
    assert loaded["ethnic_category"].to_dict() == {
        **{f"P{i}": "B" for i in range(2, 7)},
        "P1": "D",
        "P7": "E",
        "P8": "C",
        "P9": "A",
    }
    full = tmp_path / "all"
    for load in DAYS:
        shutil.copytree(tmp_path / load, full / load)
    ingest(full, tmp_path / "full", progress=False)
    _assert_same_store(daily_store, tmp_path / "full")


def test_load_store_reads_the_live_rows_on_each_engine(daily_store, tmp_path, engine):
    for load in ("load2", "load3", "load4"):
        ingest(_write(tmp_path / load, DAYS[load]), daily_store, False, into=True)
    store = load_store(daily_store, engine=engine)
    for kind, table in (("tables", store["mpi"]), ("superseded", store.superseded("mpi"))):
        got = table.execute()
        assert not set(got.columns) & set(ROW_IDENTITY["tables"])  # lineage dropped
        want = read_rows(daily_store, kind, "mpi").to_pandas()
        assert len(got) == len(want) == (9 if kind == "tables" else 11)
        got = got[want.columns]
        for column in got.columns:  # Ibis gives a date as a timestamp, Arrow as a date
            if pd.api.types.is_datetime64_any_dtype(got[column]):
                got[column] = got[column].dt.date
        pd.testing.assert_frame_equal(_frame(got), _frame(want), check_dtype=False)
