"""measures.md section 1: every row read is loaded, superseded or rejected, and counts reconcile."""

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from submission_files import person, referral, write_submission
from workbench import load_store
from workbench.errors import ReconciliationError
from workbench.ingest import ingest
from workbench.store_layout import LOCK, current_version, read_rows


def _table(store: Path, folder: str, name: str):
    return read_rows(store, folder, name).to_pandas()


def test_reconciliation_read_equals_loaded_plus_superseded_plus_rejected(
    small_submission, tmp_path
):
    report = ingest(small_submission, tmp_path / "store", progress=False)
    expected = {
        "mpi": (3, 2, 1, 0),
        "referrals": (5, 2, 1, 2),
        "care_contacts": (5, 1, 0, 4),
        "rtt_clocks": (0, 0, 0, 0),
    }
    for name, (read, loaded, superseded, rejected) in expected.items():
        t = report["tables"][name]
        assert (t["read"], t["loaded"], t["superseded"], t["rejected"]) == (
            read,
            loaded,
            superseded,
            rejected,
        ), name
        assert t["reconciled"]
    assert report["reconciled"]
    per_file = sum(f["read"] for f in report["files"])
    assert per_file == sum(t["read"] for t in report["tables"].values()) == 13


def test_latest_submission_of_a_key_wins(small_submission, tmp_path):
    ingest(small_submission, tmp_path / "store", progress=False)
    referrals = _table(tmp_path / "store", "tables", "referrals").set_index("referral_id")
    assert str(referrals.loc["R1", "referral_closure_date"]) == "2025-02-01"
    assert str(referrals.loc["R1", "submission_date"]) == "2025-02-02"
    mpi = _table(tmp_path / "store", "tables", "mpi").set_index("person_id")
    assert mpi.loc["P1", "ethnic_category"] == "B"
    superseded = _table(tmp_path / "store", "superseded", "mpi")
    assert list(superseded["person_id"]) == ["P1"]
    assert superseded["ethnic_category"].iloc[0] == "A"


def test_rejected_rows_keep_a_reason_per_field(small_submission, tmp_path):
    ingest(small_submission, tmp_path / "store", progress=False)
    rejects = _table(tmp_path / "store", "rejects", "care_contacts")
    reasons = {
        row.contact_id: list(row.reasons)
        for row in rejects.dropna(subset=["contact_id"]).itertuples()
    }
    assert reasons["C2"] == ["contact_date: not a date (YYYY-MM-DD)"]
    assert reasons["C3"] == ["referral_id: no matching record in referrals (orphan)"]
    # C4's referral R3 was itself rejected (its person is absent), so C4 is an orphan too.
    assert reasons["C4"] == ["referral_id: no matching record in referrals (orphan)"]
    missing_id = rejects[rejects["contact_id"].isna()]
    assert [list(r) for r in missing_id["reasons"]] == [["contact_id: mandatory value missing"]]
    assert set(rejects["source_row"]) == {2, 3, 4, 5}
    assert rejects["source_file"].str.endswith("care_contacts_RXA_20250201.csv").all()
    ref_rejects = _table(tmp_path / "store", "rejects", "referrals").set_index("referral_id")
    assert list(ref_rejects.loc["R4", "reasons"]) == [
        "referral_received_date: impossible date, before 1900-01-01"
    ]


def test_later_file_on_same_date_and_later_row_win(tmp_path):
    src = tmp_path / "src"
    write_submission(
        src, "mpi", "RXA", "20250201", [person("P1", age_years="70"), person("P1", age_years="71")]
    )
    write_submission(src, "mpi", "RXA", "20250201", [person("P1", age_years="72")])
    # same date and name, in another folder: the file written later wins, whatever the
    # folders' names (here "RXA_resend" also sorts after "RXA" as a path)
    later = src / "RXA_resend"
    later.mkdir()
    (src / "RXA" / "mpi_RXA_20250201.csv").rename(later / "mpi_RXA_20250201.csv")
    first = write_submission(
        src, "mpi", "RXA", "20250201", [person("P1", age_years="70"), person("P1", age_years="71")]
    )
    os.utime(first, ns=(1_700_000_000 * 10**9,) * 2)
    os.utime(later / first.name, ns=(1_700_000_060 * 10**9,) * 2)
    report = ingest(src, tmp_path / "store", progress=False)
    mpi = _table(tmp_path / "store", "tables", "mpi")
    assert list(mpi["age_years"]) == [72]
    assert report["tables"]["mpi"]["superseded"] == 2


def test_rejected_resubmission_leaves_the_latest_valid_version_loaded(tmp_path):
    src = tmp_path / "src"
    write_submission(src, "mpi", "RXA", "20250201", [person("P1")])
    write_submission(src, "referrals", "RXA", "20250201", [referral("R1", "P1")])
    write_submission(
        src,
        "referrals",
        "RXA",
        "20250202",
        [referral("R1", "P1", referral_received_date="2025-13-01")],
    )
    report = ingest(src, tmp_path / "store", progress=False)
    t = report["tables"]["referrals"]
    assert (t["loaded"], t["superseded"], t["rejected"]) == (1, 0, 1)
    loaded = _table(tmp_path / "store", "tables", "referrals")
    assert str(loaded["referral_received_date"].iloc[0]) == "2025-01-10"


def test_impossible_dates_values_and_provider_mismatch_are_rejected(tmp_path):
    src = tmp_path / "src"
    write_submission(
        src,
        "mpi",
        "RXA",
        "20250201",
        [
            person("P1", age_years="130"),
            person("P2", provider_code="RXB"),
            person("P3", age_years="7.5"),
            person("P4"),
        ],
    )
    write_submission(
        src,
        "referrals",
        "RXA",
        "20250201",
        [
            referral("R1", "P4", referral_received_date="2025-02-02"),  # after submission date
            referral("R2", "P4", referral_received_time="25:61:00"),
            referral("R3", "P4", referral_received_date="2025-02-01"),  # on the submission date
        ],
    )
    ingest(src, tmp_path / "store", progress=False)
    mpi = _table(tmp_path / "store", "rejects", "mpi").set_index("person_id")["reasons"]
    assert list(mpi["P1"]) == ["age_years: impossible value, outside 0 to 120"]
    assert list(mpi["P2"]) == ["provider_code: differs from the provider in the file name"]
    assert list(mpi["P3"]) == ["age_years: not a whole number"]
    refs = _table(tmp_path / "store", "rejects", "referrals").set_index("referral_id")["reasons"]
    assert list(refs["R1"]) == [
        "referral_received_date: impossible date, after the submission date"
    ]
    assert list(refs["R2"]) == ["referral_received_time: not a time (HH:MM:SS)"]
    assert "R3" not in refs.index


def test_invalid_codes_are_loaded_for_data_quality_to_count(tmp_path):
    src = tmp_path / "src"
    write_submission(
        src, "mpi", "RXA", "20250201", [person("P1", ethnic_category="XX", lsoa_2011="E01999999")]
    )
    report = ingest(src, tmp_path / "store", progress=False)
    assert report["tables"]["mpi"]["loaded"] == 1


def test_rerunning_ingest_on_the_same_input_gives_the_same_store(small_submission, tmp_path):
    ingest(small_submission, tmp_path / "a", progress=False)
    ingest(small_submission, tmp_path / "b", progress=False)
    a_version, b_version = current_version(tmp_path / "a"), current_version(tmp_path / "b")
    for folder in ("tables", "superseded", "rejects"):
        for path in sorted((a_version / folder).iterdir()):
            other = b_version / folder / path.name
            assert pq.read_table(path).equals(pq.read_table(other)), path
    a = json.loads((a_version / "load_report.json").read_text())
    b = json.loads((b_version / "load_report.json").read_text())
    for varies in ("loaded_at", "timings"):  # when, and how long: the rest is reproducible
        a.pop(varies), b.pop(varies)
    assert a == b


def test_ingest_replaces_an_existing_store(small_submission, tmp_path):
    ingest(small_submission, tmp_path / "store", progress=False)
    ingest(small_submission, tmp_path / "store", progress=False)
    assert load_store(tmp_path / "store").report["tables"]["mpi"]["loaded"] == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_interrupted_run_leaves_the_previous_store_intact(
    small_submission, tmp_path, monkeypatch
):
    ingest(small_submission, tmp_path / "store", progress=False)
    before = read_rows(tmp_path / "store", "tables", "mpi")

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("workbench.ingest.run.load_staged", stop)
    with pytest.raises(KeyboardInterrupt):
        ingest(small_submission, tmp_path / "store", progress=False)
    assert read_rows(tmp_path / "store", "tables", "mpi") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_load_that_cannot_reconcile_fails(small_submission, tmp_path, monkeypatch):
    import workbench.ingest.run as run

    real = run.load_staged

    def lose_a_row(*args, **kwargs):
        outcomes = real(*args, **kwargs)
        outcomes["referrals"].loaded -= 1
        return outcomes

    monkeypatch.setattr(run, "load_staged", lose_a_row)
    with pytest.raises(ReconciliationError, match="referrals"):
        ingest(small_submission, tmp_path / "store", progress=False)
    assert [p.name for p in (tmp_path / "store").iterdir()] == [LOCK]  # all but the writer lock


def test_parquet_and_csv_submissions_load_the_same(small_submission, tmp_path):
    import pyarrow.csv as pacsv

    pq_src = tmp_path / "pq"
    for path in small_submission.rglob("*.csv"):
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                strings_can_be_null=True,
                column_types={c: "string" for c in path.read_text().splitlines()[0].split(",")},
            ),
        )
        out = pq_src / path.parent.name / path.with_suffix(".parquet").name
        out.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, out)
    ingest(small_submission, tmp_path / "a", progress=False)
    ingest(pq_src, tmp_path / "b", progress=False)
    for name in ("mpi", "referrals", "care_contacts"):
        assert read_rows(tmp_path / "a", "tables", name).equals(
            read_rows(tmp_path / "b", "tables", name)
        )
