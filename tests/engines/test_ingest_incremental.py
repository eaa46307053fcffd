"""``workbench ingest NEW --into STORE``: daily loads add to a store and end exactly where one
full load of every file ends (measures.md section 1), whatever the order the files arrive in."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from submission_files import contact, person, referral, write_submission
from workbench import load_store
from workbench.facts.cache import facts_stamp
from workbench.ingest import ingest, load
from workbench.ingest.history import read_history
from workbench.spec import TABLES
from workbench.store_layout import (
    ROW_IDENTITY,
    current_version,
    deletion_files,
    read_rows,
    segment_name,
)

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "synthetic" / "sample"


def _frame(store: Path, kind: str, name: str) -> pd.DataFrame:
    """Rows of one kind of one table, in a fixed order; a reject's file by name (the batches
    sit in other folders than the full source)."""
    frame = read_rows(store, kind, name).to_pandas()
    if kind == "rejects":
        frame["source_file"] = frame["source_file"].map(lambda p: Path(p).name)
        frame["reasons"] = frame["reasons"].map(lambda r: tuple(r))
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _assert_same_store(got: Path, want: Path) -> None:
    for name in TABLES:
        for kind in ("tables", "superseded", "rejects"):
            pd.testing.assert_frame_equal(_frame(got, kind, name), _frame(want, kind, name))
    a, b = load_store(got).report, load_store(want).report
    for name in TABLES:
        for count in ("read", "loaded", "superseded", "rejected", "reject_reasons"):
            assert a["tables"][name][count] == b["tables"][name][count], (name, count)
    assert a["source_sha256"] == b["source_sha256"]


def _split(source: Path, into: Path, batches: int, seed: int) -> list[Path]:
    """Copy every file of ``source`` into one of ``batches`` folders, chosen at random."""
    rng = random.Random(seed)
    folders = [into / f"day{i}" for i in range(batches)]
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = rng.choice(folders) / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return [f for f in folders if f.exists()]


@pytest.fixture
def two_providers(tmp_path: Path) -> Path:
    """Two providers of the committed sample (their resends, rejects and orphans included)."""
    src = tmp_path / "extract"
    for provider in ("SYN01", "SYN02"):
        shutil.copytree(SAMPLE / provider, src / provider)
    return src


def test_daily_batches_in_random_order_equal_one_full_load(two_providers, tmp_path):
    ingest(two_providers, tmp_path / "full", progress=False)
    seed = random.randrange(1 << 30)
    print(f"split seed {seed}")  # shown when the test fails, to repeat the split
    batches = _split(two_providers, tmp_path / "batches", batches=4, seed=seed)
    deletions = 0
    for batch in batches:
        ingest(batch, tmp_path / "daily", progress=False, into=True)
        version = current_version(tmp_path / "daily")
        deletions += sum(  # the rows this load named in deletion files (store_layout.py)
            pq.ParquetFile(f).metadata.num_rows
            for name in TABLES
            for kind in ROW_IDENTITY
            for f in deletion_files(version, kind, name)
            if f.name == segment_name(len(read_history(version)))
        )
    assert deletions > 0  # later loads displaced and re-ranked rows of earlier ones
    _assert_same_store(tmp_path / "daily", tmp_path / "full")
    history = load_store(tmp_path / "daily").report
    assert history["loads"] == len(batches)


def test_an_orphan_loads_when_its_parent_arrives_later_and_a_resend_displaces(
    small_submission, tmp_path
):
    ingest(small_submission, tmp_path / "store", progress=False)
    late = tmp_path / "late"
    write_submission(late, "mpi", "RXA", "20250203", [person("P9")])
    write_submission(late, "referrals", "RXA", "20250203", [referral("R2", "P2")])
    write_submission(late, "care_contacts", "RXA", "20250203", [contact("C9", "R3")])
    report = ingest(late, tmp_path / "store", progress=False, into=True)
    # P9 arrives: R3 (waiting since day 1) loads, and so does C4 (its child, waiting on R3).
    store = load_store(tmp_path / "store")
    referrals = store["referrals"].execute().set_index("referral_id")
    assert set(referrals.index) == {"R1", "R2", "R3"}
    assert referrals.loc["R2", "person_id"] == "P2"  # the resend displaced the stored R2
    contacts = set(store["care_contacts"].execute()["contact_id"])
    assert contacts == {"C1", "C4", "C9"}
    both = tmp_path / "both"
    shutil.copytree(small_submission, both / "a")
    shutil.copytree(late, both / "b")
    ingest(both, tmp_path / "full", progress=False)
    _assert_same_store(tmp_path / "store", tmp_path / "full")
    last = store.report["loads"]
    history = (store.path / "load_history.json").read_text()
    assert '"displaced": 1' in history and '"orphans_loaded": 1' in history
    assert last == 2 and report["tables"]["referrals"]["superseded"] == 2


def test_files_already_loaded_change_nothing(small_submission, tmp_path):
    ingest(small_submission, tmp_path / "store", progress=False, into=True)
    version = load_store(tmp_path / "store").path
    report = ingest(small_submission, tmp_path / "store", progress=False, into=True)
    assert load_store(tmp_path / "store").path == version
    assert report["loads"] == 1


def test_facts_see_an_added_load_as_a_new_store(small_submission, tmp_path):
    ingest(small_submission, tmp_path / "store", progress=False)
    before = facts_stamp(load_store(tmp_path / "store"))
    late = tmp_path / "late"
    write_submission(late, "mpi", "RXA", "20250203", [person("P9")])
    ingest(late, tmp_path / "store", progress=False, into=True)
    after = load_store(tmp_path / "store")
    assert facts_stamp(after) != before
    assert not (after.path / "facts").exists()  # each version keeps its own facts


def test_into_a_store_of_an_earlier_layout_asks_for_a_rebuild(small_submission, tmp_path):
    legacy = tmp_path / "store"
    legacy.mkdir()
    (legacy / "load_report.json").write_text("{}")
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="--out"):
        ingest(small_submission, legacy, progress=False, into=True)
    ingest(small_submission, legacy, progress=False)  # --out converts it
    assert load_store(legacy).report["tables"]["mpi"]["loaded"] == 2


def test_the_daily_command_says_when_there_is_nothing_new(small_submission, tmp_path, capsys):
    from workbench.cli import main

    store = str(tmp_path / "store")
    assert main(["ingest", str(small_submission), "--into", store, "--quiet"]) == 0
    assert "(1 load(s))" in capsys.readouterr().out
    assert main(["ingest", str(small_submission), "--into", store, "--quiet"]) == 0
    assert "already loaded" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:  # one of --out and --into, not both
        main(["ingest", str(small_submission), "--into", store, "--out", store])
    assert stopped.value.code == 2


def _person_age(store: Path, pid: str) -> str:
    mpi = read_rows(store, "tables", "mpi").to_pandas().set_index("person_id")
    return str(mpi.loc[pid, "age_years"])


def test_the_same_bytes_resent_under_a_later_date_are_a_new_submission(tmp_path):
    first = write_submission(tmp_path / "d1", "mpi", "RXA", "20250201", [person("P1")])
    write_submission(tmp_path / "d2", "mpi", "RXA", "20250202", [person("P1", age_years="71")])
    resend = tmp_path / "d3" / "RXA" / "mpi_RXA_20250203.csv"
    resend.parent.mkdir(parents=True)
    shutil.copyfile(first, resend)  # byte-identical to day 1's file, under a later date
    for day in ("d1", "d2", "d3"):
        ingest(tmp_path / day, tmp_path / "daily", progress=False, into=True)
    both = tmp_path / "all"
    for day in ("d1", "d2", "d3"):
        shutil.copytree(tmp_path / day, both / day)
    ingest(both, tmp_path / "full", progress=False)
    assert _person_age(tmp_path / "daily", "P1") == "70"  # the resend is the latest version
    _assert_same_store(tmp_path / "daily", tmp_path / "full")


def test_same_named_resends_in_day_folders_rank_as_they_were_sent(tmp_path):
    day9 = write_submission(tmp_path / "day9", "mpi", "RXA", "20250201", [person("P1")])
    day10 = write_submission(
        tmp_path / "day10", "mpi", "RXA", "20250201", [person("P1", age_years="71")]
    )
    os.utime(day9, ns=(1_700_000_000 * 10**9,) * 2)  # day 9's file was written first
    os.utime(day10, ns=(1_700_086_400 * 10**9,) * 2)
    for day in ("day9", "day10"):
        ingest(tmp_path / day, tmp_path / "daily", progress=False, into=True)
    both = tmp_path / "all"
    for day in ("day9", "day10"):  # "day10" sorts before "day9" as a path
        shutil.copytree(tmp_path / day, both / day)
    ingest(both, tmp_path / "full", progress=False)
    assert _person_age(tmp_path / "full", "P1") == "71"
    _assert_same_store(tmp_path / "daily", tmp_path / "full")


def test_a_copy_of_a_file_in_two_folders_loads_once(tmp_path):
    path = write_submission(tmp_path / "src" / "a", "mpi", "RXA", "20250201", [person("P1")])
    copy = tmp_path / "src" / "b" / path.relative_to(tmp_path / "src" / "a")
    copy.parent.mkdir(parents=True)
    shutil.copy2(path, copy)
    report = ingest(tmp_path / "src", tmp_path / "full", progress=False)
    assert report["tables"]["mpi"]["read"] == 1 and report["tables"]["mpi"]["superseded"] == 0


def test_loads_keeping_their_working_tables_in_a_file_equal_loads_in_memory(
    two_providers, tmp_path, monkeypatch
):
    """A load too large for its working tables to fit in memory keeps them in a database file
    (ingest/load.py, ``working_database``): the store it ends with is the one loads in memory
    make."""
    ingest(two_providers, tmp_path / "memory", progress=False)
    real, chosen = load.working_database, []

    def recorded(*args: object) -> str:
        chosen.append(real(*args))
        return chosen[-1]

    monkeypatch.setattr(load, "WORKING_BYTES_PER_STAGED_BYTE", 10**15)
    monkeypatch.setattr(load, "working_database", recorded)
    for batch in _split(two_providers, tmp_path / "batches", batches=2, seed=7):
        ingest(batch, tmp_path / "file", progress=False, into=True)
    assert len(chosen) == 2 and all(Path(c).name == "work.duckdb" for c in chosen)
    _assert_same_store(tmp_path / "file", tmp_path / "memory")
