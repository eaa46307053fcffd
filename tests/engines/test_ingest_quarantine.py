"""Per-file acceptance (measures.md section 1): a file that cannot be read as specified is
quarantined with its reasons and row count, the other files load, and the command exits 5;
``--strict`` keeps all or nothing; identifiable data still stops everything; no input gives a
traceback; output-side errors are named as such (exit 6)."""

import datetime as dt
import errno
import gzip
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from submission_files import person, referral, write_submission
from workbench.cli import main
from workbench.errors import (
    EXIT_LOADED_WITH_QUARANTINE,
    BadInputError,
    IdentifiableDataError,
    OutputError,
)
from workbench.ingest import ingest
from workbench.spec import TABLES
from workbench.store_layout import LOCK, current_version, read_rows

LOAD_DATE = dt.date(2025, 3, 1)


def _nothing_but_the_lock(store: Path) -> bool:
    """A load that failed wrote nothing into ``store`` but its writer lock (store_lock.py)."""
    return not store.exists() or [p.name for p in store.iterdir()] == [LOCK]


def _good(src: Path) -> None:
    """One provider's good files: two persons and a referral."""
    write_submission(src, "mpi", "RXA", "20250201", [person("P1"), person("P2")])
    write_submission(src, "referrals", "RXA", "20250201", [referral("R1", "P1")])


def _rxb_mpi(src: Path, date: str = "20250201") -> Path:
    return write_submission(
        src, "mpi", "RXB", date, [person(f"B{i}", provider_code="RXB") for i in range(3)]
    )


def _csv_gz(src: Path) -> Path:
    path = _rxb_mpi(src)
    gz = path.with_name(path.name + ".gz")
    gz.write_bytes(gzip.compress(path.read_bytes()))
    path.unlink()
    return gz


def _truncated_gz(src: Path) -> Path:
    gz = _csv_gz(src)
    gz.write_bytes(gz.read_bytes()[:-12])  # the gzip trailer and some data gone
    return gz


def _junk_after_gz(src: Path) -> Path:
    gz = _csv_gz(src)
    gz.write_bytes(gz.read_bytes() + b"this is not gzip data" * 10)
    return gz


def _list_column_parquet(src: Path) -> Path:
    path = src / "RXB" / "mpi_RXB_20250201.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = {name: pa.array(["x"] * 3) for name in TABLES["mpi"].column_names}
    columns["ethnic_category"] = pa.array([["A"], ["B"], []], pa.list_(pa.string()))
    pq.write_table(pa.table(columns), path)
    return path


def _future_date(src: Path) -> Path:
    return _rxb_mpi(src, "20991231")


def _impossible_date(src: Path) -> Path:
    return _rxb_mpi(src, "19000101")


def _not_a_date(src: Path) -> Path:
    return _rxb_mpi(src, "20250231")


def _unknown_table(src: Path) -> Path:
    path = src / "RXB" / "wards_RXB_20250201.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("ward,beds\nW1,3\n")
    return path


def _litter(name: str):
    def make(src: Path) -> Path:
        path = src / "RXB" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x00\x05\x16\x07 Mac OS X litter \x00")
        return path

    return make


#: Each kind of bad file: how to make it, what its reason says, and its rows (None: unknown).
BAD_FILES = {
    "truncated csv.gz": (_truncated_gz, "ends too soon (truncated .csv.gz)", 3),
    "junk after gzip": (_junk_after_gz, "extra bytes after its end", 3),
    "parquet list column": (_list_column_parquet, "a list or a struct", 3),
    "future date in the name": (_future_date, "is after the load date 2025-03-01", 3),
    "impossible date in the name": (_impossible_date, "is impossible (before 2015-01-01)", 3),
    "not a date in the name": (_not_a_date, "is not a date (YYYYMMDD)", 3),
    "unknown table": (_unknown_table, "'wards' is not a table of the extract", 1),
    "macOS resource fork": (_litter("._mpi_RXB_20250201.csv"), "left by an operating", None),
    "macOS folder file": (_litter(".DS_Store"), "left by an operating system", None),
    "Windows thumbnails": (_litter("Thumbs.db"), "left by an operating system", None),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_each_bad_file_is_quarantined_and_the_others_load(tmp_path, kind):
    make, phrase, rows = BAD_FILES[kind]
    src = tmp_path / "src"
    _good(src)
    bad = make(src)
    report = ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    assert [q["path"] for q in report["quarantined"]] == [str(bad)]
    quarantined = report["quarantined"][0]
    assert phrase in " ".join(quarantined["reasons"])
    assert quarantined["rows"] == rows
    assert quarantined["provider_code"] == "RXB"
    assert (report["tables"]["mpi"]["loaded"], report["tables"]["referrals"]["loaded"]) == (2, 1)
    assert "Traceback" not in " ".join(quarantined["reasons"])
    with pytest.raises(BadInputError, match="Nothing was written"):
        ingest(src, tmp_path / "strict", progress=False, load_date=LOAD_DATE, strict=True)
    assert _nothing_but_the_lock(tmp_path / "strict")


def test_rows_of_a_file_that_fails_part_way_are_not_loaded(tmp_path, monkeypatch):
    """A file whose first rows were staged before it failed leaves none of them in the store."""
    from workbench.ingest import stage

    src = tmp_path / "src"
    _good(src)
    _rxb_mpi(src)
    read_whole = stage._csv_batches

    def fail_after_first_batch(path, header):
        yield from read_whole(path, header)
        if "RXB" in str(path):
            raise pa.ArrowInvalid("CSV parse error: simulated, after the rows were staged")

    monkeypatch.setattr(stage, "_csv_batches", fail_after_first_batch)
    report = ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    assert report["tables"]["mpi"]["read"] == report["tables"]["mpi"]["loaded"] == 2
    stored = read_rows(tmp_path / "store", "tables", "mpi")
    assert sorted(stored.column("person_id").to_pylist()) == ["P1", "P2"]
    assert report["quarantined_by_table"]["mpi"] == {"files": 1, "rows": 3}


def test_counts_reconcile_with_quarantined_rows_counted_not_lost(tmp_path):
    src = tmp_path / "src"
    _good(src)
    bad = _rxb_mpi(src)
    bad.write_text(bad.read_text().replace(",", ";"))
    report = ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    received = 2 + 1 + 3
    read = sum(t["read"] for t in report["tables"].values())
    quarantined = sum(t["rows"] for t in report["quarantined_by_table"].values())
    assert (read, quarantined) == (3, 3)
    assert read + quarantined == received
    for t in report["tables"].values():
        assert t["read"] == t["loaded"] + t["superseded"] + t["rejected"]
    text = (current_version(tmp_path / "store") / "load_report.txt").read_text()
    assert "Quarantined: 1 file(s) set aside, 3 row(s)" in text
    assert "separated by semicolons" in text


def test_cli_exit_code_says_loaded_with_quarantined_files(tmp_path, capsys):
    src = tmp_path / "src"
    _good(src)
    _future_date(src)
    store = tmp_path / "store"
    args = ["ingest", str(src), "--out", str(store), "--quiet", "--load-date", "2025-03-01"]
    assert EXIT_LOADED_WITH_QUARANTINE == 5
    assert main(args) == 5
    out = capsys.readouterr().out
    assert "1 file(s) quarantined" in out and "exit 5" in out
    assert read_rows(store, "tables", "mpi").num_rows > 0
    assert main([*args, "--strict"]) == 2
    assert "after the load date" in capsys.readouterr().err


def test_the_load_date_defaults_to_today(tmp_path):
    src = tmp_path / "src"
    _good(src)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).strftime("%Y%m%d")
    _rxb_mpi(src, tomorrow)
    report = ingest(src, tmp_path / "store", progress=False)
    assert [Path(q["path"]).name for q in report["quarantined"]] == [f"mpi_RXB_{tomorrow}.csv"]


def test_identifiable_data_still_stops_everything(tmp_path):
    src = tmp_path / "src"
    _good(src)
    _future_date(src)  # a quarantined file does not change that
    write_submission(
        src, "mpi", "RXC", "20250201", [person("C1", provider_code="RXC", person_id="9434765919")]
    )
    with pytest.raises(IdentifiableDataError):
        ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    assert _nothing_but_the_lock(tmp_path / "store")
    assert not (tmp_path / "store-feedback").exists()


def test_a_million_column_header_is_answered_in_seconds(tmp_path):
    src = tmp_path / "src"
    _good(src)
    path = src / "RXB" / "mpi_RXB_20250201.csv"
    path.parent.mkdir(parents=True)
    header = ",".join(f"c{i}" for i in range(1_000_000))
    path.write_text(header + "\n" + ",".join(["1"] * 1_000_000) + "\n")
    started = time.perf_counter()
    report = ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    elapsed = time.perf_counter() - started
    reasons = report["quarantined"][0]["reasons"]
    assert reasons and "has 1,000,000 columns" in reasons[0]
    assert len(reasons[0]) < 2000  # counted, not listed
    assert elapsed < 60, elapsed  # generous: it was quadratic (20,000 columns took 23 s)


def test_a_first_line_longer_than_a_header_can_be_is_quarantined(tmp_path, monkeypatch):
    monkeypatch.setattr("workbench.ingest.headers.MAX_HEADER_BYTES", 1000)
    src = tmp_path / "src"
    _good(src)
    path = src / "RXB" / "mpi_RXB_20250201.csv"
    path.parent.mkdir(parents=True)
    path.write_text("x" * 5000 + "\n")
    report = ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)
    assert "far too long for a header row" in report["quarantined"][0]["reasons"][0]


@pytest.mark.parametrize(
    ("code", "cause"),
    [
        (errno.ENOSPC, "disk full"),
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "read-only"),
    ],
)
def test_output_errors_are_named_as_such_not_blamed_on_an_input(
    tmp_path, monkeypatch, capsys, code, cause
):
    """A write to the staging area that fails is an output error (exit 6), not a bad file."""
    src = tmp_path / "src"
    _good(src)

    def fail(self, *args, **kwargs):
        raise OSError(code, "simulated")

    monkeypatch.setattr(pq.ParquetWriter, "write_batch", fail)
    store = tmp_path / "store"
    assert main(["ingest", str(src), "--out", str(store), "--quiet"]) == OutputError.exit_code == 6
    err = capsys.readouterr().err
    assert "could not write to" in err and cause in err
    assert "_staging" in err  # the output that failed is named
    assert "mpi_RXA" not in err  # never an input file
    assert "Traceback" not in err
    assert _nothing_but_the_lock(store)


def test_a_read_only_store_folder_is_an_output_error(tmp_path, monkeypatch, capsys):
    src = tmp_path / "src"
    _good(src)

    class Refused:  # the lock file cannot be created: the store's folder is read-only
        def __init__(self, *args, **kwargs):
            pass

        def acquire(self):
            raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr("workbench.store_lock.FileLock", Refused)
    code = main(["ingest", str(src), "--out", str(tmp_path / "store"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 6
    assert f"could not write to {tmp_path}: permission denied" in err
    assert "Traceback" not in err


def test_a_full_disk_while_writing_feedback_is_an_output_error(tmp_path, monkeypatch):
    src = tmp_path / "src"
    _good(src)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("workbench.ingest.feedback.write_atomic", full)
    with pytest.raises(OutputError, match="disk full"):
        ingest(src, tmp_path / "store", progress=False, feedback=tmp_path / "fb")


IDENTIFIER_NAMES = [
    "nhs_number",
    "NHSNumber",
    "NHS No",
    "patient_nhs_num",
    "postcode",
    "Postcode_of_usual_address",
    "date_of_birth",
    "DOB",
    "PatientDOB",
    "PersonBirthDate",
    "year_of_birth",
    "tel_no",
    "Telephone",
    "HomePhone",
    "mobile",
    "fax",
    "e_mail",
    "EmailAddress",
    "surname",
    "Forename",
    "name",
    "patient_name",
    "first_name",
    "home_address",
    "AddressLine1",
    "addr",
    "street",
    "zip",
    "Nachname\u00e9",
]


def test_the_fast_column_name_filter_keeps_every_identifier_name():
    from workbench.identifiers import identifier_column_kind
    from workbench.ingest.headers import candidate_identifier_columns

    header = ["c1", *IDENTIFIER_NAMES, "referral_id"]
    kept = {name for _, name in candidate_identifier_columns(header)}
    flagged = {name for name in header if identifier_column_kind(name)}
    assert flagged <= kept
    assert "c1" not in kept and "referral_id" not in kept
    assert len(flagged) >= len(IDENTIFIER_NAMES) - 1


def test_an_identifier_column_among_a_million_still_stops_everything(tmp_path):
    src = tmp_path / "src"
    _good(src)
    path = src / "RXB" / "mpi_RXB_20250201.csv"
    path.parent.mkdir(parents=True)
    names = [f"c{i}" for i in range(1_000_000)]
    names[654_321] = "nhs_number"
    path.write_text(",".join(names) + "\n")
    with pytest.raises(IdentifiableDataError, match="column 'nhs_number': looks like a NHS"):
        ingest(src, tmp_path / "store", progress=False, load_date=LOAD_DATE)


@pytest.mark.parametrize(
    ("err", "said"),
    [
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "disk quota exceeded"),
        (OSError("IO Error: could not write file: No space left on device"), "disk full"),
        (OSError("Read-only file system"), "read-only"),
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
)
def test_output_error_names_the_place_and_the_cause(tmp_path, err, said):
    from workbench.errors import output_error

    message = str(output_error(err, tmp_path / "store"))
    assert message.startswith(f"could not write to {tmp_path / 'store'}: ")
    assert said in message


def test_help_documents_the_new_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "5 loaded, with quarantined files" in text
    assert "6 the output could not be written" in text
    assert "--strict" in text and "--feedback DIR" in text


def test_a_full_disk_while_duckdb_writes_the_store_is_an_output_error(tmp_path, monkeypatch):
    import duckdb

    from workbench.ingest import run

    src = tmp_path / "src"
    _good(src)

    def full(*args, **kwargs):
        raise duckdb.IOException('Could not write file "x.parquet": No space left on device')

    monkeypatch.setattr(run, "load_staged", full)
    with pytest.raises(OutputError, match="disk full"):
        ingest(src, tmp_path / "store", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src", "store"]  # no partial store
    assert _nothing_but_the_lock(tmp_path / "store")
