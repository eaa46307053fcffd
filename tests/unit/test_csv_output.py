"""Every CSV the workbench writes for people is safe to open in a spreadsheet: no text cell or
column name can run as a formula (OWASP CSV injection), numbers stay numbers."""

import csv
import datetime as dt
import io

import pandas as pd

from submission_files import person, write_submission
from workbench.cli import main
from workbench.csv_output import export_frame, month_as_date, write_csv

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


def test_an_export_has_one_mark_for_held_back_values_and_rounds_as_the_page():
    frame = pd.DataFrame(
        {
            "provider": ["RX1", "RX2", "RX3"],
            "month": ["2025-04", "2025-05", "2025-06"],
            "referrals": [15.0, "*", 0],
            "pct_seen": [686.3599999999999 / 10, "*", float("nan")],
            "pct_seen_lower": [60.04999, None, None],
            "p_value": [0.01234, 0.5, None],
        }
    )
    out = export_frame(
        frame, ["referrals", "pct_seen", "pct_seen_lower"], ["pct_seen", "pct_seen_lower"]
    )
    assert out["referrals"].tolist() == [15, "[c]", 0]
    assert isinstance(out["referrals"][0], int)
    assert out["pct_seen"].tolist() == [68.6, "[c]", "[x]"]
    assert out["pct_seen_lower"].tolist() == [60.0, "[x]", "[x]"]
    assert out["p_value"].tolist()[:2] == [0.01234, 0.5]  # not a figure of the page: as it is
    assert out["month"].tolist() == [dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 1)]
    assert frame["referrals"].tolist()[1] == "*"  # the input is left alone


def test_a_tool_reads_the_export_figures_as_numbers(tmp_path):
    frame = pd.DataFrame({"month": ["2025-04", "2025-05"], "n": [12, "*"], "avg": [3.14159, None]})
    path = write_csv(export_frame(frame, ["n", "avg"], ["avg"]), tmp_path / "x.csv")
    read = pd.read_csv(path, na_values=["[c]", "[x]"], parse_dates=["month"])
    assert pd.api.types.is_numeric_dtype(read["n"]) and pd.api.types.is_numeric_dtype(read["avg"])
    assert read["avg"][0] == 3.1 and read["n"][0] == 12
    assert pd.api.types.is_datetime64_any_dtype(read["month"])
    assert path.read_text().splitlines()[1:] == ["2025-04-01,12,3.1", "2025-05-01,[c],[x]"]


def test_measure_out_dash_writes_the_csv_to_standard_output(tmp_path, capsys, monkeypatch):
    src = tmp_path / "src"
    write_submission(
        src, "mpi", "RXA", "20250201", [person("P1"), person("P2", provider_code=LINK)]
    )
    assert main(["ingest", str(src), "--out", str(tmp_path / "store"), "--quiet"]) == 0
    capsys.readouterr()
    monkeypatch.chdir(tmp_path)
    args = ["measure", "dq", "--what", "rejects", "--by", "provider"]
    assert main([*args, "--store", str(tmp_path / "store"), "--out", "-"]) == 0
    captured = capsys.readouterr()
    assert not (tmp_path / "-").exists()
    rows = list(csv.reader(io.StringIO(captured.out)))
    assert rows[0] and "provider" in rows[0] and len(rows) >= 2
    assert "Wrote" not in captured.out and "standard output" in captured.err


def test_month_text_becomes_the_first_day_and_other_values_stay():
    assert month_as_date("2025-04") == dt.date(2025, 4, 1)
    assert month_as_date("2025-04-03") == "2025-04-03"
    assert month_as_date(None) is None
