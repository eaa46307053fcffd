"""``workbench.load_store``: the loaded tables on each engine through Ibis, with the load report."""

import ibis.expr.types as ir
import pytest

from submission_files import make_store, person
from workbench import load_store
from workbench.errors import WorkbenchError
from workbench.ingest import ingest
from workbench.spec import EXTRACT_TABLES


def test_load_store_returns_typed_ibis_tables_and_the_report(small_submission, tmp_path, engine):
    ingest(small_submission, tmp_path / "store", progress=False)
    store = load_store(tmp_path / "store", engine=engine)
    assert set(store.tables) == set(EXTRACT_TABLES)  # a load holds CLD, with no rows here
    referrals = store["referrals"]
    assert isinstance(referrals, ir.Table)
    assert referrals.schema()["referral_received_date"].is_date()
    assert referrals.schema()["age_at_referral"].is_integer()
    assert referrals.count().execute() == store.report["tables"]["referrals"]["loaded"] == 2
    assert store.rejects("care_contacts").count().execute() == 4
    assert store.superseded("mpi").count().execute() == 1
    assert store["rtt_clocks"].count().execute() == 0


def test_load_store_on_a_folder_that_is_not_a_store(tmp_path):
    with pytest.raises(WorkbenchError, match="not a workbench store"):
        load_store(tmp_path)


def test_unknown_table_names_the_known_ones(small_submission, tmp_path):
    ingest(small_submission, tmp_path / "store", progress=False)
    with pytest.raises(KeyError, match="care_contacts"):
        load_store(tmp_path / "store")["contacts"]


def test_two_stores_open_at_once_each_read_their_own_rows(small_submission, tmp_path, engine):
    ingest(small_submission, tmp_path / "one", progress=False)
    one = load_store(tmp_path / "one", engine=engine)
    two = load_store(make_store(tmp_path / "two", mpi=[person("P1")]), engine=engine)
    assert one["referrals"].count().execute() == 2
    assert two["referrals"].count().execute() == 0
