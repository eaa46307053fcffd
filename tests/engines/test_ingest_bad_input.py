"""Bad input of every kind: a clear message naming the file. With ``strict`` the load stops and
nothing is written; by default the bad file is quarantined with the same reasons and the other
files load (measures.md section 1)."""

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from submission_files import person, referral, write_submission
from workbench.cli import main
from workbench.errors import BadInputError
from workbench.ingest import ingest
from workbench.store_layout import LOCK, current_version


def _mpi_file(src: Path) -> Path:
    return write_submission(src, "mpi", "RXA", "20250201", [person("P1"), person("P2")])


def _expect_bad_input(src: Path, tmp_path: Path, *phrases: str) -> str:
    """A strict load stops with every phrase in its message, and writes nothing."""
    with pytest.raises(BadInputError) as info:
        ingest(src, tmp_path / "store", progress=False, strict=True)
    message = str(info.value)
    for phrase in phrases:
        assert phrase in message, message
    store = tmp_path / "store"  # nothing written but the writer lock (store_lock.py)
    assert not store.exists() or [p.name for p in store.iterdir()] == [LOCK]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    return message


def _expect_quarantined(src: Path, tmp_path: Path, bad: Path, *phrases: str) -> dict:
    """The same bad file, beside another provider's good one, in a default load: it is
    quarantined with its reasons and rows, and the good file loads."""
    write_submission(src, "mpi", "RXB", "20250201", [person("Q1", provider_code="RXB")])
    report = ingest(src, tmp_path / "quarantine-store", progress=False)
    assert [q["path"] for q in report["quarantined"]] == [str(bad)]
    reasons = " ".join(report["quarantined"][0]["reasons"])
    for phrase in phrases:
        assert phrase in reasons, reasons
    assert report["tables"]["mpi"]["loaded"] == 1
    assert [f["provider_code"] for f in report["files"]] == ["RXB"]
    return report


def test_empty_file(tmp_path):
    path = _mpi_file(tmp_path / "src")
    path.write_bytes(b"")
    _expect_bad_input(tmp_path / "src", tmp_path, str(path), "empty (0 bytes)")
    report = _expect_quarantined(tmp_path / "src", tmp_path, path, "empty (0 bytes)")
    assert report["quarantined"][0]["rows"] == 0


def test_header_only_file_is_a_submission_with_no_rows(tmp_path):
    path = _mpi_file(tmp_path / "src")
    path.write_text(path.read_text().splitlines()[0] + "\n")
    report = ingest(tmp_path / "src", tmp_path / "store", progress=False)
    assert report["tables"]["mpi"]["read"] == 0


def test_wrong_delimiter(tmp_path):
    path = _mpi_file(tmp_path / "src")
    path.write_text(path.read_text().replace(",", ";"))
    _expect_bad_input(tmp_path / "src", tmp_path, str(path), "separated by semicolons")
    report = _expect_quarantined(tmp_path / "src", tmp_path, path, "separated by semicolons")
    assert report["quarantined"][0]["rows"] == 2
    assert report["quarantined_by_table"] == {"mpi": {"files": 1, "rows": 2}}


def test_wrong_encoding_in_a_row(tmp_path):
    path = _mpi_file(tmp_path / "src")
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b"SE15", b"S\xe915")  # Latin-1 e-acute
    path.write_bytes(b"".join(lines))
    _expect_bad_input(tmp_path / "src", tmp_path, str(path), "line 3 is not UTF-8")
    report = _expect_quarantined(tmp_path / "src", tmp_path, path, "line 3 is not UTF-8")
    assert report["quarantined"][0]["rows"] == 2


def test_utf16_file(tmp_path):
    path = _mpi_file(tmp_path / "src")
    path.write_bytes(path.read_text().encode("utf-16"))
    _expect_bad_input(tmp_path / "src", tmp_path, str(path), "not UTF-8")
    _expect_quarantined(tmp_path / "src", tmp_path, path, "not UTF-8")


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = _mpi_file(tmp_path / "src")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert (
        ingest(tmp_path / "src", tmp_path / "store", progress=False)["tables"]["mpi"]["loaded"] == 2
    )


def test_missing_columns(tmp_path):
    path = write_submission(
        tmp_path / "src",
        "mpi",
        "RXA",
        "20250201",
        [person("P1")],
        columns=["person_id", "provider_code", "age_years"],
    )
    _expect_bad_input(
        tmp_path / "src", tmp_path, str(path), "missing column(s) gender", "ethnic_category"
    )
    _expect_quarantined(tmp_path / "src", tmp_path, path, "missing column(s) gender")


def test_extra_columns(tmp_path):
    from workbench.spec import TABLES

    cols = [*TABLES["mpi"].column_names, "favourite_colour"]
    path = write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("P1")], columns=cols
    )
    _expect_bad_input(
        tmp_path / "src", tmp_path, str(path), "unexpected column(s) favourite_colour"
    )
    _expect_quarantined(tmp_path / "src", tmp_path, path, "unexpected column(s) favourite_colour")


def test_truncated_file(tmp_path):
    path = _mpi_file(tmp_path / "src")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 30])
    _expect_bad_input(tmp_path / "src", tmp_path, str(path), "line 3 has", "truncated")
    report = _expect_quarantined(tmp_path / "src", tmp_path, path, "line 3 has", "truncated")
    assert report["quarantined"][0]["rows"] == 2  # the second row is there, cut short


def test_unclosed_quote(tmp_path):
    path = _mpi_file(tmp_path / "src")
    path.write_text(path.read_text().replace("SE15", '"SE15', 1))
    _expect_bad_input(tmp_path / "src", tmp_path, str(path), "never closed")
    _expect_quarantined(tmp_path / "src", tmp_path, path, "never closed")


def test_unparseable_dates_are_rejected_rows_not_a_failed_load(tmp_path):
    src = tmp_path / "src"
    _mpi_file(src)
    write_submission(
        src,
        "referrals",
        "RXA",
        "20250201",
        [
            referral("R1", "P1", referral_received_date="31/01/2025"),
            referral("R2", "P1", referral_received_date="2025-02-30"),
            referral("R3", "P1"),
        ],
    )
    report = ingest(src, tmp_path / "store", progress=False)
    t = report["tables"]["referrals"]
    assert (t["read"], t["loaded"], t["rejected"]) == (3, 1, 2)
    assert t["reject_reasons"] == {"referral_received_date: not a date (YYYY-MM-DD)": 2}


def test_badly_named_and_unknown_table_files(tmp_path):
    src = tmp_path / "src"
    _mpi_file(src)
    (src / "RXA" / "contacts.csv").write_text("a,b\n")
    (src / "RXA" / "wards_RXA_20250201.csv").write_text("a,b\n")
    _expect_bad_input(
        src, tmp_path, "contacts.csv: the name is not", "'wards' is not a table of the extract"
    )
    report = ingest(src, tmp_path / "quarantine-store", progress=False)
    assert report["tables"]["mpi"]["loaded"] == 2
    quarantined = {Path(q["path"]).name: q for q in report["quarantined"]}
    assert set(quarantined) == {"contacts.csv", "wards_RXA_20250201.csv"}
    assert quarantined["wards_RXA_20250201.csv"]["provider_code"] == "RXA"
    assert quarantined["contacts.csv"]["provider_code"] == "RXA"  # from its folder


def test_missing_source_folder(tmp_path):
    _expect_bad_input(tmp_path / "nowhere", tmp_path, "no such file or folder")


def test_damaged_parquet(tmp_path):
    src = tmp_path / "src" / "RXA"
    src.mkdir(parents=True)
    path = src / "mpi_RXA_20250201.parquet"
    pq.write_table(pa.table({"person_id": ["P1"] * 1000}), path)
    path.write_bytes(path.read_bytes()[:200])
    _expect_bad_input(tmp_path / "src", tmp_path, str(path), "not a readable Parquet file")
    report = _expect_quarantined(tmp_path / "src", tmp_path, path, "not a readable Parquet file")
    assert report["quarantined"][0]["rows"] is None  # unknown: the file cannot be read
    assert (
        "rows unknown"
        in (current_version(tmp_path / "quarantine-store") / "load_report.txt").read_text()
    )


def test_gzipped_csv_is_read(tmp_path):
    path = _mpi_file(tmp_path / "src")
    gz = path.with_name(path.name + ".gz")
    gz.write_bytes(gzip.compress(path.read_bytes()))
    path.unlink()
    assert (
        ingest(tmp_path / "src", tmp_path / "store", progress=False)["tables"]["mpi"]["loaded"] == 2
    )


def test_every_problem_is_reported_at_once(tmp_path):
    src = tmp_path / "src"
    a = _mpi_file(src)
    a.write_bytes(b"")
    b = write_submission(
        src, "referrals", "RXA", "20250201", [referral("R1", "P1")], columns=["referral_id"]
    )
    message = _expect_bad_input(src, tmp_path, str(a), str(b))
    assert message.count("\n  - ") == 2


@pytest.mark.parametrize("strict", [["--strict"], []])
def test_cli_exits_2_with_a_message_and_no_traceback(tmp_path, capsys, strict):
    """Strict: the bad file stops the load; not strict: it is the only file, so nothing loads."""
    path = _mpi_file(tmp_path / "src")
    path.write_text(path.read_text().replace(",", "\t"))
    out = str(tmp_path / "store")
    code = main(["ingest", str(tmp_path / "src"), "--out", out, "--quiet", *strict])
    err = capsys.readouterr().err
    assert code == 2
    assert "separated by tabs" in err and str(path) in err
    assert "Traceback" not in err
    store = tmp_path / "store"  # nothing written but the writer lock (store_lock.py)
    assert not store.exists() or [p.name for p in store.iterdir()] == [LOCK]


def test_a_store_folder_that_is_not_a_store_is_never_replaced(tmp_path, capsys):
    _mpi_file(tmp_path / "src")
    precious = tmp_path / "work"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    code = main(["ingest", str(tmp_path / "src"), "--out", str(precious), "--quiet"])
    assert code == 2
    assert "was not written by the workbench" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text() == "keep me"
