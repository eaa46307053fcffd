"""One report: execute a parameterised notebook with papermill, then render it as a
self-contained HTML page with every line of code hidden (and, on request, a PDF).

The executed notebook is kept (``<name>.ipynb`` beside the report unless told otherwise) so a
failure can be opened and read; the report itself is written only when every cell ran, and every
file is written atomically, so a failure never leaves a partial report behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from html import escape
from html import unescape as html_unescape
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.atomic import remove_stale_siblings, temporary_sibling, write_atomic
from workbench.errors import WorkbenchError
from workbench.organisations import organisation_name
from workbench.paths import project_root
from workbench.publish.accessible import accessible_tables
from workbench.publish.kernel import PROJECT_KERNEL, ProjectKernelManager
from workbench.publish.methodology import MEASURES, METHODOLOGY, measure_sections
from workbench.publish.navigation import absolute_links, definition_links, navigation_html
from workbench.publish.page import html_page
from workbench.publish.sanitize import self_contained
from workbench.publish.spreadsheet import SPREADSHEET, report_workbook
from workbench.reports.front_page import WAITING_LIST_REPORTS
from workbench.version import __version__

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from papermill import PapermillExecutionError

FORMATS = ("html", "pdf")
KERNEL_START_TIMEOUT = 120
#: Started kernels keep their own log quiet: ipykernel's start-up warning that it talks to its own
#: process over local TCP says nothing about the report and would fill every scheduled log.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
HIDDEN_CELL_TAGS = {
    "parameters",
    "injected-parameters",
    "remove_cell",
    "remove-cell",
    "hide",
}


@dataclass(frozen=True)
class FailedCell:
    """The cell a notebook stopped at: ``index`` counts from 0 over the cells of the notebook as
    written (the cell papermill injects for the parameters is not counted); ``first_line`` is
    the first non-blank line of its source."""

    index: int
    first_line: str

    def __str__(self) -> str:
        return f"cell {self.index + 1} (index {self.index}): {self.first_line}"


@dataclass
class RenderResult:
    """What :func:`render_notebook` did: ``status`` is ``ok`` or ``failed``; on failure,
    ``error`` says why (exception type and message) and ``failed_cell`` where, when a cell
    raised. ``html``/``pdf`` are the written reports (None when not written); ``spreadsheet``
    the ``.xlsx`` of its tables beside them (None when the report shows no table)."""

    notebook: Path
    html: Path | None
    pdf: Path | None
    executed: Path | None
    seconds: float
    status: str
    error: str = ""
    failed_cell: FailedCell | None = None
    attempts: int = 1
    spreadsheet: Path | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        out = asdict(self)
        for key in ("notebook", "html", "pdf", "executed", "spreadsheet"):
            out[key] = str(out[key]) if out[key] is not None else None
        return out


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def _is_kernel_start_failure(err: BaseException) -> bool:
    """Kernel failures worth a retry (the kernel did not start, answer, or stay alive), as
    opposed to a cell raising or running past its time limit."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(err, CellTimeoutError):
        return False
    if isinstance(err, DeadKernelError | TimeoutError):
        return True
    text = str(err)
    if isinstance(err, RuntimeError) and ("Kernel didn't respond" in text or "Kernel died" in text):
        return True
    try:
        import zmq

        return isinstance(err, zmq.ZMQError)
    except ImportError:  # pragma: no cover
        return False


def _failed_cell(executed: Path, err: PapermillExecutionError) -> FailedCell:
    """Map papermill's cell index (in the executed notebook, which has the injected parameters
    cell) back to the notebook as written."""
    index = err.cell_index
    try:
        import nbformat

        cells = nbformat.read(executed, as_version=4).cells
        cells = [c for c in cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
        injected = sum(
            1 for c in cells[:index] if "injected-parameters" in c.metadata.get("tags", [])
        )
        index -= injected
    except Exception:  # the executed notebook is a convenience; the index is still useful
        pass
    return FailedCell(index=index, first_line=_first_line(err.source or ""))


def _error_text(err: BaseException) -> str:
    ename = getattr(err, "ename", None)
    if ename:
        evalue = getattr(err, "evalue", "")
        return f"{ename}: {evalue}".strip().rstrip(":")
    return f"{type(err).__name__}: {err}".strip().rstrip(":")


def _title_and_cells(nb: NotebookNode) -> str | None:
    """Take the notebook's first level-1 heading out of its markdown, to be the page title."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        match = re.search(r"^#\s+(.+?)\s*#*\s*$", cell.source, re.MULTILINE)
        if match:
            cell.source = cell.source[: match.start()] + cell.source[match.end() :]
            return match.group(1)
        return None
    return None


def _leading_h1(body: str) -> tuple[str | None, str]:
    """The text of the first ``<h1>`` of ``body`` (and ``body`` without it)."""
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", body, re.DOTALL | re.IGNORECASE)
    if not match:
        return None, body
    text = re.sub(r"<[^>]+>", "", match.group(1))
    text = html_unescape(re.sub(r"\s+", " ", text)).strip().rstrip("¶").strip()
    if not text:
        return None, body
    return text, body[: match.start()] + body[match.end() :]


def _hide_noise(nb: NotebookNode) -> None:
    """Drop stderr streams (warnings, progress bars) and code-cell sources: a reader sees the
    outputs only."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]


def notebook_body(nb: NotebookNode) -> str:
    """The outputs and markdown of an executed notebook as an HTML fragment: no code, no
    prompts, figures as embedded images, nothing loaded from elsewhere, no scripts."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    _hide_noise(nb)
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    remove = TagRemovePreprocessor(
        remove_cell_tags=HIDDEN_CELL_TAGS,
        remove_all_outputs_tags={"remove_output", "remove-output"},
        remove_input_tags={"remove_input", "remove-input"},
    )
    exporter.register_preprocessor(remove, enabled=True)
    body, _ = exporter.from_notebook_node(nb)
    match = re.search(r"<body[^>]*>(.*)</body>", body, re.DOTALL | re.IGNORECASE)
    return self_contained(match.group(1) if match else body)


#: How the header band names a level beside the organisation's name.
LEVEL_WORDS = {"region": "NHS England region", "icb": "ICB", "provider": "provider"}


def _organisation(parameters: dict) -> str | None:
    """The name of the organisation a report is for (``London``), or None when not given."""
    level, code = parameters.get("org_level"), parameters.get("org_code")
    if level == "england":
        return "England"
    if level and code:
        return organisation_name(str(level), str(code))
    return None


def _subtitle(parameters: dict, report: str) -> str:
    """The line under a report's title: organisation code, period and, for a report about the
    waiting list, its census date."""
    level, code = parameters.get("org_level"), parameters.get("org_code")
    parts = []
    name = _organisation(parameters)
    if name and level in ("region", "icb"):
        parts.append(f"{LEVEL_WORDS[level]} {code}")
    start, end = parameters.get("period_start"), parameters.get("period_end")
    if start and end:
        parts.append(f"{start} to {end}")
    if parameters.get("census_date") and report in WAITING_LIST_REPORTS:
        parts.append(f"waiting list at {parameters['census_date']}")
    return " · ".join(parts)


#: A link to a numbered section of the bundle's measure definitions, as the notebooks write it.
MEASURES_SECTION_LINK = re.compile(r'href="(?:\.\./)*measures\.html#((\d+)-[a-z0-9-]*)"')
#: The ids the report's own table of contents leaves out (the key messages come before it).
NOT_IN_CONTENTS = {"key-messages"}


def with_definitions(body: str) -> str:
    """``body`` with an appendix, "Definitions used in this report": the measures.md sections it
    links to, with conventions and disclosure control (measures.md section 7), so that a single
    e-mailed file still explains itself; its links to those sections point at the appendix."""
    numbers = sorted({m.group(2) for m in MEASURES_SECTION_LINK.finditer(body)}, key=int)
    body = MEASURES_SECTION_LINK.sub(r'href="#definitions-\1"', body)
    appendix = self_contained(measure_sections(numbers))
    return (
        f'{body}\n<section class="definitions"><h2 id="definitions">Definitions used in this '
        f"report</h2><p>From the measure definitions (measures.md) of workbench {__version__}.</p>"
        f"{appendix}</section>"
    )


def with_contents(body: str) -> str:
    """``body`` with a table of contents linking to each of its level-2 headings, placed after
    the key messages (or first)."""
    entries = []
    for match in re.finditer(r'<h2\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h2>', body, re.DOTALL):
        anchor, text = match.group(1), re.sub(r"<[^>]+>", "", match.group(2)).strip()
        if anchor not in NOT_IN_CONTENTS and text:
            entries.append(
                f'<li><a href="#{escape(anchor)}">{escape(html_unescape(text))}</a></li>'
            )
    if not entries:
        return body
    nav = (
        '<nav class="contents" aria-labelledby="contents"><h2 id="contents">Contents</h2>'
        f"<ol>{''.join(entries)}</ol></nav>"
    )
    end = body.find("</section>", body.find('class="key-messages"'))
    if 'class="key-messages"' in body and end >= 0:
        end += len("</section>")
        return body[:end] + nav + body[end:]
    return nav + body


def without_anchor_links(body: str) -> str:
    """``body`` without nbconvert's ``¶`` links after headings (the contents link to them)."""
    return re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", body, flags=re.DOTALL)


def _footer(notebook: Path, parameters: dict, provenance: dict, out_dir: Path, root: Path) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    items = {
        "Rendered": f"{now} by workbench {__version__} from {notebook.name}",
        **{k: str(v) for k, v in provenance.items()},
        "Disclosure control": "on"
        if parameters.get("disclosure_control", True)
        else "OFF: not for sharing",
    }
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items.items())
    link = ""
    bundle = next((f for f in (out_dir, *out_dir.parents[:2]) if (f / MEASURES).is_file()), None)
    if bundle is not None:
        up = os.path.relpath(bundle, out_dir).replace(os.sep, "/")
        measures, methodology = (escape(f"{up}/{page}") for page in (MEASURES, METHODOLOGY))
        link = (
            f'<p>How every measure is defined: <a href="{measures}">measure definitions</a> '
            f'and <a href="{methodology}">methodology</a>.</p>'
        )
    return f'<dl class="meta">{rows}</dl>{link}'


def report_html(
    executed: Path,
    notebook: Path,
    parameters: dict,
    out_dir: Path,
    root: Path,
    provenance: dict | None = None,
    spreadsheet: bool = False,
) -> str:
    """The complete report page of an executed notebook, with its links to its spreadsheet
    (when ``spreadsheet``), the index and the organisations above and below it
    (:mod:`workbench.publish.navigation`)."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    title = _title_and_cells(nb)
    body = without_anchor_links(notebook_body(nb))
    if title is None:  # a heading the notebook displays itself (e.g. a front page) is the title
        title, body = _leading_h1(body)
    title = title or notebook.stem.replace("_", " ").capitalize()
    organisation = _organisation(parameters)
    # section links to the embedded definitions first, then the rest to the batch's copies
    body = definition_links(with_definitions(body), out_dir)
    body = with_contents(accessible_tables(body))
    links = navigation_html(out_dir, notebook.stem, parameters, spreadsheet)
    at = body.find('<nav class="contents"')
    body = body[:at] + links + body[at:] if at >= 0 else links + body
    return html_page(
        title,
        body,
        subtitle=_subtitle(parameters, notebook.stem),
        footer=_footer(notebook, parameters, provenance or {}, out_dir, root),
        organisation=organisation,
    )


@dataclass(frozen=True)
class Execution:
    """How running a notebook ended: after ``attempts`` tries, ``error`` (None when every cell
    ran) and ``failed_cell`` (when a cell raised); ``kept`` when the executed notebook was
    written (every cell ran, or one raised)."""

    attempts: int
    error: str | None = None
    failed_cell: FailedCell | None = None
    kept: bool = False


def _checked_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """``formats`` as a tuple; WorkbenchError when empty or one is not in :data:`FORMATS`."""
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise WorkbenchError(f"formats {unknown or '[]'}: choose from {', '.join(FORMATS)}")
    return formats


def _locations(
    notebook: str | Path, out_dir: str | Path, cwd: str | Path | None, executed: str | Path | None
) -> tuple[Path, Path, Path, Path]:
    """The notebook, the report's folder, the folder the kernel runs in (default: the project
    root) and the executed notebook (default ``out_dir/<name>.ipynb``), absolute, the folders
    made; WorkbenchError when the notebook is missing."""
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        raise WorkbenchError(f"no notebook at {notebook}")
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    root = Path(cwd).resolve() if cwd else project_root(notebook.parent)
    executed = Path(executed).resolve() if executed else out_dir / f"{notebook.stem}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    return notebook, out_dir, root, executed


def _execute_once(
    notebook: Path, partial: Path, parameters: dict, kernel_name: str, timeout: int, root: Path
) -> None:
    """Run ``notebook`` with ``parameters`` into ``partial`` on the kernel ``kernel_name``, in
    the folder ``root``; papermill's exceptions pass through."""
    import papermill as pm

    pm.execute_notebook(
        str(notebook),
        str(partial),
        parameters=dict(parameters),
        kernel_name=kernel_name,
        language="python",
        cwd=str(root),
        progress_bar=False,
        log_output=False,
        execution_timeout=timeout,
        start_timeout=KERNEL_START_TIMEOUT,
        extra_arguments=KERNEL_ARGUMENTS,
        kernel_manager_class=ProjectKernelManager,
    )


def execute(
    notebook: Path,
    executed: Path,
    parameters: dict,
    *,
    kernel_name: str,
    timeout: int,
    retries: int,
    root: Path,
) -> Execution:
    """Run ``notebook`` into ``executed`` (written whole, or not at all when the kernel failed),
    trying again up to ``retries`` times when the kernel fails to start or dies (never when a
    cell raises); how it ended, never raised (an interruption is)."""
    import papermill as pm

    remove_stale_siblings(executed)  # the partial notebooks of runs that were killed
    attempt = 0
    while True:
        attempt += 1
        partial = temporary_sibling(executed, suffix=".ipynb")
        try:
            _execute_once(notebook, partial, parameters, kernel_name, timeout, root)
        except pm.PapermillExecutionError as err:
            failed = _failed_cell(partial, err)
            os.replace(partial, executed)
            return Execution(attempt, _error_text(err), failed, kept=True)
        except Exception as err:
            partial.unlink(missing_ok=True)
            if _is_kernel_start_failure(err) and attempt <= retries:
                time.sleep(min(2**attempt, 10))
                continue
            reason = _error_text(err)
            if _is_kernel_start_failure(err):
                reason = f"kernel failed {attempt} time(s): {reason}"
            return Execution(attempt, reason)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, executed)
        return Execution(attempt, kept=True)


@dataclass(frozen=True)
class ReportFiles:
    """The files :func:`write_report` wrote (None for those not asked for or not made)."""

    html: Path | None = None
    pdf: Path | None = None
    spreadsheet: Path | None = None


def write_report(
    executed: Path,
    notebook: Path,
    parameters: dict,
    out_dir: Path,
    root: Path,
    formats: tuple[str, ...],
    provenance: dict | None,
) -> ReportFiles:
    """Write the report of the executed notebook into ``out_dir``: ``<name>.html`` and/or
    ``<name>.pdf`` as ``formats`` ask, and ``<name>.xlsx`` of its tables (removed when it shows
    none). Every file is made before any is written: a report is all there or not at all."""
    workbook = report_workbook(executed, parameters, list((provenance or {}).items()))
    page = report_html(
        executed, notebook, parameters, out_dir, root, provenance, workbook is not None
    )
    pdf_bytes = None
    if "pdf" in formats:
        from workbench.publish.pdf import html_to_pdf

        pdf_bytes = html_to_pdf(absolute_links(page, out_dir))
    files = ReportFiles(
        html=out_dir / f"{notebook.stem}.html" if "html" in formats else None,
        pdf=out_dir / f"{notebook.stem}.pdf" if pdf_bytes is not None else None,
        spreadsheet=out_dir / f"{notebook.stem}.{SPREADSHEET}" if workbook is not None else None,
    )
    if files.html is not None:
        write_atomic(files.html, page)
    if files.pdf is not None and pdf_bytes is not None:
        write_atomic(files.pdf, pdf_bytes)
    if files.spreadsheet is not None and workbook is not None:
        write_atomic(files.spreadsheet, workbook)
    else:  # no table now: no spreadsheet left from an earlier render
        (out_dir / f"{notebook.stem}.{SPREADSHEET}").unlink(missing_ok=True)
    return files


def render_notebook(
    notebook: str | Path,
    out_dir: str | Path,
    parameters: dict,
    formats: Iterable[str] = ("html",),
    kernel_name: str = PROJECT_KERNEL,
    timeout: int = 600,
    retries: int = 2,
    *,
    cwd: str | Path | None = None,
    executed: str | Path | None = None,
    provenance: dict | None = None,
) -> RenderResult:
    """Execute ``notebook`` with ``parameters`` (papermill) and write ``<name>.html`` (and
    ``<name>.pdf`` when ``"pdf"`` is in ``formats``) into ``out_dir``.

    Parameters
    ----------
    notebook : the ``.ipynb`` to run; its cell tagged ``parameters`` holds the defaults.
    out_dir : folder for the report(s); made if missing.
    parameters : passed to papermill as Python values (text stays text: ``"007"``).
    formats : ``("html",)``, ``("pdf",)`` or both.
    kernel_name : Jupyter kernel to run on; the project's (the default) is the running
        interpreter (:mod:`workbench.publish.kernel`).
    timeout : seconds any one cell may run.
    retries : further attempts when the kernel fails to start or dies (never when a cell
        raises).
    cwd : folder the kernel runs in (default: the project root, so relative paths work).
    executed : where to keep the executed notebook (default ``out_dir/<name>.ipynb``).
    provenance : extra lines for the report's footer (e.g. the data snapshot).

    Returns
    -------
    RenderResult; a failure is reported in it, not raised (bad arguments do raise).
    """
    started = time.perf_counter()
    formats = _checked_formats(formats)
    notebook, out_dir, root, executed = _locations(notebook, out_dir, cwd, executed)
    run = execute(
        notebook,
        executed,
        parameters,
        kernel_name=kernel_name,
        timeout=timeout,
        retries=retries,
        root=root,
    )
    files, error = ReportFiles(), run.error
    if error is None:
        try:
            files = write_report(executed, notebook, parameters, out_dir, root, formats, provenance)
        except Exception as err:
            error = f"rendering failed: {_error_text(err)}"
    return RenderResult(
        notebook=notebook,
        html=files.html,
        pdf=files.pdf,
        executed=executed if run.kept else None,
        seconds=round(time.perf_counter() - started, 3),
        status="ok" if error is None else "failed",
        error=error or "",
        failed_cell=run.failed_cell,
        attempts=run.attempts,
        spreadsheet=files.spreadsheet,
    )
