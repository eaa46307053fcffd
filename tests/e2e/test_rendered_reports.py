"""Rendered reports: run the real notebooks for England and a region through the batch runner,
then read every HTML page as a regional team would receive it and check that no count of 1 to
7 is shown, no record identifier appears, and nothing is loaded from the network."""

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from workbench.publish.batch import run_schedule

ROOT = Path(__file__).resolve().parents[2]
RECORD_ID = re.compile(r"\b(P[0-9A-F]{16}|[RC][0-9]{9}|RO[0-9]{7,})\b")


class _Cells(HTMLParser):
    """Collects the text of every table cell marked as a controlled count."""

    def __init__(self):
        super().__init__()
        self.counts: list[str] = []
        self._in_count = False
        self.scripts = 0
        self.remote = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if (attrs.get(key) or "").startswith(("http:", "https:", "//")):
                self.remote.append(attrs[key])
        if tag == "td" and "count" in (attrs.get("class") or "").split():
            self._in_count = True
            self.counts.append("")

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_count = False

    def handle_data(self, data):
        if self._in_count:
            self.counts[-1] += data.strip()


@pytest.fixture(scope="module")
def rendered(sample_aggregates, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rendered")
    schedule = folder / "schedule.yml"
    schedule.write_text(
        f"store: {sample_aggregates.parent / 'store'}\n"
        f"aggregates: {sample_aggregates}\n"
        f"output: {folder / 'reports'}\n"
        "workers: 2\n"
        f"notebooks_dir: {ROOT / 'notebooks'}\n"
        "notebooks: [data_quality, waits, urgent_response, outcomes]\n"
        "organisations:\n  - level: england\n  - level: region\n    codes: [Y56]\n"
    )
    summary = run_schedule(schedule, progress=False, log=lambda *_: None)
    assert summary.exit_code == 0, summary.text()
    yield folder / "reports"
    shutil.rmtree(folder, ignore_errors=True)


def _pages(folder: Path) -> list[Path]:
    return sorted((folder / "england").rglob("*.html")) + sorted(
        (folder / "region").rglob("*.html")
    )


def test_every_report_was_rendered(rendered):
    assert len(_pages(rendered)) == 8
    assert (rendered / "index.html").exists() and (rendered / "methodology.html").exists()
    for page in ("measures.html", "sources.html"):  # the definitions travel with the bundle
        assert (rendered / page).exists(), page
    assert 'href="measures.html"' in (rendered / "index.html").read_text(encoding="utf-8")


def test_rendered_reports_show_no_unsuppressed_counts_of_1_to_7(rendered):
    checked = 0
    for page in _pages(rendered):
        cells = _Cells()
        cells.feed(page.read_text(encoding="utf-8"))
        for text in cells.counts:
            value = text.replace(",", "")
            assert value in ("*", "") or (value.isdigit() and int(value) % 5 == 0), (page, text)
            checked += 1
    assert checked > 100


def test_rendered_reports_carry_no_record_identifiers_code_or_network(rendered):
    for page in [*_pages(rendered), rendered / "index.html"]:
        html = page.read_text(encoding="utf-8")
        text = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", html)
        assert not RECORD_ID.search(text), (page, RECORD_ID.search(text).group())
        cells = _Cells()
        cells.feed(html)
        assert cells.scripts == 0 and cells.remote == [], page
        assert "show_items(" not in text and "import " not in text, page


def test_the_front_page_states_what_a_reader_needs(rendered):
    html = (rendered / "region" / "Y56" / "waits.html").read_text(encoding="utf-8")
    for phrase in (
        "London (Y56), NHS England region (residence)",
        "Period",
        "Data extract",
        "Disclosure control",
        "Workbench version",
        'href="../../methodology.html"',
        'href="../../measures.html"',
        'href="#definitions-3-waiting-times"',  # the section travels inside the file
        'id="definitions-3-waiting-times"',
    ):
        assert phrase in html, phrase


def test_only_a_waiting_list_report_names_the_census_date(rendered):
    about = re.compile(r'<section class="about".*?</section>', re.S)
    for report, named in (("waits", True), ("outcomes", False), ("urgent_response", False)):
        html = (rendered / "region" / "Y56" / f"{report}.html").read_text(encoding="utf-8")
        box = about.search(html).group(0)
        assert ("Waiting list census date" in box) is named, report


def test_the_data_quality_report_rates_every_provider_month(rendered):
    html = (rendered / "region" / "Y56" / "data_quality.html").read_text(encoding="utf-8")
    for subject in ("Ethnicity known", "Deprivation known (valid LSOA)"):
        found = re.search(
            rf"{re.escape(subject)}, by provider and month: 2 providers by (\d+) months", html
        )
        assert found and 12 < int(found.group(1)) <= 24, subject  # up to 24 months: time charts


def _page_text(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text.replace("&nbsp;", " "))


def test_every_report_names_its_organisation_in_header_and_tab(rendered):
    for folder, name in (("england/ENG", "England"), ("region/Y56", "London")):
        for page in sorted((rendered / folder).glob("*.html")):
            html = page.read_text(encoding="utf-8")
            assert re.search(rf"<title>[^<]*: {name}</title>", html), page
            assert f'<p class="organisation">{name}</p>' in html, page
    england = (rendered / "england" / "ENG" / "waits.html").read_text(encoding="utf-8")
    assert "England (ENG)" not in england and "England, England" not in england


def test_key_messages_are_the_numbers_the_report_states(rendered, sample_aggregates):
    """Each key message with an interval is stated in the same words further down (the
    narrative or a table computed from the same controlled values), and equals what the
    key-messages module computes from the aggregates."""
    from workbench.reports.data import ReportData
    from workbench.reports.key_messages import key_messages

    for folder, level, code in (("england/ENG", "england", "ENG"), ("region/Y56", "region", "Y56")):
        data = ReportData.open(sample_aggregates, level, code)
        for page in sorted((rendered / folder).glob("*.html")):
            html = page.read_text(encoding="utf-8")
            box = html[html.index('class="key-messages"') : html.index("</section>")]
            rest = _page_text(html[html.index("</section>") :])
            messages = key_messages(data, page.stem)
            assert 2 <= len(messages) <= 5, page
            for m in messages:
                assert m.label in box and m.value in box, (page, m)
                if m.interval:  # e.g. 75.9% (95% CI 68.3% to 82.1%)
                    assert f"{m.value} ({m.interval})" in rest, (page, m)


def test_contents_links_resolve_inside_each_page(rendered):
    for page in _pages(rendered):
        html = page.read_text(encoding="utf-8")
        start = html.index('<nav class="contents"')
        contents = html[start : html.index("</nav>", start)]
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        targets = re.findall(r'href="#([^"]+)"', contents)
        assert len(targets) >= 4 and set(targets) <= ids, (page, set(targets) - ids)
        for target in re.findall(r'href="#([^"]+)"', html):  # every in-page link
            assert target in ids, (page, target)


def test_index_is_a_summary_with_england_first(rendered):
    html = (rendered / "index.html").read_text(encoding="utf-8")
    assert html.index('id="england-ENG"') < html.index('id="region-Y56"')
    assert html.index('id="region-Y56"') < html.index("ICBs in London")
    assert "London" in html and "Nhs regions" not in html
    assert '<th scope="col">2-hour urgent response<span class="qualifier">: in-scope' in html
    assert re.search(r"<td><strong>[0-9.]+%</strong><br><span class=\"interval\">", html)


def test_no_notebook_output_carries_a_warning(rendered):
    """The first output of a notebook was a red tqdm "IProgress not found" warning."""
    import json

    executed = sorted((rendered / "executed").rglob("*.ipynb"))
    assert executed
    for path in executed:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                assert output.get("name") != "stderr", (path, output.get("text"))


class _Text(HTMLParser):
    """The words a reader sees: text outside style and script, plus image alt text."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        alt = dict(attrs).get("alt")
        if tag == "img" and alt:
            self.parts.append(alt)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _internal_names() -> set[str]:
    """Every registry column name and extract item and table name a reader must not see (those
    with an underscore: single words such as ``score`` are also ordinary English)."""
    from workbench.breakdowns import BREAKDOWNS
    from workbench.measures.registry import aggregate_tables, registry
    from workbench.spec import TABLES

    names = {c.name for m in registry().values() for c in m.columns}
    names |= {
        f"{c.name}_{side}"
        for m in registry().values()
        for c in m.columns
        for side in ("lower", "upper")
        if c.role == "rate"
    }
    names |= {c.name for t in TABLES.values() for c in t.columns} | set(TABLES)
    names |= {t.name for _, t in aggregate_tables()} | set(BREAKDOWNS)
    return {n for n in names if "_" in n}


def test_no_rendered_page_shows_an_internal_name(rendered):
    names = _internal_names()
    assert {"pct_known_lower", "attended_or_dna", "referral_closure_date"} <= names
    pattern = re.compile(
        r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b"
    )
    for page in _pages(rendered):
        text = _Text()
        text.feed(page.read_text(encoding="utf-8"))
        found = sorted(set(pattern.findall(" ".join(text.parts))))
        assert not found, (page.relative_to(rendered).as_posix(), found)


class _DataTables(HTMLParser):
    """The header and cell texts of every data table a report shows (pandas Styler tables, with
    ids ``T_...``), in page order."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (attrs.get("id") or "").startswith("T_"):
            self.tables.append([])
        elif self.tables and tag == "tr":
            self.tables[-1].append([])
        elif self.tables and tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def _as_on_page(value) -> str:
    """A spreadsheet cell as the page would show it, for comparing values."""
    if value == "[c]":
        return "*"
    if value == "[x]":
        return "-"
    if isinstance(value, dt.datetime):  # a month's date cell, shown yyyy-mm
        return value.strftime("%Y-%m")
    return str(value)


def _same(page: str, sheet) -> bool:
    shown = _as_on_page(sheet)
    if page == shown or (page in ("", "-", "nan") and shown == "-"):
        return True
    try:
        return float(page.replace(",", "")) == float(shown)
    except ValueError:
        return False


def test_every_report_has_a_spreadsheet_of_its_tables_with_the_page_values(rendered):
    from openpyxl import load_workbook

    checked = 0
    for page in _pages(rendered):
        parser = _DataTables()
        parser.feed(page.read_text(encoding="utf-8"))
        path = page.with_suffix(".xlsx")
        assert path.is_file(), path
        book = load_workbook(path)
        assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"], path
        sheets = book.sheetnames[3:]
        assert len(sheets) == len(parser.tables) > 0, (path, len(sheets), len(parser.tables))
        cover = " ".join(str(c.value) for c in book["Cover"]["A"] if c.value)
        assert "NHS England London" in cover or "England" in cover, path
        for name, table in zip(sheets, parser.tables, strict=True):
            sheet = book[name]
            assert sheet["A1"].value and not sheet.merged_cells.ranges, (path, name)
            ref = next(iter(sheet.tables.values())).ref
            rows = [[c.value for c in row] for row in sheet[ref]]
            page_rows = [r for r in table if r]
            assert len(rows) == len(page_rows), (path, name)
            for header, shown in zip(rows[0], page_rows[0], strict=True):
                assert header.startswith(shown), (path, name, header, shown)
            for got, shown in zip(rows[1:], page_rows[1:], strict=True):
                for value, text in zip(got, shown, strict=True):
                    assert value is not None, (path, name)  # no blank cell inside a table
                    assert _same(text, value), (path, name, text, value)
                    checked += 1
    assert checked > 500


def test_no_spreadsheet_below_england_holds_a_count_of_1_to_7(rendered):
    import nbformat
    from openpyxl import load_workbook

    from workbench.publish.spreadsheet import report_tables

    checked = 0
    for path in sorted((rendered / "region").rglob("*.xlsx")):
        executed = rendered / "executed" / path.relative_to(rendered).with_suffix(".ipynb")
        records = report_tables(nbformat.read(executed, as_version=4))
        book = load_workbook(path)
        for name, record in zip(book.sheetnames[3:], records, strict=True):
            sheet = book[name]
            ref = next(iter(sheet.tables.values())).ref
            rows = [[c.value for c in row] for row in sheet[ref]]
            for i, header in enumerate(rows[0]):
                if not any(header.startswith(c) for c in record.table.counts):
                    continue
                for row in rows[1:]:
                    value = row[i]
                    assert value == "[c]" or (int(value) == value and value % 5 == 0), (
                        path,
                        name,
                        header,
                        value,
                    )
                    checked += 1
    assert checked > 100


def test_the_manifest_and_index_list_each_spreadsheet(rendered):
    import json

    manifest = json.loads((rendered / "manifest.json").read_text(encoding="utf-8"))
    index = (rendered / "index.html").read_text(encoding="utf-8")
    for record in manifest["reports"]:
        assert record["spreadsheet"], record["notebook"]
        assert (rendered / record["spreadsheet"]).is_file()
        assert f'href="{record["spreadsheet"]}"' in index


def test_every_report_links_its_spreadsheet_the_index_and_the_organisations_around_it(rendered):
    for page in _pages(rendered):
        html = page.read_text(encoding="utf-8")
        nav = html[html.index('<nav class="related"') : html.index("</nav>")]
        assert f'href="{page.stem}.xlsx"' in nav and (page.parent / f"{page.stem}.xlsx").exists()
        assert 'href="../../index.html"' in nav and (rendered / "index.html").exists()
        assert 'href="../../measures.html"' in html  # the batch's own definitions
    england = (rendered / "england" / "ENG" / "waits.html").read_text(encoding="utf-8")
    assert re.search(
        r'href="[^"]*(region/Y56/waits\.html|index\.html#region-Y56)">London<', england
    )
    london = (rendered / "region" / "Y56" / "waits.html").read_text(encoding="utf-8")
    assert re.search(
        r'href="../../(england/ENG/waits\.html|index\.html#england-ENG)">England<', london
    )
    assert re.search(r'index.html#icb-QKK">[^<]*South East London', london)  # not rendered
