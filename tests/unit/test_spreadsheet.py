"""The spreadsheet beside a report: the record a notebook attaches to each table, read back from
an executed notebook, and the workbook laid out as the Analysis Function's guidance asks (cover,
contents, notes, one table a sheet with its title in A1, no merged cells, shorthand explained).
The rendered reports' spreadsheets are checked against their pages in test_rendered_reports.py."""

from __future__ import annotations

import datetime as dt
import io

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook

from workbench.publish.spreadsheet import (
    CONFIDENTIAL,
    NOT_AVAILABLE,
    SheetTable,
    report_tables,
    report_title,
    report_workbook,
    sheet_frame,
    workbook_bytes,
)
from workbench.reports.display import chart_title, table_output, table_title
from workbench.reports.shown_tables import MIMETYPE, ShownTable, shown_table
from workbench.reports.tables import show

UCR = "ucr_performance"


def _ucr_rows(level_national: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame(
        {
            "month": ["2025-04", "2025-05", "2025-06"],
            "clocks": [120, 9, 3],
            "in_scope": [112, 9, 3],
            "met": [81, 6, 3],
        }
    )
    from workbench.reports.sections.common import rate_table

    return frame, rate_table(frame, UCR, "month", "performance", True, extra=["clocks"])


def test_the_record_holds_the_controlled_values_with_labels_and_units():
    _, table = _ucr_rows()
    record = shown_table(show(table, UCR), "Performance by month")
    assert record.title == "Performance by month"
    assert record.section == "4" and record.measure
    assert record.columns[0] == "Month" and "month" not in record.columns
    frame = record.frame()
    met = frame[record.columns[list(table.columns).index("met")]].tolist()
    assert met == [80, "*", "*"]  # 81 rounded to 80; 6 and 3 suppressed
    rate = record.columns[list(table.columns).index("performance")]
    assert frame[rate].tolist()[0] == 73  # from the rounded counts, whole below 4,000
    assert record.units[list(table.columns).index("performance")] == "%"
    assert set(record.counts) >= {record.columns[list(table.columns).index("met")]}
    assert record.disclosure_control and not record.national
    assert ShownTable.from_json(record.to_json()) == record


def test_a_table_output_carries_its_html_and_its_record():
    _, table = _ucr_rows()
    output = table_output(show(table, UCR), "A title")
    assert "<table" in output["text/html"] and 'class="' in output["text/html"]
    assert ShownTable.from_json(output[MIMETYPE]).title == "A title"
    plain = table_output(pd.DataFrame({"Item": ["a"], "Value": [1.25]}))
    assert ShownTable.from_json(plain[MIMETYPE]).rows == [["a", 1.2]]


def test_the_record_holds_only_what_the_page_shows():
    _, table = _ucr_rows()
    styler = show(table, UCR).hide(subset=[show(table, UCR).data.columns[1]], axis="columns")
    record = shown_table(styler.hide([0], axis="index"))
    assert len(record.columns) == table.shape[1] - 1 and len(record.units) == len(record.columns)
    assert [row[0] for row in record.rows] == ["2025-05", "2025-06"]


def test_chart_title_reads_the_drawn_title():
    from workbench import charts

    chart = charts.trend_chart(
        pd.DataFrame({"month": ["2025-04", "2025-05"], "v": [1.0, 2.0]}),
        "month",
        "v",
        title="Median wait by month",
        y_label="Days",
    )
    assert chart_title(chart) == "Median wait by month"
    chart.figure.axes[0].set_title("Waiting list by service line (12 largest lines)", loc="left")
    assert table_title(chart) == "Waiting list by service line"  # the table holds every line


def _notebook(tables: list[ShownTable]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(
        nbformat.v4.new_code_cell(
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/html": "<h1>Urgent response report</h1>"
                        '<table class="front-page"><tr><th>Organisation</th>'
                        "<td>NHS England London (Y56), Region</td></tr></table>"
                    },
                )
            ]
        )
    )
    for i, table in enumerate(tables):
        nb.cells.append(nbformat.v4.new_markdown_cell(f"## Section {i}\n\nWords."))
        nb.cells.append(
            nbformat.v4.new_code_cell(
                outputs=[
                    nbformat.v4.new_output(
                        "display_data", data={"text/html": "<table></table>", MIMETYPE: t}
                    )
                    for t in [table.to_json()]
                ]
            )
        )
    return nb


def _tables() -> list[ShownTable]:
    _, table = _ucr_rows()
    return [
        shown_table(show(table, UCR), "Performance by month"),
        shown_table(show(table, UCR), "Performance by month"),
    ]


def test_tables_are_read_back_from_an_executed_notebook_in_order(tmp_path):
    nb = _notebook(_tables())
    found = report_tables(nb)
    assert [t.section for t in found] == ["Section 0", "Section 1"]
    assert found[0].table == _tables()[0]
    assert report_title(nb) == "Urgent response report"
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, path)
    content = report_workbook(path, {"disclosure_control": True})
    assert content is not None and content[:2] == b"PK"  # an XLSX is a zip
    cover = load_workbook(io.BytesIO(content))["Cover"]
    assert cover["A1"].value == "Urgent response report: NHS England London (Y56), Region"
    assert any(c.value == "Organisation: NHS England London (Y56), Region" for c in cover["A"])
    nbformat.write(_notebook([]), path)
    assert report_workbook(path, {}) is None  # no table, no spreadsheet


def test_the_workbook_follows_the_guidance():
    tables = [SheetTable(f"Section {i}", t) for i, t in enumerate(_tables())]
    content = workbook_bytes(tables, "Urgent response: London", [("Report", "Region Y56")])
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Cover", "Contents", "Notes", "Table_1", "Table_2"]
    cover = [c.value for row in book["Cover"].iter_rows() for c in row if c.value]
    assert cover[0] == "Urgent response: London"
    assert any("Region Y56" in str(v) for v in cover)
    assert any(CONFIDENTIAL in str(v) and NOT_AVAILABLE in str(v) for v in cover)
    notes = [c.value for row in book["Notes"].iter_rows() for c in row if c.value]
    assert any("rounded to the nearest 5" in str(v) for v in notes)
    titles = []
    for name in ("Table_1", "Table_2"):
        sheet = book[name]
        assert not sheet.merged_cells.ranges
        titles.append(sheet["A1"].value)
        assert "[note" in sheet["A2"].value or any("[note" in str(c.value) for c in sheet["A"][:6])
        assert len(sheet.tables) == 1  # the values are a marked-up Excel table
        ref = next(iter(sheet.tables.values())).ref
        rows = [[c.value for c in row] for row in sheet[ref]]
        expected = sheet_frame(tables[0].table)
        assert rows[0] == list(expected.columns)
        as_read = [[_as_read(v) for v in row] for row in expected.values.tolist()]
        assert rows[1:] == as_read
        assert all(v is not None for row in rows for v in row)  # no blank cell inside
    assert titles[0] != titles[1] and titles[0].startswith("Performance by month")
    contents = [c.value for row in book["Contents"].iter_rows() for c in row if c.value]
    assert any("Table_1" in str(v) for v in contents)


def _as_read(value):
    """A value as openpyxl reads it back: a date cell is a datetime."""
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def test_months_are_date_cells_shown_as_the_page_shows_them():
    table = ShownTable(
        "t",
        ["Month", "Met", "Period"],
        ["", "%", ""],
        [["2025-04", 50.0, "2025-04"], ["2025-05", "*", "all"]],
    )
    frame = sheet_frame(table)
    assert frame["Month"].tolist() == [dt.date(2025, 4, 1), dt.date(2025, 5, 1)]
    assert frame["Period"].tolist() == ["2025-04", "all"]  # not wholly months: text
    book = load_workbook(io.BytesIO(workbook_bytes([SheetTable("S", table)], "R")))
    sheet = book["Table_1"]
    ref = next(iter(sheet.tables.values())).ref
    cells = [row[0] for row in sheet[ref]][1:]
    assert [c.value for c in cells] == [dt.datetime(2025, 4, 1), dt.datetime(2025, 5, 1)]
    assert {c.number_format for c in cells} == {"yyyy-mm"}


def test_headers_carry_units_and_hidden_values_their_shorthand():
    table = ShownTable(
        "t",
        ["Median wait", "Median wait (days)", "Met"],
        ["days", "days", "%"],
        [[12.5, 3.0, "*"], [None, 4.0, 50.0]],
    )
    frame = sheet_frame(table)
    assert list(frame.columns) == ["Median wait (days)", "Median wait (days) (2)", "Met (%)"]
    assert frame.values.tolist() == [[12.5, 3.0, CONFIDENTIAL], [NOT_AVAILABLE, 4.0, 50.0]]


@pytest.mark.parametrize("control", [True, False])
def test_control_off_is_said_on_every_table(control):
    tables = [SheetTable("S", _tables()[0])]
    book = load_workbook(io.BytesIO(workbook_bytes(tables, "R", disclosure_control=control)))
    notes = " ".join(str(c.value) for row in book["Notes"].iter_rows() for c in row)
    assert ("turned OFF" in notes) is not control


def test_a_report_whose_spreadsheet_is_missing_is_rendered_again(tmp_path):
    from workbench.publish.manifest import is_up_to_date

    (tmp_path / "region" / "Y56").mkdir(parents=True)
    for name in ("waits.html", "waits.xlsx"):
        (tmp_path / "region" / "Y56" / name).write_text("x")
    record = {
        "status": "ok",
        "parameters": {},
        "data_snapshot": "a",
        "package_version": "1",
        "notebook_sha256": "b",
        "outputs": {"html": "region/Y56/waits.html"},
        "spreadsheet": "region/Y56/waits.xlsx",
    }
    wanted = {**record, "formats": ["html"]}
    assert is_up_to_date(record, wanted, tmp_path)
    (tmp_path / "region" / "Y56" / "waits.xlsx").unlink()
    assert not is_up_to_date(record, wanted, tmp_path)
    made_before_spreadsheets = {k: v for k, v in record.items() if k != "spreadsheet"}
    assert not is_up_to_date(made_before_spreadsheets, wanted, tmp_path)


def test_an_england_workbook_says_its_figures_are_exact():
    from dataclasses import replace

    national = [SheetTable("S", replace(t, national=True)) for t in _tables()]
    book = load_workbook(io.BytesIO(workbook_bytes(national, "Urgent response: England")))
    cover = " ".join(str(c.value) for row in book["Cover"].iter_rows() for c in row if c.value)
    notes = " ".join(str(c.value) for row in book["Notes"].iter_rows() for c in row if c.value)
    assert "England's figures are exact" in cover and "exact" in notes
    titles = " ".join(
        str(c.value) for row in book["Table_1"].iter_rows(max_row=4) for c in row if c.value
    )
    assert "England's figures are exact, not rounded" in titles
    regional = [SheetTable("S", t) for t in _tables()]
    cover = load_workbook(io.BytesIO(workbook_bytes(regional, "Urgent response: London")))
    assert "England's figures are exact" not in " ".join(
        str(c.value) for row in cover["Cover"].iter_rows() for c in row if c.value
    )
