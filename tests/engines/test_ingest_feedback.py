"""Submitter feedback (measures.md section 1): one report per provider per load, HTML and CSV,
with its files accepted and quarantined, its rejected rows by file, row, record key and field,
and its quality against its previous loads; never another provider, never a submitted value
other than the provider's own record keys, never a value the identifier guard refused."""

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from submission_files import person, referral, write_submission
from workbench.cli import main
from workbench.errors import BadInputError, IdentifiableDataError
from workbench.ingest import ingest
from workbench.ingest.feedback import default_feedback_folder

LOAD_DATE = dt.date(2025, 3, 1)
BAD_DATE = "31/01/2025"


def _submissions(src: Path, rxa_bad_referrals: int = 1) -> None:
    """RXA: persons, referrals (some with a bad date) and a semicolon file; RXB: clean."""
    write_submission(src, "mpi", "RXA", "20250201", [person("P1"), person("P2")])
    referrals = [referral("R1", "P1")] + [
        referral(f"RBAD{i}", "P2", referral_received_date=BAD_DATE)
        for i in range(rxa_bad_referrals)
    ]
    write_submission(src, "referrals", "RXA", "20250201", referrals)
    bad = write_submission(src, "mpi", "RXA", "20250202", [person("P3")])
    bad.write_text(bad.read_text().replace(",", ";"))
    rxb = {"provider_code": "RXB"}
    write_submission(
        src,
        "mpi",
        "RXB",
        "20250201",
        [person("Q1", **rxb, ethnic_category="99"), person("Q2", **rxb)],
    )
    write_submission(src, "referrals", "RXB", "20250201", [referral("S1", "Q1", **rxb)])


def _load_folder(feedback: Path, provider: str) -> Path:
    (folder,) = [p for p in (feedback / provider).iterdir() if p.is_dir()]
    return folder


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file())


def test_each_provider_gets_its_own_report(tmp_path):
    src = tmp_path / "src"
    _submissions(src)
    store = tmp_path / "store"
    report = ingest(src, store, progress=False, load_date=LOAD_DATE)
    feedback = default_feedback_folder(store)
    assert feedback == tmp_path / "store-feedback"  # beside the store, never inside it
    assert Path(report["feedback_folder"]) == feedback
    assert sorted(p.name for p in feedback.iterdir()) == ["RXA", "RXB"]

    rxa = _load_folder(feedback, "RXA")
    assert sorted(p.name for p in rxa.iterdir()) == [
        "feedback.html",
        "files.csv",
        "rejected_rows.csv",
    ]
    files = pd.read_csv(rxa / "files.csv")
    assert sorted(files["outcome"]) == ["accepted", "accepted", "quarantined"]
    quarantined = files[files["outcome"] == "quarantined"].iloc[0]
    assert quarantined["file"] == "mpi_RXA_20250202.csv"
    assert "separated by semicolons" in quarantined["reasons"]
    assert str(src) not in quarantined["reasons"]  # the file is named in its own column
    assert quarantined["rows_quarantined"] == 1

    rejected = pd.read_csv(rxa / "rejected_rows.csv", dtype=str)
    assert rejected.to_dict("records") == [
        {
            "table": "referrals",
            "file": "referrals_RXA_20250201.csv",
            "row": "2",
            "record_key": "referral_id=RBAD0",
            "field": "referral_received_date",
            "problem": "not a date (YYYY-MM-DD)",
        }
    ]
    page = (rxa / "feedback.html").read_text(encoding="utf-8")
    for phrase in (
        "Submission feedback for provider RXA",
        "referral_id=RBAD0",
        "mpi_RXA_20250202.csv",
    ):
        assert phrase in page
    assert "no earlier load to compare with" in page


def test_a_report_never_mentions_another_provider(tmp_path):
    src = tmp_path / "src"
    _submissions(src)
    ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    feedback = tmp_path / "store-feedback"
    rxa, rxb = _all_text(feedback / "RXA"), _all_text(feedback / "RXB")
    assert "RXB" not in rxa and "Q1" not in rxa and "S1" not in rxa
    assert "RXA" not in rxb and "RBAD0" not in rxb and "P1" not in rxb
    assert "Nothing: every file was accepted" in rxb


def test_no_submitted_value_but_the_record_key_and_the_page_is_self_contained(tmp_path):
    src = tmp_path / "src"
    _submissions(src)
    ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    text = _all_text(tmp_path / "store-feedback")
    for value in (BAD_DATE, "SE15", "E01000001", "G85001"):
        assert value not in text
    page = (_load_folder(tmp_path / "store-feedback", "RXA") / "feedback.html").read_text()
    lowered = page.lower()
    assert "<script" not in lowered and "http" not in lowered and " src=" not in lowered
    assert "<link" not in lowered


def test_a_value_the_identifier_guard_refused_never_reaches_feedback(tmp_path):
    src = tmp_path / "src"
    _submissions(src)
    nhs_number = "9434765919"
    write_submission(
        src,
        "referrals",
        "RXA",
        "20250203",
        [referral(nhs_number, "P1"), referral("R9", "P1", primary_referral_reason=nhs_number)],
    )
    with pytest.raises(IdentifiableDataError):
        ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    feedback = tmp_path / "store-feedback"
    assert not feedback.exists() or nhs_number not in _all_text(feedback)


def test_quality_is_compared_with_the_providers_previous_loads(tmp_path):
    src = tmp_path / "src"
    _submissions(src, rxa_bad_referrals=0)
    store = tmp_path / "store"
    ingest(src, store, progress=False, load_date=LOAD_DATE)
    _submissions(src, rxa_bad_referrals=3)  # the same files again, with three bad referrals
    ingest(src, store, progress=False, load_date=LOAD_DATE)
    history = json.loads((tmp_path / "store-feedback" / "RXA" / "history.json").read_text())
    assert [h["rows_read"] for h in history] == [3, 6]
    assert [h["rejected_pct"] for h in history] == [0.0, 50.0]
    assert history[-1]["files_quarantined"] == 1
    rxb = json.loads((tmp_path / "store-feedback" / "RXB" / "history.json").read_text())
    assert [h["ethnicity_known_pct"] for h in rxb] == [50.0, 50.0]  # Q1 is 99: not known
    latest = max((tmp_path / "store-feedback" / "RXA").glob("*/feedback.html"), key=_mtime)
    assert "worse than the previous load (0.0%)" in latest.read_text()


def test_cli_feedback_folder_and_formula_inert_keys(tmp_path, capsys):
    src = tmp_path / "src"
    write_submission(src, "mpi", "RXA", "20250201", [person("P1")])
    write_submission(
        src, "referrals", "RXA", "20250201", [referral("=1+1", "P1", referral_received_date="x")]
    )
    out = tmp_path / "for-providers"
    args = ["ingest", str(src), "--out", str(tmp_path / "store"), "--quiet", "--feedback", str(out)]
    assert main(args) == 0
    assert f"Feedback for each provider and council written to {out}" in capsys.readouterr().out
    lines = (_load_folder(out, "RXA") / "rejected_rows.csv").read_text().splitlines()
    assert lines[1].startswith("referrals,referrals_RXA_20250201.csv,1,referral_id==1+1,")
    assert not (tmp_path / "store-feedback").exists()


def test_when_no_file_can_be_loaded_each_provider_still_learns_why(tmp_path):
    src = tmp_path / "src"
    bad = write_submission(src, "mpi", "RXA", "20250201", [person("P1")])
    bad.write_text(bad.read_text().replace(",", "|"))
    write_submission(src, "mpi", "RXB", "20991231", [person("Q1", provider_code="RXB")])
    with pytest.raises(BadInputError, match="No submission file could be loaded"):
        ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    assert not (tmp_path / "store").exists()
    feedback = tmp_path / "store-feedback"
    rxa = pd.read_csv(_load_folder(feedback, "RXA") / "files.csv")
    assert rxa.to_dict("records")[0]["outcome"] == "quarantined"
    assert "separated by pipes" in rxa.to_dict("records")[0]["reasons"]
    rxb = (_load_folder(feedback, "RXB") / "feedback.html").read_text()
    assert "after the load date" in rxb and "RXA" not in rxb


def test_a_file_resent_under_the_same_name_shows_only_what_is_still_rejected(tmp_path):
    src, store = tmp_path / "src", tmp_path / "store"
    write_submission(src, "mpi", "RXA", "20250201", [person("P1", age_years="-1"), person("P2")])
    ingest(src, store, progress=False)
    write_submission(src, "mpi", "RXA", "20250201", [person("P1"), person("P2", age_years="-1")])
    ingest(src, store, progress=False, into=True)  # the same path, its rows fixed and broken
    pages = sorted((default_feedback_folder(store) / "RXA").glob("*/rejected_rows.csv"))
    assert len(pages) == 2
    latest = pd.read_csv(pages[-1], dtype=str)
    assert list(latest["record_key"].str.contains("P2")) == [True]  # not P1, fixed since
    files = pd.read_csv(pages[-1].with_name("files.csv"))
    assert files["rejected"].sum() == len(latest)  # the count equals the list


def test_a_misfiled_file_is_told_to_both_providers_and_its_rows_to_one(tmp_path):
    src, store = tmp_path / "src", tmp_path / "store"
    write_submission(src, "mpi", "RXA", "20250201", [person("P1")])
    rxb = [person("B1", provider_code="RXB"), person("B2", provider_code="RXB", age_years="-1")]
    path = write_submission(src, "mpi", "RXB", "20250201", rxb)
    path.rename(src / "RXA" / path.name)  # in RXA's folder, named for RXB
    ingest(src, store, progress=False)
    folder = default_feedback_folder(store)
    pages = {p: next((folder / p).glob("*/feedback.html")).read_text() for p in ("RXA", "RXB")}
    for page in pages.values():
        assert "Files misfiled" in page and path.name in page
    rejected = {p: pd.read_csv(next((folder / p).glob("*/rejected_rows.csv")), dtype=str)
                for p in ("RXA", "RXB")}  # fmt: skip
    assert rejected["RXA"].empty  # RXA is not shown RXB's rows
    assert list(rejected["RXB"]["record_key"].str.contains("B2")) == [True]
