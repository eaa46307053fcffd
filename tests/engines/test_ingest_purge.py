"""``workbench purge``: a record, or one file's rows, removed from every version, kind and cache
of a store, so that no file of the store folder holds it any more."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from submission_files import contact, person, referral, write_submission
from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.ingest import ingest
from workbench.ingest.history import read_history
from workbench.ingest.purge import purge
from workbench.spec import TABLES
from workbench.store_layout import VERSIONS, current_version, read_rows

PLANTED = "PLANTEDPERSON77"
PLANTED_REFERRAL = "PLANTEDREFERRAL77"


def _stored_text(store: Path) -> bytes:
    """Every byte of every file below ``store``, with every Parquet file's values read back as
    text too (compressed pages would hide a value from a plain byte search)."""
    chunks = []
    for path in sorted(p for p in store.rglob("*") if p.is_file()):
        chunks.append(path.read_bytes())
        if path.suffix == ".parquet":
            chunks.append(json.dumps(pq.read_table(path).to_pylist(), default=str).encode())
    return b"\n".join(chunks)


@pytest.fixture
def planted_store(tmp_path: Path) -> Path:
    """A store of three loads holding the planted person in every kind: loaded, superseded
    (a resend), a rejected referral, and a contact waiting as an orphan."""
    days = [tmp_path / f"day{i}" for i in range(3)]
    write_submission(days[0], "mpi", "RXA", "20250201", [person(PLANTED), person("KEEP1")])
    write_submission(
        days[0],
        "referrals",
        "RXA",
        "20250201",
        [
            referral(PLANTED_REFERRAL, PLANTED),
            referral("PLANTEDBADREF", PLANTED, referral_received_date="1899-01-01"),
            referral("KEEPREF", "KEEP1"),
        ],
    )
    write_submission(
        days[0],
        "care_contacts",
        "RXA",
        "20250201",
        [contact("KEEPC", "KEEPREF"), contact("PLANTEDWAITING", "NOTYET", referral_id="NOTYET")],
    )
    write_submission(days[1], "mpi", "RXA", "20250202", [person(PLANTED, ethnic_category="B")])
    write_submission(days[2], "mpi", "RXA", "20250203", [person("KEEP2")])
    store = tmp_path / "store"
    for day in days:
        ingest(day, store, progress=False, into=store.exists(), write_feedback_reports=False)
    return store


def test_a_purged_record_is_found_nowhere_in_the_store(planted_store):
    store = planted_store
    assert PLANTED.encode() in _stored_text(store)  # the search finds it before the purge
    assert len(list((store / VERSIONS).iterdir())) >= 2
    removed = purge(store, "RXA", record=PLANTED)
    # the rejected referral keeps its own key only, not the person: it is not the record
    assert removed["mpi"] == 2 and removed["referrals"] == 1
    assert PLANTED.encode() not in _stored_text(store)
    assert PLANTED_REFERRAL.encode() not in _stored_text(store)
    versions = [p.parent.name for p in (store / VERSIONS).glob("*/load_history.json")]
    assert versions == [current_version(store).name]  # other versions keep only shared files
    assert sorted(read_rows(store, "tables", "mpi").column("person_id").to_pylist()) == [
        "KEEP1",
        "KEEP2",
    ]
    assert read_rows(store, "tables", "referrals").column("referral_id").to_pylist() == ["KEEPREF"]
    exported = pq.read_table(current_version(store) / "export" / "mpi.parquet")
    assert sorted(exported.column("person_id").to_pylist()) == ["KEEP1", "KEEP2"]
    entry = read_history(current_version(store))[-1]
    assert entry["mode"] == "purge" and entry["tables"]["mpi"]["purged"] == 2
    assert PLANTED not in json.dumps(read_history(current_version(store)))


def test_a_load_after_a_purge_reconciles_and_keeps_it_purged(planted_store, tmp_path):
    purge(planted_store, "RXA", record=PLANTED)
    write_submission(tmp_path / "day3", "mpi", "RXA", "20250204", [person("KEEP3")])
    ingest(tmp_path / "day3", planted_store, into=True, progress=False)
    assert PLANTED.encode() not in _stored_text(planted_store)
    ids = read_rows(planted_store, "tables", "mpi").column("person_id").to_pylist()
    assert sorted(ids) == ["KEEP1", "KEEP2", "KEEP3"]


def test_purging_a_file_brings_back_the_version_it_replaced(planted_store):
    before = {name: read_rows(planted_store, "tables", name).num_rows for name in TABLES}
    purge(planted_store, "RXA", file="mpi_RXA_20250202.csv")
    mpi = read_rows(planted_store, "tables", "mpi").to_pandas().set_index("person_id")
    assert mpi.loc[PLANTED, "ethnic_category"] == "A"  # the first version is current again
    assert read_rows(planted_store, "superseded", "mpi").num_rows == 0
    after = {name: read_rows(planted_store, "tables", name).num_rows for name in TABLES}
    assert after == before  # the file held a resend only: every record stays loaded


def test_purge_refuses_a_file_never_loaded_and_names_no_value(planted_store):
    with pytest.raises(WorkbenchError, match="no loaded submission file has that name") as err:
        purge(planted_store, "RXA", file="mpi_RXA_20990101.csv")
    assert "20990101" not in str(err.value)


def test_the_purge_command_never_prints_the_record(planted_store, capsys):
    code = main(["purge", str(planted_store), "--provider", "RXA", "--record", PLANTED])
    out = capsys.readouterr()
    assert code == 0
    assert PLANTED not in out.out + out.err
    assert "mpi" in out.out


def test_a_purge_leaves_no_fact_that_holds_the_record(planted_store):
    """The facts built from the store (by compute, or any measure) hold the record too: after
    the purge no fact file of any version holds it, and facts rebuilt from the purged store do
    not bring it back."""
    from workbench.facts.cache import build_facts, facts_folder
    from workbench.store import load_store

    before = load_store(planted_store)
    build_facts(before)
    assert PLANTED.encode() in _stored_text(facts_folder(before))  # the facts hold it
    purge(planted_store, "RXA", record=PLANTED)
    assert PLANTED.encode() not in _stored_text(planted_store)
    rebuilt = load_store(planted_store)
    build_facts(rebuilt)
    assert any(facts_folder(rebuilt).glob("*.parquet"))
    assert PLANTED.encode() not in _stored_text(planted_store)
