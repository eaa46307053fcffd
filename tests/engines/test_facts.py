"""Record-level facts are built once per store version and kept beside the store (issue 9)."""

import json

import pytest

from submission_files import make_store, person, referral
from workbench import load_store
from workbench.facts import FACTS, fact_table
from workbench.facts.cache import MANIFEST, facts_folder
from workbench.measures.waits import waiting_list


@pytest.fixture
def store_path(tmp_path):
    refs = [
        referral("R1", "P1", referral_received_date="2025-05-01"),
        referral("R2", "P1", referral_received_date="2025-06-01", team_type="C05"),
    ]
    return make_store(tmp_path, mpi=[person("P1")], referrals=refs)


def test_a_fact_is_built_once_and_read_again_from_disk(store_path, engine):
    store = load_store(store_path, engine=engine)
    assert fact_table(store, "pathways").count().execute() == 2
    path = facts_folder(store) / "pathways.parquet"
    built = path.stat().st_mtime_ns
    again = load_store(store_path, engine=engine)
    assert fact_table(again, "pathways").count().execute() == 2
    assert path.stat().st_mtime_ns == built
    manifest = json.loads((facts_folder(store) / MANIFEST).read_text())
    assert "pathways" in manifest["facts"]
    assert manifest["source_sha256"] == store.report["source_sha256"]


def test_facts_are_rebuilt_when_the_store_changes(store_path, engine):
    store = load_store(store_path, engine=engine)
    fact_table(store, "pathways").count().execute()
    report = store.path / "load_report.json"  # the version's report
    changed = json.loads(report.read_text())
    changed["loaded_at"] = "2099-01-01T00:00:00+00:00"
    report.write_text(json.dumps(changed))
    reloaded = load_store(store_path, engine=engine)
    fact_table(reloaded, "persons").count().execute()
    manifest = json.loads((facts_folder(reloaded) / MANIFEST).read_text())
    assert manifest["loaded_at"] == "2099-01-01T00:00:00+00:00"
    assert manifest["facts"] == ["persons"]  # the old pathways went with the old version
    assert not (facts_folder(reloaded) / "pathways.parquet").exists()


def test_a_store_that_cannot_be_written_gets_its_facts_for_the_session(
    store_path, monkeypatch, engine
):
    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("workbench.facts.cache._write", refuse)  # as on a read-only share
    store = load_store(store_path, engine=engine)
    assert waiting_list(store, "2025-06-30")["waiting"].iloc[0] == 2
    assert not (facts_folder(store) / "pathways.parquet").exists()


def test_every_pathway_carries_its_service(store_path, engine):
    store = load_store(store_path, engine=engine)
    frame = fact_table(store, "pathways").to_pandas().set_index("referral_id")
    assert frame.loc["R2", "service"] == "Children and young people"
    assert set(FACTS) >= {"pathways", "persons", "person_months", "ucr_clocks"}


def test_an_unknown_fact_is_named(store_path):
    with pytest.raises(KeyError, match="no fact 'nope'"):
        fact_table(load_store(store_path), "nope")
