"""measures.md section 1: identifiable data is refused before anything is stored, naming the file
and column and printing no value."""

import numpy as np
import pytest

from submission_files import person, write_submission
from workbench.cli import main
from workbench.errors import IdentifiableDataError
from workbench.ingest import ingest
from workbench.ingest.identifiers import identifier_column_kind, passes_nhs_number_check
from workbench.spec import TABLES

VALID_NHS_NUMBER = "9434765919"  # a published test NHS number (check digit 9)


def test_nhs_number_modulus_11_check():
    digits = np.array(
        [
            [int(c) for c in n]
            for n in ["9434765919", "9434765918", "4010232137", "0000000000", "1234567890"]
        ]
    )
    assert passes_nhs_number_check(digits).tolist() == [True, False, True, True, False]


@pytest.mark.parametrize(
    "name,kind",
    [
        ("nhs_number", "NHS number"),
        ("NHSNumber", "NHS number"),
        ("NHS No", "NHS number"),
        ("postcode", "postcode"),
        ("Postcode_of_usual_address", "postcode"),
        ("date_of_birth", "date of birth"),
        ("DOB", "date of birth"),
        ("PersonBirthDate", "date of birth"),
        ("surname", "name, address or contact detail"),
        ("Forename", "name, address or contact detail"),
        ("name", "name, address or contact detail"),
        ("postcode_district", None),
        ("person_id", None),
        ("lsoa_2011", None),
    ],
)
def test_identifier_column_names(name, kind):
    assert identifier_column_kind(name) == kind


def _refused(src, tmp_path, capsys, *phrases):
    code = main(["ingest", str(src), "--out", str(tmp_path / "store"), "--quiet"])
    captured = capsys.readouterr()
    assert code == 3
    for phrase in phrases:
        assert phrase in captured.err, captured.err
    assert VALID_NHS_NUMBER not in captured.err + captured.out
    assert not (tmp_path / "store").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    return captured.err


@pytest.mark.parametrize("column", ["nhs_number", "date_of_birth", "postcode", "surname"])
def test_identifier_columns_are_refused(tmp_path, capsys, column):
    cols = [*TABLES["mpi"].column_names, column]
    path = write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("P1", **{column: "x"})], columns=cols
    )
    _refused(tmp_path / "src", tmp_path, capsys, str(path), f"column {column!r}", "Refused")


@pytest.mark.parametrize("column", ["person_id", "gp_practice_code", "age_years"])
def test_nhs_numbers_in_any_column_are_refused(tmp_path, capsys, column):
    rows = [
        person("P1"),
        person("P2", **{column: VALID_NHS_NUMBER}),
        person("P3", **{column: VALID_NHS_NUMBER}),
    ]
    path = write_submission(tmp_path / "src", "mpi", "RXA", "20250201", rows)
    err = _refused(
        tmp_path / "src",
        tmp_path,
        capsys,
        str(path),
        f"column {column!r}",
        "2 row(s)",
        "NHS number check",
    )
    assert "P2" not in err


def test_ten_digit_numbers_failing_the_check_are_not_refused(tmp_path):
    write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("1234567890"), person("9434765918")]
    )
    assert (
        ingest(tmp_path / "src", tmp_path / "store", progress=False)["tables"]["mpi"]["loaded"] == 2
    )


def test_full_postcodes_in_the_district_column_are_refused(tmp_path, capsys):
    path = write_submission(
        tmp_path / "src", "mpi", "RXA", "20250201", [person("P1", postcode_district="SE15 4QR")]
    )
    err = _refused(tmp_path / "src", tmp_path, capsys, str(path), "full postcode")
    assert "4QR" not in err


def test_refusal_leaves_the_previous_store_intact(tmp_path):
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", [person("P1")])
    ingest(tmp_path / "src", tmp_path / "store", progress=False)
    before = (tmp_path / "store" / "tables" / "mpi.parquet").read_bytes()
    write_submission(
        tmp_path / "src",
        "mpi",
        "RXA",
        "20250202",
        [person("P2", gp_practice_code=VALID_NHS_NUMBER)],
    )
    with pytest.raises(IdentifiableDataError):
        ingest(tmp_path / "src", tmp_path / "store", progress=False)
    assert (tmp_path / "store" / "tables" / "mpi.parquet").read_bytes() == before
