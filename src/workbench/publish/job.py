"""One report to render and its record: the :class:`Job` (a resolved
:class:`~workbench.publish.request.ReportRequest` and where its files go) and the
:class:`Record` of how it ended, as the batch manifest keeps it (see manifest.py). A single
report (``workbench report NOTEBOOK``) and each report of a schedule are run by the same
:func:`run_job`, and every failure, wherever it happens, is recorded by the same
:func:`failure_record`, so a failed report has the same record whichever command ran it."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.publish.manifest import file_sha256
from workbench.publish.request import ReportRequest
from workbench.publish.spreadsheet import SPREADSHEET
from workbench.version import __version__

if TYPE_CHECKING:
    from workbench.publish.render import RenderResult

#: The folder of a bundle that keeps the executed notebooks, to read a failure.
EXECUTED = "executed"


def now() -> str:
    """The time now, UTC, to the second, as ISO text."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Job:
    """A report to render: its ``request``, the folder ``output`` the paths of its record are
    relative to (the bundle, or the report's own folder when it has none), where the executed
    notebook is kept (``executed``, relative to ``output``) and the checksum of the notebook."""

    request: ReportRequest
    output: Path
    executed: str
    notebook_sha256: str

    @classmethod
    def of(cls, request: ReportRequest) -> Job:
        """The job of ``request``: in a bundle, the executed notebook is kept in
        ``executed/<level>/<code>/``; alone, beside the report."""
        name = f"{request.name}.ipynb"
        if request.bundle is None:
            output, executed = request.out_dir, Path(name)
        else:
            output = request.bundle
            executed = Path(EXECUTED) / request.out_dir.relative_to(output) / name
        return cls(request, output, executed.as_posix(), file_sha256(request.notebook))

    @property
    def key(self) -> str:
        return self.request.key

    def _relative(self, suffix: str) -> str:
        folder = self.request.out_dir.relative_to(self.output)
        return (folder / f"{self.request.name}.{suffix}").as_posix()

    @property
    def outputs(self) -> dict[str, str]:
        """The report's files by format, relative to ``output``."""
        return {f: self._relative(f) for f in self.request.formats}

    @property
    def spreadsheet(self) -> str:
        """The spreadsheet of the report's tables, relative to ``output``."""
        return self._relative(SPREADSHEET)

    def identity(self) -> dict:
        """What the report is made from: the first fields of its record, those a later run
        compares to decide whether it is up to date (with ``formats``: :meth:`wanted`)."""
        request = self.request
        return {
            "notebook": request.name,
            "level": request.level,
            "org_code": request.code,
            "parameters": request.parameters,
            "data_snapshot": request.data_snapshot,
            "package_version": __version__,
            "notebook_sha256": self.notebook_sha256,
        }

    def wanted(self) -> dict:
        """:meth:`identity` with the formats asked for, for
        :func:`workbench.publish.manifest.is_up_to_date`."""
        return {**self.identity(), "formats": list(self.request.formats)}


@dataclass
class Record:
    """How one report ended, as the manifest keeps it: what it was made from (as
    :meth:`Job.identity`), when it started, how many seconds it took, ``status`` (``ok`` or
    ``failed``), ``error`` and ``failed_cell`` (index and first line) on failure, its files
    relative to the job's ``output``, the kernel ``attempts`` and, for a report rendered by a
    batch, its ``headlines`` (the key messages the index shows)."""

    notebook: str
    level: str
    org_code: str
    parameters: dict
    data_snapshot: str | None
    package_version: str
    notebook_sha256: str
    started: str | None
    seconds: float
    status: str
    error: str
    failed_cell: dict | None
    outputs: dict[str, str]
    spreadsheet: str | None
    executed: str | None
    attempts: int
    headlines: dict | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        """The record as the manifest writes it (``headlines`` only when there are some)."""
        out = asdict(self)
        if self.headlines is None:
            del out["headlines"]
        return out


def failure_record(
    job: Job,
    error: str,
    *,
    started: str | None = None,
    seconds: float = 0.0,
    failed_cell: dict | None = None,
    executed: bool = False,
    attempts: int = 1,
) -> Record:
    """The record of a report that failed, whatever failed (a cell, the kernel, the rendering,
    a bug, the worker process): no files, ``error`` saying why, the cell when one raised and the
    executed notebook when it was kept."""
    return Record(
        **job.identity(),
        started=started,
        seconds=seconds,
        status="failed",
        error=error,
        failed_cell=failed_cell,
        outputs={},
        spreadsheet=None,
        executed=job.executed if executed else None,
        attempts=attempts,
    )


def result_record(job: Job, result: RenderResult, started: str, seconds: float) -> Record:
    """The record of ``job`` rendered as ``result`` (a failure by :func:`failure_record`)."""
    cell = result.failed_cell
    if not result.ok:
        return failure_record(
            job,
            result.error,
            started=started,
            seconds=seconds,
            failed_cell={"index": cell.index, "first_line": cell.first_line} if cell else None,
            executed=result.executed is not None,
            attempts=result.attempts,
        )
    return Record(
        **job.identity(),
        started=started,
        seconds=seconds,
        status="ok",
        error=result.error,
        failed_cell=None,
        outputs=job.outputs,
        spreadsheet=job.spreadsheet if result.spreadsheet else None,
        executed=job.executed if result.executed else None,
        attempts=result.attempts,
    )


def run_job(job: Job) -> Record:
    """Render ``job``'s report and return its record. Never raises for a failing notebook, a
    failing kernel or a bug in rendering: the failure is in the record (an interruption does
    raise)."""
    from workbench.publish.render import render_notebook

    logging.getLogger("papermill").setLevel(logging.ERROR)
    request, started, t0 = job.request, now(), time.perf_counter()
    try:
        result = render_notebook(
            request.notebook,
            request.out_dir,
            request.parameters,
            formats=request.formats,
            kernel_name=request.kernel,
            timeout=request.timeout,
            retries=request.retries,
            cwd=request.root,
            executed=job.output / job.executed,
            provenance=request.provenance,
        )
    except Exception as err:  # a bug or a broken environment: this report fails, others go on
        seconds = round(time.perf_counter() - t0, 3)
        return failure_record(job, f"{type(err).__name__}: {err}", started=started, seconds=seconds)
    return result_record(job, result, started, round(time.perf_counter() - t0, 3))
