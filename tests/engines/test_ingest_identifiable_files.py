"""The identifier guard over folder and file names, and over every column of every file,
including columns the specification does not know and files quarantined for other reasons:
identifiable data always stops the load with exit 3, naming file, column and count, never the
value, and a name holding an identifier is never repeated anywhere."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from submission_files import person, write_submission
from workbench.cli import main
from workbench.ingest.discover import WITHHELD
from workbench.spec import TABLES

NHS = "9434765919"  # a published test NHS number
NAMES = {
    "an NHS number in a file name": ("RXA", f"mpi_RXA_20250201_{NHS}.csv"),
    "grouped in a folder name": ("943-476-5919", "mpi_RXA_20250201.csv"),
    "a postcode in a folder name": ("LS1 4AP", "mpi_RXA_20250201.csv"),
    "a glued postcode in a file name": ("RXA", "mpi_RXA_20250201_addrLS14APx.csv"),
}
PLANTED = [NHS, "943-476-5919", "LS1 4AP", "LS14AP"]


def _everything_written(*folders: Path) -> bytes:
    return b"\n".join(
        p.read_bytes() + str(p).encode()
        for folder in folders
        if folder.exists()
        for p in folder.rglob("*")
        if p.is_file()
    )


def _ingest(src: Path, store: Path, capsys, *extra: str) -> tuple[int, str]:
    log = store.parent / "workbench.log"
    code = main(["ingest", str(src), "--into" if store.exists() else "--out", str(store),
                 "--quiet", "--log-file", str(log), *extra])  # fmt: skip
    said = capsys.readouterr()
    return code, said.out + said.err


@pytest.mark.parametrize("case", NAMES)
def test_a_name_holding_an_identifier_is_refused_and_never_repeated(tmp_path, capsys, case):
    folder, name = NAMES[case]
    store = tmp_path / "store"
    write_submission(tmp_path / "day1", "mpi", "RXA", "20250201", [person("P1")])
    assert _ingest(tmp_path / "day1", store, capsys)[0] == 0
    src = tmp_path / "day2"
    path = write_submission(src, "mpi", "RXA", "20250202", [person("P2")])
    target = src / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    path.rename(target)
    code, said = _ingest(src, store, capsys)
    assert code == 3, said
    assert WITHHELD in said and "NHS number or a full postcode" in said
    written = _everything_written(tmp_path / "store", tmp_path / "store-feedback") + said.encode()
    written += (tmp_path / "workbench.log").read_bytes()
    for planted in PLANTED:
        assert planted.encode() not in written, planted


def test_an_unknown_column_of_nhs_numbers_stops_the_load(tmp_path, capsys):
    columns = [*TABLES["mpi"].column_names, "extra_field"]
    rows = [person("P1", extra_field=NHS), person("P2", extra_field="943 476 5919")]
    path = write_submission(tmp_path / "src", "mpi", "RXA", "20250201", rows, columns=columns)
    code, said = _ingest(tmp_path / "src", tmp_path / "store", capsys)
    assert code == 3, said  # not 5 (quarantined as an unexpected column): the guard looked
    assert f"{path}, column 'extra_field': 2 row(s)" in said
    assert NHS not in said and "943 476 5919" not in said


def test_a_file_quarantined_for_its_date_is_still_guarded(tmp_path, capsys):
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", [person("P1")])
    rows = [person("P2", gp_practice_code="LS1 4AP")]
    path = write_submission(tmp_path / "src", "mpi", "RXA", "20990101", rows)  # a future date
    code, said = _ingest(tmp_path / "src", tmp_path / "store", capsys, "--load-date", "2025-03-01")
    assert code == 3, said
    assert f"{path}, column 'gp_practice_code': 1 row(s) hold a full postcode" in said
    assert "LS1 4AP" not in said


def test_rows_after_a_broken_line_are_guarded(tmp_path, capsys):
    path = write_submission(tmp_path / "src", "mpi", "RXA", "20250201", [person("P1")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('P2,RXA,"70\n')  # a quote never closed: the file cannot be read whole
        handle.write(f"P3,RXA,70,2,A,E01000001,,SE15,{NHS}\n")
    code, said = _ingest(tmp_path / "src", tmp_path / "store", capsys)
    assert code == 3, said
    assert str(path) in said and NHS not in said


def test_an_unknown_parquet_column_in_scientific_notation_stops_the_load(tmp_path, capsys):
    write_submission(tmp_path / "src", "mpi", "RXA", "20250201", [person("P1")])
    columns = {name: pa.array(["x"], pa.string()) for name in TABLES["mpi"].column_names}
    columns["weight"] = pa.array([9.434765919e9], pa.float64())
    path = tmp_path / "src" / "RXA" / "mpi_RXA_20250202.parquet"
    pq.write_table(pa.table(columns), path)
    code, said = _ingest(tmp_path / "src", tmp_path / "store", capsys)
    assert code == 3, said
    assert f"{path}, column 'weight': 1 row(s)" in said
