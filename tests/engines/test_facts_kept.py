"""Facts kept by the load (facts/carry.py): after a full load and daily ``--into`` loads, each
updating the previous version's facts for the persons it touched, every fact equals the fact
built from scratch on the final store, compute equals compute on one full load, and compute
builds no fact again."""

from __future__ import annotations

import dataclasses
import logging
import random
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from submission_files import contact, person, referral, write_submission
from workbench import load_store
from workbench.compute import compute
from workbench.facts import FACTS, build_facts, fact_table
from workbench.facts.cache import MANIFEST, facts_folder, facts_stamp, read_manifest
from workbench.facts.carry import carry_facts
from workbench.ingest import ingest
from workbench.store_layout import current_version, deletion_files, read_rows

#: A full load and three daily loads of four senders, then compute twice: out of the fast
#: loop (make test runs it).
pytestmark = pytest.mark.e2e

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "synthetic" / "sample"
#: Two community providers, the acute provider their persons are admitted to, and a council's
#: Client Level Data.
SENDERS = ("SYN01", "SYN02", "SYNA1", "E06000035")
FIRST_BEFORE = "20241001"  # the full load: every file dated before this
SEED = 20261207


def _date(path: Path) -> str:
    return path.name.split("_")[-1].split(".")[0]


def _copy(files: list[Path], folder: Path) -> Path:
    for path in files:
        target = folder / path.relative_to(SAMPLE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return folder


def _resend(sender: Path, table: str, folder: Path) -> Path:
    """The sender's last file of ``table`` sent again a day later, in ``folder``."""
    (folder / sender.name).mkdir(parents=True)
    for path in sender.glob(f"{table}_*_20260401.*"):
        shutil.copy2(path, folder / sender.name / path.name.replace("20260401", "20260402"))
    return folder


@pytest.fixture(scope="module")
def loads(tmp_path_factory) -> dict[str, Path]:
    """``daily``: a full load of the first months, its facts built, then three daily loads of
    the rest, in a shuffled order (resends displace rows: deletions), each keeping the facts;
    ``full``: one full load of every file."""
    root = tmp_path_factory.mktemp("kept")
    files = sorted(p for s in SENDERS for p in (SAMPLE / s).iterdir() if p.is_file())
    first = [p for p in files if _date(p) < FIRST_BEFORE]
    rest = [p for p in files if _date(p) >= FIRST_BEFORE]
    random.Random(SEED).shuffle(rest)
    batches = [rest[i::3] for i in range(3)]
    daily, full = root / "daily", root / "full"
    ingest(_copy(first, root / "first"), daily, progress=False, keep_facts=carry_facts)
    build_facts(load_store(daily))  # as compute does after the first load
    for i, batch in enumerate(batches):
        source = _copy(batch, root / f"day{i}")
        ingest(source, daily, progress=False, into=True, keep_facts=carry_facts)
    ingest(_copy(files, root / "all"), full, progress=False)
    return {"daily": daily, "full": full, "root": root}


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    columns = sorted(frame.columns)
    frame = frame[columns].astype(object).where(frame[columns].notna(), None)
    return frame.sort_values(columns, key=lambda s: s.astype(str)).reset_index(drop=True)


def test_the_daily_loads_touched_superseded_deleted_and_cld_rows(loads):
    version = current_version(loads["daily"])
    assert any(deletion_files(version, "tables", t) for t in ("referrals", "care_contacts"))
    assert read_rows(loads["daily"], "tables", "cld_events").num_rows > 0
    assert read_rows(loads["daily"], "tables", "acute_admissions").num_rows > 0


def _assert_facts_as_built_from_scratch(path: Path, tmp_path: Path) -> None:
    """Every fact of the store at ``path`` is kept, stamped for its version, and equal row for
    row (in any order) to the fact built from scratch on a copy of the store."""
    store = load_store(path)
    manifest = read_manifest(facts_folder(store))
    assert sorted(manifest["facts"]) == sorted(FACTS)  # every fact kept by every load
    assert {k: manifest[k] for k in facts_stamp(store)} == facts_stamp(store)
    scratch = tmp_path / "scratch"
    shutil.copytree(path, scratch)
    shutil.rmtree(current_version(scratch) / "facts")
    rebuilt = load_store(scratch)
    build_facts(rebuilt)
    for name in FACTS:
        kept = pd.read_parquet(facts_folder(store) / f"{name}.parquet")
        built = pd.read_parquet(facts_folder(rebuilt) / f"{name}.parquet")
        assert len(kept) == len(built), name
        pd.testing.assert_frame_equal(_sorted(kept), _sorted(built), obj=name)


def test_every_kept_fact_equals_the_fact_built_from_scratch(loads, tmp_path):
    _assert_facts_as_built_from_scratch(loads["daily"], tmp_path)


def test_a_load_that_cannot_say_whom_it_touched_builds_every_fact_whole(loads, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(loads["daily"], store)
    day = _resend(SAMPLE / "SYN01", "referrals", tmp_path / "day")
    ingest(day, store, progress=False, into=True, keep_facts=lambda *a: carry_facts(*a[:3], None))
    _assert_facts_as_built_from_scratch(store, tmp_path)


def test_compute_after_the_daily_loads_builds_no_fact_and_equals_a_full_load(
    loads, tmp_path, monkeypatch
):
    folder = facts_folder(load_store(loads["daily"]))
    written = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    full = compute(load_store(loads["full"]), tmp_path / "full", progress=False)

    def never(*args):
        raise AssertionError("compute rebuilt a fact the loads kept")

    for name, fact in FACTS.items():
        monkeypatch.setitem(FACTS, name, dataclasses.replace(fact, build=never))
    daily = compute(load_store(loads["daily"]), tmp_path / "daily", progress=False)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == written
    assert (folder / MANIFEST).name in written
    assert daily["tables"] == full["tables"]
    for name in full["tables"]:
        got = pd.read_parquet(tmp_path / "daily" / f"{name}.parquet")
        want = pd.read_parquet(tmp_path / "full" / f"{name}.parquet")
        pd.testing.assert_frame_equal(_sorted(got), _sorted(want), obj=name)


def test_a_day_updates_only_its_persons_and_says_how_long_it_took(loads, tmp_path, caplog):
    store = tmp_path / "store"
    shutil.copytree(loads["daily"], store)
    day = _resend(SAMPLE / "SYN01", "care_contacts", tmp_path / "day")
    caplog.set_level(logging.INFO, logger="workbench.facts")
    report = ingest(day, store, progress=False, into=True, keep_facts=carry_facts)
    assert report["timings"]["facts_seconds"] >= 0
    assert not [r for r in caplog.records if "built whole" in r.getMessage()]
    kept = [r for r in caplog.records if r.getMessage().startswith("kept the")]
    assert len(kept) == len(FACTS)
    assert sorted(read_manifest(facts_folder(load_store(store)))["facts"]) == sorted(FACTS)


def test_a_load_into_a_version_without_facts_keeps_none(loads, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(loads["full"], store)
    shutil.rmtree(current_version(store) / "facts", ignore_errors=True)  # compute's, if any
    day = _resend(SAMPLE / "SYN02", "mpi", tmp_path / "day")
    report = ingest(day, store, progress=False, into=True, keep_facts=carry_facts)
    assert not (current_version(store) / "facts").exists()
    assert report["timings"]["facts_seconds"] >= 0


def test_kept_facts_are_read_as_they_are_on_every_engine(loads, engine):
    store = load_store(loads["daily"], engine=engine)
    folder = facts_folder(store)
    for name in FACTS:
        path = folder / f"{name}.parquet"
        written = path.stat().st_mtime_ns
        assert fact_table(store, name).count().execute() == pq.read_metadata(path).num_rows
        assert path.stat().st_mtime_ns == written, name


def _touched_by(source: Path, store: Path) -> set[str] | None:
    """The persons a load of ``source`` into ``store`` touched, as the load hands them on."""
    seen: list = []
    ingest(source, store, progress=False, into=True, keep_facts=lambda *a: seen.append(a[3]))
    return None if seen[0] is None else set(seen[0].to_pylist())


def test_a_load_touches_the_persons_of_every_row_it_places_supersedes_or_moves(tmp_path):
    first = tmp_path / "first"
    write_submission(first, "mpi", "RXA", "20250201", [person(p) for p in ("P1", "P2", "P3")])
    refs = [referral("R1", "P1"), referral("R2", "P2")]
    write_submission(first, "referrals", "RXA", "20250201", refs)
    write_submission(first, "care_contacts", "RXA", "20250201", [contact("C1", "R1")])
    store = tmp_path / "store"
    ingest(first, store, progress=False)
    resent = tmp_path / "resent"  # a contact without person_id: its referral's person
    write_submission(resent, "care_contacts", "RXA", "20250202", [contact("C1", "R1")])
    assert _touched_by(resent, store) == {"P1"}
    moved = tmp_path / "moved"  # a referral moved to another person: both
    write_submission(moved, "referrals", "RXA", "20250203", [referral("R2", "P3")])
    assert _touched_by(moved, store) == {"P2", "P3"}
    orphan = tmp_path / "orphan"  # a child still waiting for its parent touches no one
    write_submission(orphan, "care_contacts", "RXA", "20250204", [contact("C9", "R9")])
    assert _touched_by(orphan, store) == set()


def test_a_load_that_cannot_keep_the_facts_still_loads_and_leaves_them_to_compute(
    loads, tmp_path, monkeypatch, caplog
):
    store = tmp_path / "store"
    shutil.copytree(loads["daily"], store)
    day = _resend(SAMPLE / "SYN02", "referrals", tmp_path / "day")

    def out_of_memory(*args):
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate")

    monkeypatch.setattr("workbench.facts.carry.updated_fact", out_of_memory)
    report = ingest(day, store, progress=False, into=True, keep_facts=carry_facts)
    assert report["loads"] == 5
    assert not (current_version(store) / "facts").exists()
    assert "could not keep the store's facts (Out of Memory Error" in caplog.text
