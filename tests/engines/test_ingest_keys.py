"""The integer record keys a load computes and stores (store_layout.record_key_sql): on every
loaded, superseded, pending and deleted row, sorted, checked for collisions, invisible to
readers, computed for a store written before them, and letting a load read only the row groups
its keys fall in (docs/store_format.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_ingest_incremental import _assert_same_store

from submission_files import person, referral, write_submission
from workbench import load_store
from workbench.errors import WorkbenchError
from workbench.ingest import ingest, load
from workbench.ingest.export import EXPORT_FOLDER
from workbench.spec import TABLES
from workbench.store_layout import (
    CURRENT,
    INTERNAL,
    PARENT_KEY,
    RECORD_KEY,
    RECORD_KEY_CHECK,
    current_version,
    deletion_files,
    pending_file,
    read_rows,
    record_key_sql,
    segments,
    stored_columns,
)


def _day(folder: Path, date: str, people: list[str], referrals: dict[str, str]) -> Path:
    write_submission(
        folder, "mpi", "RXA", date, [person(p, ethnic_category=date[-1]) for p in people]
    )
    rows = [referral(r, p, team_type=f"A0{date[-1]}") for r, p in referrals.items()]
    write_submission(folder, "referrals", "RXA", date, rows)
    return folder


@pytest.fixture
def days(tmp_path: Path) -> list[Path]:
    """Three days: resends (superseded rows, deletion files) and an orphan whose person comes
    on the third day."""
    return [
        _day(tmp_path / "d1", "20250201", ["P1", "P2", "P3"], {"R1": "P1", "R2": "P2", "R9": "P9"}),
        _day(tmp_path / "d2", "20250202", ["P2", "P4"], {"R2": "P2", "R4": "P4"}),
        _day(tmp_path / "d3", "20250203", ["P9", "P1"], {"R1": "P1", "R5": "P4"}),
    ]


def test_the_record_key_is_the_one_stores_were_written_with(monkeypatch):
    with duckdb.connect() as con:
        got = con.execute("SELECT " + record_key_sql(["'RXA'", "'P1'"])).fetchone()
        assert got == (RECORD_KEY_CHECK,)
        load.check_record_key(con)
        monkeypatch.setattr(load, "RECORD_KEY_CHECK", RECORD_KEY_CHECK + 1)
        with pytest.raises(WorkbenchError, match="hashes record keys differently"):
            load.check_record_key(con)


def test_every_stored_row_carries_its_keys_sorted_and_readers_never_see_them(days, tmp_path):
    store = tmp_path / "store"
    ingest(days[0], store, progress=False)
    ingest(days[1], store, progress=False, into=True)
    version = current_version(store)
    people: dict[str, int] = {}
    for name in ("mpi", "referrals"):
        for kind in ("tables", "superseded"):
            for path in segments(version, kind, name):
                rows = pq.read_table(path)
                keys = rows.column(RECORD_KEY).to_pylist()
                assert keys == sorted(keys), (name, kind, path.name)
                if name == "mpi":
                    people.update(zip(rows.column("person_id").to_pylist(), keys, strict=True))
        for kind in ("tables", "superseded"):
            assert all(
                RECORD_KEY in pq.read_schema(p).names for p in deletion_files(version, kind, name)
            )
    referrals = pq.read_table(segments(version, "tables", "referrals"))
    for pid, parent in zip(
        referrals.column("person_id").to_pylist(),
        referrals.column(PARENT_KEY).to_pylist(),
        strict=True,
    ):
        assert parent == people[pid]
    waiting = pq.read_schema(pending_file(version, "referrals")).names
    assert RECORD_KEY in waiting and PARENT_KEY in waiting  # R9 waits for P9
    opened = load_store(store)
    for name in TABLES:
        spec = [*TABLES[name].column_names, "submission_date"]
        assert read_rows(store, "tables", name).column_names == spec
        assert opened[name].columns == tuple(spec)
        assert pq.read_schema(version / EXPORT_FOLDER / f"{name}.parquet").names == spec
        assert not set(INTERNAL) & set(opened.superseded(name).columns)


def test_a_collision_of_record_keys_stops_the_load_and_changes_nothing(days, tmp_path, monkeypatch):
    store = tmp_path / "store"
    ingest(days[0], store, progress=False)
    monkeypatch.setattr(load, "record_key_sql", lambda columns: "0::BIGINT")  # all collide
    monkeypatch.setattr(load, "RECORD_KEY_CHECK", 0)
    with pytest.raises(WorkbenchError, match="mpi: .*hash collision"):
        ingest(days[1], store, progress=False, into=True)
    assert (store / CURRENT).read_text().strip() == "000001"
    only_child = tmp_path / "child"  # one person, one referral naming another person
    write_submission(only_child, "mpi", "RXA", "20250201", [person("P1")])
    write_submission(only_child, "referrals", "RXA", "20250201", [referral("R1", "P2")])
    with pytest.raises(WorkbenchError, match="referrals: .*hash collision"):
        ingest(only_child, tmp_path / "other", progress=False)
    assert not (tmp_path / "other" / CURRENT).exists()


def _strip_keys(store: Path) -> None:
    """Rewrite every Parquet file of ``store`` without the integer keys: a store as the
    release before record keys wrote it."""
    for path in store.rglob("*.parquet"):
        names = pq.read_schema(path).names
        if RECORD_KEY in names:
            kept = [n for n in names if n not in (RECORD_KEY, PARENT_KEY)]
            pq.write_table(pq.read_table(path, columns=kept), path)


def _sorted_rows(store: Path, kind: str, name: str) -> pa.Table:
    """The live rows of ``name``'s ``kind``, in an order of their own (a read's is not kept)."""
    rows = read_rows(store, kind, name)
    return rows.sort_by([(c, "ascending") for c in rows.column_names])


def test_a_store_written_before_record_keys_is_read_then_upgraded_by_its_next_load(days, tmp_path):
    store = tmp_path / "store"
    ingest(days[0], store, progress=False)
    ingest(days[1], store, progress=False, into=True)
    before = {(n, k): _sorted_rows(store, k, n) for n in TABLES for k in ("tables", "superseded")}
    _strip_keys(store)
    for (name, kind), rows in before.items():
        assert _sorted_rows(store, kind, name).equals(rows), (name, kind)
    ingest(days[2], store, progress=False, into=True)
    version = current_version(store)
    for name in TABLES:
        for kind in ("tables", "superseded"):
            for path in segments(version, kind, name):
                assert RECORD_KEY in pq.read_schema(path).names, (name, kind, path)
    every = tmp_path / "every"
    for folder in days:
        shutil.copytree(folder, every / folder.name)
    ingest(every, tmp_path / "full", progress=False)
    _assert_same_store(store, tmp_path / "full")


def _rows_read(con: duckdb.DuckDBPyConnection, sql: str, profile: Path) -> tuple[int, int]:
    """Rows ``sql`` returns, and rows its Parquet scans produced (DuckDB's profile)."""
    con.execute("PRAGMA enable_profiling = 'json'")
    con.execute(f"PRAGMA profiling_output = '{profile}'")
    found = len(con.execute(sql).fetchall())
    con.execute("PRAGMA disable_profiling")

    def scanned(node: dict) -> int:
        own = (
            node.get("operator_cardinality", 0)
            if node.get("operator_name") == "READ_PARQUET"
            else 0
        )
        return own + sum(scanned(child) for child in node.get("children", []))

    return found, scanned(json.loads(profile.read_text()))


def test_a_load_reads_only_the_row_groups_its_keys_can_fall_in(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "SEGMENT_ROW_GROUP_ROWS", 2048)  # DuckDB's smallest row group
    people = [f"P{i}" for i in range(8000)]
    write_submission(tmp_path / "d1", "mpi", "RXA", "20250201", [person(p) for p in people])
    write_submission(tmp_path / "d2", "mpi", "RXA", "20250202", [person("P7", ethnic_category="B")])
    store = tmp_path / "store"
    ingest(tmp_path / "d1", store, progress=False)
    ingest(tmp_path / "d2", store, progress=False, into=True)  # a deletion file too
    version = current_version(store)
    stored = segments(version, "tables", "mpi")
    assert sum(pq.ParquetFile(p).metadata.num_row_groups for p in stored) >= 4
    assert deletion_files(version, "tables", "mpi")
    with duckdb.connect() as con:
        wanted = "SELECT " + record_key_sql(["'RXA'", "'P11'"]) + f" AS {RECORD_KEY}"
        sql = load._stored_sql(
            version, "tables", TABLES["mpi"], "person_id, _load, _file_id, _row", wanted
        )
        found, read = _rows_read(con, sql, tmp_path / "profile.json")
    assert found == 1
    assert read <= 2 * 2048 < len(people)  # one row group (two if P11 sits on a boundary)


def _strip_column(store: Path, table: str, column: str) -> None:
    """Rewrite ``table``'s loaded and superseded segments of ``store`` without ``column``: a
    store written before that column joined the specification."""
    for kind in ("tables", "superseded"):
        for path in store.rglob(f"{kind}/{table}/*.parquet"):
            names = [n for n in pq.read_schema(path).names if n != column]
            pq.write_table(pq.read_table(path, columns=names), path)


def test_a_store_written_before_a_column_joined_the_spec_is_read_then_upgraded(days, tmp_path):
    store = tmp_path / "store"
    ingest(days[0], store, progress=False)
    ingest(days[1], store, progress=False, into=True)
    _strip_column(store, "referrals", "team_type")
    opened = load_store(store)["referrals"]
    assert opened.schema()["team_type"].is_string()
    assert opened.team_type.isnull().all().execute()
    stored = read_rows(store, "tables", "referrals")["team_type"]
    assert stored.null_count == len(stored) == 3
    ingest(days[2], store, progress=False, into=True)  # no traceback: the segments rewritten
    version = current_version(store)
    for kind in ("tables", "superseded"):
        written = [n for n, _ in stored_columns(kind, "referrals")]
        for path in segments(version, kind, "referrals"):
            assert pq.read_schema(path).names == written, (kind, path)
    rows = read_rows(store, "tables", "referrals").to_pandas().set_index("referral_id")["team_type"]
    assert rows["R1"] == "A03" and rows["R5"] == "A03"  # sent on the third day
    assert rows[["R2", "R4"]].isna().all()  # kept from before the column: not known
