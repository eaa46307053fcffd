"""Report rendering and the batch runner, on tiny notebooks written here (never the real ones).

Each test that executes a notebook starts a Jupyter kernel (about a second or two)."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from workbench.cli import main
from workbench.publish import ScheduleError, load_schedule, render_notebook, run_schedule
from workbench.publish.manifest import is_up_to_date
from workbench.publish.page import html_page
from workbench.publish.sanitize import self_contained
from workbench.version import __version__

SNAPSHOT = "a" * 64
PARAMETERS_CELL = """\
aggregates = "data/aggregates"
store = "data/store"
org_level = "england"
org_code = "ENG"
period_start = None
period_end = None
census_date = None
disclosure_control = True
output_format = "html"
"""
GOOD_CELLS = [
    "# Tiny waits report\n\nA [relative link](../methodology.html).",
    'assert isinstance(org_code, str), type(org_code)\nprint(f"Report for {org_level} {org_code}")',
    "import pandas as pd\npd.DataFrame({'team': ['a', 'b'], 'waiting': [3, 4]})",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
    "ax.bar(['a', 'b'], [3, 4])\nplt.show()",
]


def _notebook(path: Path, cells: list[str]) -> Path:
    nb = new_notebook(
        cells=[new_code_cell(PARAMETERS_CELL, metadata={"tags": ["parameters"]})]
        + [new_markdown_cell(c) if c.startswith("#") else new_code_cell(c) for c in cells]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "py"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def notebooks(tmp_path: Path) -> Path:
    """notebooks/good.ipynb (text, a table, a figure), bad.ipynb (raises in its 3rd cell),
    code007.ipynb (asserts the code arrived as the text "007")."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder / "good.ipynb", GOOD_CELLS)
    _notebook(folder / "bad.ipynb", ["x = 1", 'raise ValueError("no such table")', "y = 2"])
    _notebook(folder / "code007.ipynb", ['assert org_code == "007", repr(org_code)', *GOOD_CELLS])
    return folder


@pytest.fixture
def data(tmp_path: Path) -> dict[str, Path]:
    """A fake store (its load report only) and aggregates up to date with it."""
    store, aggregates = tmp_path / "store", tmp_path / "aggregates"
    store.mkdir()
    aggregates.mkdir()
    (store / "load_report.json").write_text(
        json.dumps({"source_sha256": SNAPSHOT, "last_submission_date": "2026-04-01"})
    )
    (aggregates / "manifest.json").write_text(
        json.dumps(
            {
                "workbench_version": __version__,
                "period_start": "2025-04-01",
                "period_end": "2026-03-31",
                "census_date": "2026-03-31",
                "monthly_start": "2024-04-01",  # 24 months: the store gives no first date
                "store": str(store),
                "source_sha256": SNAPSHOT,
                "tables": {},
            }
        )
    )
    pd.DataFrame(
        {"provider": ["007", "RXA"], "icb": ["QKK", "QKK"], "region": ["Y56"] * 2}
    ).to_parquet(aggregates / "organisations.parquet")
    return {"store": store, "aggregates": aggregates}


def _schedule(tmp_path: Path, data, name="schedule.yml", **fields) -> Path:
    config = {
        "store": str(data["store"]),
        "aggregates": str(data["aggregates"]),
        "output": "out",
        "notebooks_dir": "notebooks",
        "workers": 2,
        "notebooks": ["good"],
        "organisations": [{"level": "england"}, {"level": "provider", "codes": ["007"]}],
        **fields,
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config))
    return path


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, k, v or "") for k, v in attrs)


def assert_self_contained(html: str) -> _Tags:
    parsed = _Tags()
    parsed.feed(html)
    assert "script" not in parsed.tags
    assert "link" not in parsed.tags
    for tag, name, value in parsed.attrs:
        if name in ("src", "href", "srcset", "data"):
            assert not value.lower().startswith(("http:", "https:", "//")), (tag, name, value)
    for needle in ('src="http', 'href="http', "mathjax", "cdn.", "@import"):
        assert needle not in html.lower()
    return parsed


# --- rendering one notebook ---------------------------------------------------------------


def test_report_hides_code_embeds_figures_and_loads_nothing(notebooks, tmp_path):
    result = render_notebook(
        notebooks / "code007.ipynb",
        tmp_path / "out",
        {"org_level": "provider", "org_code": "007", "period_start": "2025-04-01"},
        formats=("html", "pdf"),
    )
    assert result.status == "ok", result.error
    html = result.html.read_text(encoding="utf-8")
    parsed = assert_self_contained(html)
    assert 'src="data:image/png;base64,' in html
    assert "<table" in html and "waiting" in html  # the table is there
    assert "Report for provider 007" in html  # printed output is there
    for code in ("plt.subplots", "assert org_code", "pd.DataFrame", "disclosure_control ="):
        assert code not in html
    assert "<title>Tiny waits report: Provider 007</title>" in html  # the organisation, by name
    assert "img" in parsed.tags
    assert 'href="../methodology.html"' in html  # relative links stay
    assert result.pdf.read_bytes().startswith(b"%PDF")
    assert result.executed.exists()
    assert not [p for p in (tmp_path / "out").iterdir() if ".partial" in p.name]


def test_failing_notebook_reports_its_cell_and_leaves_the_old_report(notebooks, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "bad.html").write_text("the previous report")
    result = render_notebook(notebooks / "bad.ipynb", out, {"org_code": "X"})
    assert result.status == "failed"
    assert result.error == "ValueError: no such table"
    assert result.failed_cell.index == 2  # the 3rd cell of the notebook as written
    assert result.failed_cell.first_line == 'raise ValueError("no such table")'
    assert result.attempts == 1  # a cell error is not retried
    assert (out / "bad.html").read_text() == "the previous report"
    assert not [p for p in out.iterdir() if ".partial" in p.name]


def test_kernel_start_failures_are_retried(notebooks, tmp_path, monkeypatch):
    import papermill

    real, calls = papermill.execute_notebook, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds")
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    monkeypatch.setattr("workbench.publish.render.time.sleep", lambda s: None)
    result = render_notebook(notebooks / "good.ipynb", tmp_path / "out", {})
    assert result.status == "ok" and result.attempts == 2

    calls.clear()
    monkeypatch.setattr(
        papermill,
        "execute_notebook",
        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("Kernel died before replying")),
    )
    result = render_notebook(notebooks / "good.ipynb", tmp_path / "out2", {}, retries=1)
    assert result.status == "failed" and result.attempts == 2
    assert "kernel failed 2 time(s)" in result.error
    assert not (tmp_path / "out2" / "good.html").exists()


def test_sanitizer_removes_scripts_and_remote_resources():
    dirty = (
        '<p onclick="x()">hi <a href="https://evil.example/">link</a> <a href="methods.html">m</a>'
        '</p><script src="https://cdn.example/x.js"></script><script>alert(1)</script>'
        '<img src="https://example.org/a.png"><img src="data:image/png;base64,AAAA">'
        '<link rel="stylesheet" href="https://fonts.example/css"><iframe src="x"></iframe>'
        '<style>@import url("https://x/y.css"); td { background: url(http://x/y.png) }</style>'
        '<a href="javascript:alert(1)">j</a>'
    )
    clean = self_contained(dirty)
    assert_self_contained(clean)
    assert "onclick" not in clean and "javascript:" not in clean and "alert" not in clean
    assert 'href="methods.html"' in clean and "data:image/png;base64,AAAA" in clean
    assert "<iframe" not in clean and "hi " in clean


# --- the command line, one report ------------------------------------------------------------


def test_cli_passes_codes_as_text(notebooks, data, tmp_path, capsys):
    out = tmp_path / "one"
    code = main(
        [
            "report",
            str(notebooks / "code007.ipynb"),
            "--org-level",
            "provider",
            "--org-code",
            "007",
            "--aggregates",
            str(data["aggregates"]),
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip() == str(out / "code007.html")
    executed = nbformat.read(out / "code007.ipynb", as_version=4)
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.tags)
    assert 'org_code = "007"' in injected.source
    assert "disclosure_control = True" in injected.source
    assert 'period_start = "2025-04-01"' in injected.source  # from the aggregates' manifest


@pytest.mark.parametrize(
    "args, message",
    [
        (["nosuch"], "no notebook 'nosuch'"),
        (["{nb}", "--org-level", "icb", "--org-code", "QQQ"], "unknown icb code 'QQQ'"),
        (["{nb}", "--org-level", "provider", "--org-code", "7"], "unknown provider code '7'"),
        (["{nb}", "--org-level", "icb"], "--org-code is required"),
        (["run"], "give the schedule file"),
        (["run", "{schedule}", "--org-code", "QKK"], "--org-code apply to one report"),
        (["run", "{tmp}/missing.yml"], "no schedule file"),
    ],
)
def test_cli_errors_are_clear_and_exit_2(args, message, notebooks, data, tmp_path, capsys):
    schedule = _schedule(tmp_path, data)
    argv = ["report"] + [
        a.format(nb=notebooks / "good.ipynb", schedule=schedule, tmp=tmp_path) for a in args
    ]
    if args[0] != "run":
        argv += ["--aggregates", str(data["aggregates"])]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_one_report_and_a_schedule_resolve_and_record_a_failure_alike(
    notebooks, data, tmp_path, monkeypatch, capsys
):
    import workbench.publish.job as job_module
    from workbench.cli import build_parser, report_request
    from workbench.publish.batch import plan_jobs
    from workbench.publish.job import failure_record

    (tmp_path / "pyproject.toml").write_text("")  # the project root, with notebooks/ below it
    monkeypatch.chdir(tmp_path)
    argv = ["report", "bad", "--org-level", "provider", "--org-code", "007"]
    argv += ["--aggregates", str(data["aggregates"])]
    organisations = [{"level": "provider", "codes": ["007"]}]
    path = _schedule(tmp_path, data, notebooks=["bad"], organisations=organisations)
    config = yaml.safe_load(path.read_text()) | {"output": "reports"}  # the reports folder
    path.write_text(yaml.safe_dump(config))
    schedule = load_schedule(path)
    manifest = json.loads((data["aggregates"] / "manifest.json").read_text())

    one = report_request(build_parser().parse_args(argv))
    (job,) = plan_jobs(schedule, manifest)
    assert job.request == one
    assert one.out_dir == tmp_path / "reports" / "provider" / "007"
    assert one.parameters["org_code"] == "007" and one.parameters["period_end"] == "2026-03-31"

    made = []
    run_job = job_module.run_job
    monkeypatch.setattr(job_module, "run_job", lambda job: made.append(run_job(job)) or made[-1])
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "bad.ipynb failed at cell 3 (index 2)" in err and "ValueError: no such table" in err
    executed = tmp_path / "reports" / "executed" / "provider" / "007" / "bad.ipynb"
    assert f"executed notebook: {executed}" in err and executed.is_file()
    summary = run_schedule(path, progress=False, log=lambda *a: None)
    (batch,) = summary.reports

    def untimed(record: dict) -> dict:
        return {k: v for k, v in record.items() if k not in ("started", "seconds")}

    (single,) = made
    assert untimed(single.to_dict()) == untimed(batch)
    assert batch["status"] == "failed" and batch["outputs"] == {} and batch["spreadsheet"] is None
    died = failure_record(job, "worker failed: BrokenProcessPool").to_dict()  # a worker's death
    assert set(died) == set(batch) and died["failed_cell"] is None


# --- schedules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"store": None}, "store", "is required"),
        ({"workers": 0}, "workers", "1 or more"),
        ({"workers": "two"}, "workers", "whole number"),
        ({"formats": ["docx"]}, "formats[0]", "html, pdf"),
        ({"worker": 2}, "worker", "unknown field"),
        ({"notebooks": ["good", "nosuch"]}, "notebooks[1]", "no notebook"),
        ({"disclosure_control": "yes"}, "disclosure_control", "true or false"),
        ({"period_start": "2025-04-01"}, "period_end", "both"),
        ({"period_start": "2025-04-01", "period_end": "2025-13-01"}, "period_end", "not a date"),
        ({"organisations": [{"level": "trust"}]}, "organisations[0].level", "england"),
        ({"organisations": [{"level": "icb"}]}, "organisations[0].codes", "required"),
        (
            {"organisations": [{"level": "icb", "codes": ["QKK", "QQQ"]}]},
            "organisations[0].codes",
            "unknown icb code(s) QQQ",
        ),
        (
            {"organisations": [{"level": "provider", "codes": [7]}]},
            "organisations[0].codes[0]",
            "quote it",
        ),
    ],
)
def test_schedule_errors_name_the_field(change, field, message, notebooks, data, tmp_path):
    path = _schedule(tmp_path, data)
    config = yaml.safe_load(path.read_text())
    config.update(change)
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(ScheduleError) as err:
        load_schedule(path)
    assert f"field '{field}'" in str(err.value) and message in str(err.value)


def test_schedule_reads_codes_as_text_and_paths_from_its_folder(notebooks, data, tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(
        f"store: {data['store']}\naggregates: {data['aggregates']}\noutput: out\n"
        "notebooks_dir: notebooks\nnotebooks: [good]\n"
        "organisations:\n  - level: provider\n    codes: ['007']\n  - level: region\n"
        "    codes: all\n"
    )
    schedule = load_schedule(path)
    assert schedule.output == (tmp_path / "out").resolve()
    assert schedule.organisations[0].codes == ("007",)
    assert schedule.organisations[1].codes is None
    assert schedule.workers == 2 and schedule.formats == ("html",) and schedule.disclosure_control


def test_default_schedules_are_valid_apart_from_the_notebooks():
    root = Path(__file__).resolve().parents[2]
    for name in ("schedule.yml", "schedule_all_icbs.yml"):
        try:
            schedule = load_schedule(root / "reports" / name)
        except ScheduleError as err:  # the report notebooks may not be written yet
            assert "field 'notebooks[" in str(err), str(err)
        else:
            assert schedule.workers >= 1


# --- the batch -------------------------------------------------------------------------------


def test_batch_isolates_failures_writes_manifest_and_index(notebooks, data, tmp_path, capsys):
    path = _schedule(tmp_path, data, notebooks=["good", "bad"])
    code = main(["report", "run", str(path), "--quiet"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 1
    assert out[-1] == str(tmp_path / "out" / "index.html")
    assert any("FAILED bad for england ENG at cell 3" in line for line in out)

    output = tmp_path / "out"
    for org in ("england/ENG", "provider/007"):
        assert (output / org / "good.html").is_file()
        assert not (output / org / "bad.html").exists()
        assert (output / "executed" / org / "bad.ipynb").is_file()  # to read the failure
    manifest = json.loads((output / "manifest.json").read_text())
    assert manifest["complete"] and manifest["counts"] == {"ok": 2, "failed": 2, "skipped": 0}
    assert manifest["data_snapshot"] == SNAPSHOT
    assert manifest["period"]["period_start"] == "2025-04-01"
    records = {(r["level"], r["org_code"], r["notebook"]): r for r in manifest["reports"]}
    good = records[("provider", "007", "good")]
    assert good["status"] == "ok" and good["outputs"] == {"html": "provider/007/good.html"}
    assert good["parameters"]["org_code"] == "007" and good["parameters"]["org_level"] == "provider"
    assert good["parameters"]["aggregates"] == str(data["aggregates"].resolve())
    assert good["data_snapshot"] == SNAPSHOT and good["package_version"] == __version__
    assert good["started"] and good["seconds"] > 0 and good["error"] == ""
    bad = records[("england", "ENG", "bad")]
    assert bad["status"] == "failed" and bad["error"] == "ValueError: no such table"
    assert bad["failed_cell"] == {"index": 2, "first_line": 'raise ValueError("no such table")'}

    index = (output / "index.html").read_text(encoding="utf-8")
    assert_self_contained(index)
    assert 'href="provider/007/good.html"' in index and 'href="england/ENG/good.html"' in index
    assert "Failures (2)" in index and "raise ValueError(&quot;no such table&quot;)" in index
    assert SNAPSHOT in index and __version__ in index and "2025-04-01 to 2026-03-31" in index
    assert not list(output.rglob(".*partial*"))


def test_batch_resumes_skipping_reports_that_are_up_to_date(notebooks, data, tmp_path):
    path = _schedule(tmp_path, data)
    first = run_schedule(path, progress=False, log=lambda *a: None)
    assert first.counts == {"ok": 2, "failed": 0, "skipped": 0} and first.exit_code == 0
    output = tmp_path / "out"
    kept = output / "england" / "ENG" / "good.html"
    before = kept.stat().st_mtime_ns
    (output / "provider" / "007" / "good.html").unlink()  # as if interrupted before it

    second = run_schedule(path, progress=False, log=lambda *a: None)
    assert second.counts == {"ok": 1, "failed": 0, "skipped": 1}
    assert kept.stat().st_mtime_ns == before
    assert (output / "provider" / "007" / "good.html").is_file()
    statuses = {r["org_code"]: r["status"] for r in second.reports}
    assert statuses == {"ENG": "skipped", "007": "ok"}

    # a different data snapshot, parameter or package version means render again
    record = next(r for r in second.reports if r["org_code"] == "ENG")
    wanted = {**record, "formats": ["html"]}
    assert is_up_to_date(record, wanted, output)
    assert not is_up_to_date(record, {**wanted, "data_snapshot": "b" * 64}, output)
    assert not is_up_to_date(record, {**wanted, "package_version": "9.9"}, output)
    changed = {**wanted["parameters"], "disclosure_control": False}
    assert not is_up_to_date(record, {**wanted, "parameters": changed}, output)
    assert not is_up_to_date(record, {**wanted, "formats": ["html", "pdf"]}, output)


def test_aggregates_are_computed_only_when_missing_or_stale(data, tmp_path, monkeypatch):
    import workbench.compute
    import workbench.publish.aggregates
    from workbench.publish.aggregates import ensure_aggregates

    calls = []
    monkeypatch.setattr(workbench.publish.aggregates, "load_store", lambda path: f"store at {path}")
    monkeypatch.setattr(
        workbench.compute,
        "compute",
        lambda store, out, period, progress: calls.append((store, out, period)) or {"new": 1},
    )
    quiet = {"progress": False, "log": lambda *a: None}
    manifest = ensure_aggregates(data["store"], data["aggregates"], **quiet)
    assert manifest["source_sha256"] == SNAPSHOT and calls == []

    report = data["store"] / "load_report.json"
    report.write_text(json.dumps({**json.loads(report.read_text()), "source_sha256": "b" * 64}))
    assert ensure_aggregates(data["store"], data["aggregates"], **quiet) == {"new": 1}
    assert ensure_aggregates(data["store"], tmp_path / "none", **quiet) == {"new": 1}
    assert len(calls) == 2 and calls[0][2].start.isoformat() == "2025-04-01"


def test_aggregates_whose_rows_by_month_cover_12_months_only_are_stale():
    from workbench.period import Period
    from workbench.publish.aggregates import stale_reason

    period = Period.of("2025-04-01", "2026-03-31")
    report = {"source_sha256": SNAPSHOT, "first_submission_date": "2024-06-05"}
    manifest = {"workbench_version": __version__, "source_sha256": SNAPSHOT, **period.to_dict()}
    assert "rows by month do not start at 2024-05-01" in stale_reason(manifest, report, period)
    assert stale_reason({**manifest, "monthly_start": "2024-05-01"}, report, period) is None


def test_written_files_are_readable_like_ordinary_files(tmp_path):
    from workbench.atomic import write_atomic

    path = write_atomic(tmp_path / "a" / "x.html", "<p>x</p>")
    assert path.read_text() == "<p>x</p>"
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_heading_the_notebook_displays_becomes_the_page_title():
    from workbench.publish.render import _leading_h1

    title, body = _leading_h1('<div class="front"><h1>Waiting times: <b>QKK</b></h1><p>x</p></div>')
    assert title == "Waiting times: QKK"
    assert body == '<div class="front"><p>x</p></div>'
    assert _leading_h1("<p>no heading</p>") == (None, "<p>no heading</p>")


# --- the page a reader gets: name, contents, definitions, PDF ---------------------------------


def test_pdf_has_no_heading_marks_and_keeps_the_words(notebooks, tmp_path):
    """nbconvert puts a ``¶`` link after every heading; a printed report must not show it."""
    from pypdf import PdfReader

    cells = ["# Tiny waits report", "## Waiting list\n\nA caption long enough to wrap " * 3]
    _notebook(notebooks / "headed.ipynb", [*cells, *GOOD_CELLS[1:]])
    result = render_notebook(
        notebooks / "headed.ipynb",
        tmp_path / "out",
        {"org_level": "region", "org_code": "Y56"},
        formats=("html", "pdf"),
    )
    assert result.status == "ok", result.error
    text = "\n".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    assert "¶" not in text and "¶" not in result.html.read_text(encoding="utf-8")
    assert "London" in text and "Waiting list" in text and "Definitions used in this report" in text
    assert "Page 1 of" in text
    root = PdfReader(result.pdf).trailer["/Root"]  # tagged for screen readers (PDF/UA-1)
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_the_page_names_its_organisation_in_header_and_tab():
    from workbench.publish.render import _organisation, _subtitle

    region = {"org_level": "region", "org_code": "Y56", "period_start": "2025-04-01"}
    assert _organisation(region) == "London"
    assert _organisation({"org_level": "england", "org_code": "ENG"}) == "England"
    assert _subtitle(region, "waits").startswith("NHS England region Y56")
    dated = {**region, "period_end": "2026-03-31", "census_date": "2026-03-31"}
    assert "waiting list at 2026-03-31" in _subtitle(dated, "waits")
    assert "waiting list" not in _subtitle(dated, "urgent_response")  # covers the period only
    page = html_page("Waits", "<p>x</p>", organisation="London")
    assert "<title>Waits: London</title>" in page
    assert '<header class="page"><div class="inner"><p class="organisation">London</p>' in page


def test_contents_link_every_section_after_the_key_messages():
    from workbench.publish.render import with_contents, with_definitions

    body = (
        '<section class="key-messages"><h2 id="key-messages">Key messages</h2></section>'
        '<h2 id="Performance">Performance</h2><p>See <a href="../../measures.html#4-urgent-'
        'community-response-2-hour">measures.md section 4</a>.</p><h2 id="By-month">By month</h2>'
    )
    page = with_contents(with_definitions(body))
    assert page.index("</section>") < page.index('<nav class="contents"')
    targets = re.findall(r'href="#([^"]+)"', page)
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert targets and set(targets) <= ids, set(targets) - ids
    contents = page[page.index('<nav class="contents"') : page.index("</nav>")]
    assert "Key messages" not in contents
    for heading in ("Performance", "By month", "Definitions used in this report"):
        assert heading in contents
    # the definitions travel inside the file: section 4, the conventions and disclosure control
    assert 'href="#definitions-4-urgent-community-response-2-hour"' in page
    assert 'id="definitions-7-disclosure-control"' in page
    assert "measures.html#4" not in page


def test_index_is_a_grid_of_england_regions_and_every_icb_under_its_region():
    from workbench.publish.index import index_html

    def record(level, code, value):
        return {
            "notebook": "waits",
            "level": level,
            "org_code": code,
            "status": "ok",
            "outputs": {"html": f"{level}/{code}/waits.html"},
            "headlines": {
                "messages": [
                    {
                        "label": "Waiting over 18 weeks",
                        "value": value,
                        "interval": "95% CI 1% to 2%",
                        "rating": "Similar to England (England 30.6%)",
                    }
                ]
            },
        }

    manifest = {
        "reports": [
            record("icb", "QKK", "12.0%"),
            record("region", "Y56", "20.0%"),
            record("england", "ENG", "30.6%"),
        ]
    }
    page = index_html(manifest)
    assert '<th scope="col">Waiting over 18 weeks</th>' in page  # a column per measure
    rows = re.findall(r'<tr id="([a-z]+)-([A-Z0-9]+)"', page)
    assert rows[0] == ("england", "ENG")
    assert [lv for lv, _ in rows[1:8]] == ["region"] * 7  # then the 7 regions
    assert sum(lv == "icb" for lv, _ in rows) == 42  # every ICB, rendered or not
    london = page.index("ICBs in London")
    assert london < page.index('id="icb-QKK"') < page.index("ICBs in Midlands")
    assert "Nhs regions" not in page and "South East London" in page
    assert "<strong>20.0%</strong>" in page and ">Similar to England</span>" in page
    assert 'href="england/ENG/waits.html"' in page and 'href="icb/QKK/waits.html"' in page
    assert page.count("not rendered") == 42 + 7 + 1 - 3
