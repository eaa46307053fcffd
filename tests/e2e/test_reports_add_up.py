"""Reports that add up and say how sure they are (measures.md section 7, presentation rules).

Read on the committed sample (the ``sample_aggregates`` fixture): the report-scale data takes
minutes to generate and compute, and every rule checked here holds at any scale. Two kinds of
check:

* England's tables by organisation add up, with their Not known row, to the England total shown
  above them, for waits, data quality and urgent response (whose England page compares the
  regions on a funnel: its points are the rows);
* over every rendered page of England and all 7 regions: no percentage drawn as a point from a
  rounded denominator under 100, no percentage with more decimals than its rounded denominator
  supports, and no highest or lowest group named where their intervals overlap.
"""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from workbench.disclosure import ONE_DECIMAL_FROM, ROUND_TO
from workbench.measures.registry import aggregate_tables
from workbench.reports.chartable import MIN_CHART_DENOMINATOR
from workbench.reports.data import ReportData
from workbench.reports.sections import data_quality, urgent_response, waits
from workbench.reports.sections.common import NO_REGION, funnel_peers

ROOT = Path(__file__).resolve().parents[2]
#: A rounded count is at most 2.5 from the exact one; a suppressed one ("*") is 1 to 7.
ROUNDING = ROUND_TO / 2
LARGEST_HIDDEN = 7


def _number(text: object) -> float | None:
    cleaned = str(text).replace(",", "").replace("%", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def _shown_sum(values: pd.Series) -> tuple[float, float]:
    """The sum of a column as shown, and how far the exact sum may be from it."""
    total, slack = 0.0, 0.0
    for v in values:
        if v == "*":
            slack += LARGEST_HIDDEN
        elif _number(v) is not None:
            total += float(_number(v))
            slack += ROUNDING
    return total, slack


def _tables_by_region(items: list, header: str) -> list[pd.DataFrame]:
    return [item.data for item in items if hasattr(item, "data") and header in item.data.columns]


@pytest.mark.parametrize(
    ("section", "table", "count", "label"),
    [
        (waits.by_organisation_waiting, "waiting_list", "waiting", "Waiting"),
        (data_quality.by_organisation_coding, "ethnicity_quality", "records", None),
    ],
)
def test_england_tables_by_region_add_up_to_england(
    sample_aggregates, section, table, count, label
):
    england = ReportData.open(sample_aggregates, "england", "ENG")
    total = int(england.table(table)[count].iloc[0])  # exact: England is not rounded
    shown = _tables_by_region(section(england), "Region")
    assert shown, "England's page shows no table by region"
    for frame in shown:
        assert frame["Region"].iloc[-1] == NO_REGION  # kept, and last
        column = label or frame.columns[1]
        summed, slack = _shown_sum(frame[column])
        assert abs(summed - total) <= slack, (table, summed, total, slack)


def test_england_urgent_response_funnel_rows_add_up_to_england(sample_aggregates):
    england = ReportData.open(sample_aggregates, "england", "ENG")
    rows, _ = funnel_peers(england, "ucr_performance")
    headline = england.table("ucr_performance")
    assert "Not known" in set(rows["org_code"])  # the clocks with no known region stay
    for column in ("in_scope", "met"):
        assert rows[column].sum() == headline[column].iloc[0]
    # the funnel's centre is England's headline figure
    centre = rows["met"].sum() / rows["in_scope"].sum() * 100
    assert centre == pytest.approx(urgent_response._headline(england)["performance"])


# --- over every rendered page ----------------------------------------------------------------


class _Page(HTMLParser):
    """The tables (rows of cell text, the first row the headers), figure captions, paragraphs
    and link targets of a rendered page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, object]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.items.append(("link", dict(attrs)["href"]))
        elif tag == "table":
            self.items.append(("table", []))
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "figcaption":
            self._caption = []
        elif tag in ("p", "li"):
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.items and self.items[-1][0] == "table":
            self.items[-1][1].append(self._row)  # type: ignore[union-attr]
            self._row = None
        elif tag == "figcaption" and self._caption is not None:
            self.items.append(("caption", "".join(self._caption)))
            self._caption = None
        elif tag in ("p", "li") and self._text is not None:
            self.items.append(("text", "".join(self._text)))
            self._text = None

    def handle_data(self, data):
        for part in (self._cell, self._caption, self._text):
            if part is not None:
                part.append(data)


#: A folder of rendered reports to read instead of rendering England and the 7 regions here
#: (e.g. ``reports`` after ``make report``).
RENDERED = "WORKBENCH_TEST_REPORTS"


def _read_pages(folder: Path) -> dict[str, list[tuple[str, object]]]:
    out = {}
    for page in sorted(folder.rglob("*.html")):
        if page.parent.parent.name not in ("england", "region"):
            continue
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        out[f"{page.parent.name}/{page.stem}"] = parser.items
    return out


@pytest.fixture(scope="module")
def pages(sample_aggregates, tmp_path_factory) -> dict[str, list[tuple[str, object]]]:
    """Every page of England and the 7 regions, rendered from the sample (or read from
    :data:`RENDERED`)."""
    from workbench.publish.batch import run_schedule

    given = os.environ.get(RENDERED)
    if given:
        out = _read_pages(Path(given))
        assert sum(k.startswith("ENG/") for k in out) >= 4, f"{given} holds no England reports"
        return out
    folder = tmp_path_factory.mktemp("add_up")
    schedule = folder / "schedule.yml"
    schedule.write_text(
        f"store: {sample_aggregates.parent / 'store'}\n"
        f"aggregates: {sample_aggregates}\n"
        f"output: {folder / 'reports'}\n"
        "workers: 2\n"
        f"notebooks_dir: {ROOT / 'notebooks'}\n"
        "notebooks: [data_quality, waits, urgent_response, outcomes]\n"
        "organisations:\n  - level: england\n  - level: region\n    codes: all\n"
    )
    summary = run_schedule(schedule, progress=False, log=lambda *_: None)
    assert summary.exit_code == 0, summary.text()
    out = _read_pages(folder / "reports")
    shutil.rmtree(folder, ignore_errors=True)
    assert len(out) == 32  # 4 reports each for England and the 7 regions
    return out


def _below_england(pages):
    return {k: v for k, v in pages.items() if not k.startswith("ENG/")}


def _denominators() -> dict[str, set[str]]:
    """Each percentage's label (as a table header) and the labels of its denominator, from the
    measure registry."""
    out: dict[str, set[str]] = {}
    for measure, _ in aggregate_tables():
        for column in measure.columns:
            if column.role == "rate" and column.multiplier == 100 and column.denominator:
                denominator = measure.column(column.denominator).label
                out.setdefault(column.label, set()).add(denominator)
    return out


DENOMINATORS = _denominators()


def _percentage_columns(headers: list[str]) -> list[tuple[int, int]]:
    """(column of a percentage or of its limit, column of its denominator) for every
    percentage a table shows beside its denominator."""
    found = []
    for i, header in enumerate(headers):
        base = re.sub(r": (lower|upper) 95% limit$", "", header)
        for denominator in DENOMINATORS.get(base, ()):
            if denominator in headers:
                found.append((i, headers.index(denominator)))
                break
    return found


def test_no_percentage_shows_more_decimals_than_its_denominator_supports(pages):
    """Below England a percentage shows a decimal only where its rounded denominator (the
    table's, or the count a sentence gives it "of") is at least 4,000."""
    checked = 0
    for name, items in _below_england(pages).items():
        for kind, content in items:
            if kind == "table" and content:
                headers, *rows = content
                for column, denominator in _percentage_columns(headers):
                    for row in rows:
                        if len(row) != len(headers) or _number(row[column]) is None:
                            continue
                        checked += 1
                        if "." in row[column]:
                            assert _number(row[denominator]) >= ONE_DECIMAL_FROM, (name, row)
            elif kind == "caption":  # a funnel's "SYN02: 75% (60 of 80)"
                for pct, den in re.findall(r"(\d+(?:\.\d)?)% \([\d,]+ of ([\d,]+)\)", content):
                    checked += 1
                    if "." in pct:
                        assert _number(den) >= ONE_DECIMAL_FROM, (name, content)
            elif kind == "text":
                said = re.findall(r"(\d+(?:\.\d)?)% \(95% CI [^)]*\) of ([\d,]+)", content)
                for pct, den in said:
                    checked += 1
                    if "." in pct:
                        assert _number(den) >= ONE_DECIMAL_FROM, (name, content)
    assert checked > 100  # the rule was read on every region's percentages


def test_no_percentage_is_drawn_from_a_rounded_denominator_under_the_minimum(pages):
    """A "for whom" chart's caption gives each drawn group's value; the table under it holds
    the group's rounded denominator."""
    checked = 0
    for name, items in _below_england(pages).items():
        for (kind, caption), (next_kind, table) in zip(items, items[1:], strict=False):
            if kind != "caption" or next_kind != "table" or "by category" not in str(caption):
                continue
            headers, *rows = table  # type: ignore[misc]
            columns = _percentage_columns(headers)
            if not columns:
                continue
            _, denominator = columns[0]
            for row in rows:
                count = _number(row[denominator])
                if count is None or count >= MIN_CHART_DENOMINATOR:
                    continue
                checked += 1
                drawn = re.search(rf"(^|; |\. ){re.escape(row[0])}: \d", str(caption))
                assert drawn is None, (name, row[0], count, caption)
    assert checked  # the sample has groups too small to chart, and none is drawn


def test_no_highest_or_lowest_is_named_where_the_intervals_overlap(pages):
    """Every "Highest <group> ..., lowest <group> ..." of a caption names groups whose 95%
    intervals, as the same caption gives them, do not overlap."""
    claims, unclear = 0, 0
    for name, items in pages.items():
        for kind, content in items:
            text = str(content)
            if kind != "caption":
                continue
            unclear += "No group differs clearly" in text
            for top, bottom in re.findall(r"Highest (.+?) \([\d.]+%\), lowest (.+?) \(", text):
                claims += 1
                limits = {}
                for group in (top, bottom):
                    found = re.search(
                        rf"{re.escape(group)}: [\d.]+% \(([\d.]+)% to ([\d.]+)%\)", text
                    )
                    assert found, (name, group, text)
                    limits[group] = (float(found.group(1)), float(found.group(2)))
                assert limits[top][0] > limits[bottom][1], (name, top, bottom, text)
    assert claims + unclear > 0  # the pages compare groups, and every claim was checked


def test_england_says_its_figures_are_exact_and_regions_say_how_they_are_controlled(pages):
    for name, items in pages.items():
        about = next(
            row[1]
            for kind, table in items
            if kind == "table"
            for row in table  # type: ignore[union-attr]
            if row and row[0] == "Disclosure control"
        )
        if name.startswith("ENG/"):
            assert "England's figures are exact" in about and "nearest 5" not in about, name
        else:
            assert "rounded to the nearest 5" in about and "whole numbers" in about, name


def test_every_report_links_its_spreadsheet_and_the_index(pages):
    for name, items in pages.items():
        links = {str(target) for kind, target in items if kind == "link"}
        report = name.split("/")[1]
        assert f"{report}.xlsx" in links, name
        assert "../../index.html" in links, name
