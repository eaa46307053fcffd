"""Running a schedule: compute the aggregates once (if out of date), render every notebook for
every organisation in parallel (at most ``workers`` at once), isolate failures, resume where an
interrupted run stopped, and write ``manifest.json`` and ``index.html``.

Layout of ``output``::

    index.html                          every report, grouped by level, with links and status
    manifest.json                       one record per report (see manifest.py)
    <level>/<org_code>/<notebook>.html  the reports (and .pdf when asked), each with the
                                        .xlsx of its tables beside it
    executed/<level>/<org_code>/<notebook>.ipynb   the executed notebooks, to debug failures
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from workbench.atomic import write_atomic
from workbench.errors import ScheduleError
from workbench.logs import progress_enabled
from workbench.organisations import known_codes, unknown_codes
from workbench.publish.aggregates import ensure_aggregates
from workbench.publish.grid import nested_records
from workbench.publish.index import headlines, index_html, refresh_parent_index
from workbench.publish.job import Job, Record, failure_record, now, run_job
from workbench.publish.manifest import (
    is_up_to_date,
    previous_records,
    read_manifest,
    write_manifest,
)
from workbench.publish.methodology import write_bundle_pages
from workbench.publish.request import resolve_request
from workbench.publish.schedule import Schedule, load_schedule
from workbench.publish.worker_lifetime import end_with_parent
from workbench.version import __version__

LOG = logging.getLogger(__name__)
INDEX = "index.html"


@dataclass
class BatchSummary:
    """The outcome of a run: every report's record, where the index and manifest are."""

    index: Path
    manifest: Path
    reports: list[dict]
    seconds: float
    aggregates_recomputed: bool = False
    counts: dict = field(default_factory=dict)

    @property
    def failures(self) -> list[dict]:
        return [r for r in self.reports if r["status"] == "failed"]

    @property
    def exit_code(self) -> int:
        """0 when every report is ok or up to date, 1 when any failed."""
        return 1 if self.failures else 0

    def text(self) -> str:
        """A few lines for the terminal: counts, then each failure with the cell that failed."""
        c = self.counts
        lines = [
            f"{len(self.reports)} reports in {self.seconds:.0f}s: {c.get('ok', 0)} rendered, "
            f"{c.get('skipped', 0)} up to date (skipped), {c.get('failed', 0)} failed"
        ]
        for r in self.failures:
            cell = r.get("failed_cell")
            where = f" at cell {cell['index'] + 1} ({cell['first_line']})" if cell else ""
            lines.append(
                f"  FAILED {r['notebook']} for {r['level']} {r['org_code']}{where}: {r['error']}"
            )
        return "\n".join(lines)


def _organisation_codes(schedule: Schedule) -> list[tuple[str, str]]:
    """(level, code) for every organisation of the schedule, codes ``all`` expanded."""
    out: list[tuple[str, str]] = []
    for i, entry in enumerate(schedule.organisations):
        codes: Sequence[str] | None = entry.codes
        if codes is None:
            codes = known_codes(entry.level, schedule.aggregates)
        elif entry.level == "provider":
            bad = unknown_codes("provider", list(codes), schedule.aggregates)
            if bad:
                raise ScheduleError(
                    f"{schedule.path}: field 'organisations[{i}].codes': no provider "
                    f"{', '.join(bad)} in the aggregates; providers there: "
                    f"{', '.join(known_codes('provider', schedule.aggregates))}"
                )
        out.extend((entry.level, code) for code in codes)
    return out


def plan_jobs(schedule: Schedule, aggregates_manifest: dict) -> list[Job]:
    """One job per notebook per organisation of ``schedule``, each resolved as
    ``workbench report NOTEBOOK`` resolves one report, in the schedule's output folder (its
    bundle) and from the aggregates with ``aggregates_manifest``."""
    return [
        Job.of(
            resolve_request(
                notebook,
                level,
                code,
                aggregates=schedule.aggregates,
                manifest=aggregates_manifest,
                store=schedule.store,
                disclosure_control=schedule.disclosure_control,
                formats=schedule.formats,
                bundle=schedule.output,
                kernel=schedule.kernel,
                timeout=schedule.timeout,
                retries=schedule.retries,
                root=schedule.root,
            )
        )
        for level, code in _organisation_codes(schedule)
        for notebook in schedule.notebooks
    ]


def render_job(job: Job) -> Record:
    """Render one planned job (in a worker process) and return its record, with the headline
    figures the index shows when it rendered (computed here, in parallel). Never raises for a
    failing notebook: the failure is in the record."""
    record = run_job(job)
    if record.ok:
        record.headlines = headlines(record.to_dict())
    return record


def _counts(records: list[dict]) -> dict:
    return {s: sum(r["status"] == s for r in records) for s in ("ok", "failed", "skipped")}


def _skipped_and_todo(jobs: list[Job], output: Path) -> tuple[dict[str, dict], list[Job]]:
    """The records of the jobs the last run into ``output`` left up to date (marked
    ``skipped``), by key, and the jobs to render."""
    before = previous_records(read_manifest(output))
    records: dict[str, dict] = {}
    todo = []
    for job in jobs:
        previous = before.get(job.key)
        if previous is not None and is_up_to_date(previous, job.wanted(), output):
            records[job.key] = {**previous, "status": "skipped"}
        else:
            todo.append(job)
    return records, todo


def _manifest(
    schedule: Schedule,
    aggregates: dict,
    records: list[dict],
    started: str,
    seconds: float,
    complete: bool,
) -> dict:
    """The run's manifest (manifest.py): what it read, how far it got, every report's record."""
    return {
        "workbench_version": __version__,
        "schedule": str(schedule.path),
        "started": started,
        "finished": now() if complete else None,
        "complete": complete,
        "seconds": seconds,
        "period": {k: aggregates.get(k) for k in ("period_start", "period_end", "census_date")},
        "data_snapshot": aggregates.get("source_sha256"),
        "store": str(schedule.store),
        "aggregates": str(schedule.aggregates),
        "formats": list(schedule.formats),
        "disclosure_control": schedule.disclosure_control,
        "workers": schedule.workers,
        "counts": _counts(records),
        "reports": records,
    }


def run_schedule(
    config_path: str | Path, progress: bool = True, log: Callable[[str], object] = print
) -> BatchSummary:
    """Run the schedule at ``config_path`` (see :mod:`workbench.publish.schedule`).

    Computes the aggregates once unless up to date, renders every notebook for every
    organisation with at most ``workers`` at once (one failure does not stop the others), skips
    reports already rendered from the same parameters, data snapshot, package version and
    notebook (so a re-run after an interruption completes only what is missing), and writes
    ``manifest.json`` (after every report) and ``index.html``. Returns a :class:`BatchSummary`;
    its ``exit_code`` is 1 when any report failed.
    """
    schedule = load_schedule(config_path)
    t0 = time.perf_counter()
    started = now()
    aggregates = ensure_aggregates(
        schedule.store,
        schedule.aggregates,
        schedule.period,
        progress=progress_enabled(progress),
        log=log,
    )
    jobs = plan_jobs(schedule, aggregates)
    output = schedule.output
    output.mkdir(parents=True, exist_ok=True)
    write_bundle_pages(output)  # first, so that every report links to them
    records, todo = _skipped_and_todo(jobs, output)

    def manifest(complete: bool) -> dict:
        ordered = [records[j.key] for j in jobs if j.key in records]
        seconds = round(time.perf_counter() - t0, 3)
        return _manifest(schedule, aggregates, ordered, started, seconds, complete)

    if todo:
        log(
            f"Rendering {len(todo)} of {len(jobs)} reports with {schedule.workers} worker(s)"
            + (f"; {len(jobs) - len(todo)} up to date" if len(jobs) > len(todo) else "")
        )
        _run_jobs(
            todo,
            schedule.workers,
            records,
            progress,
            lambda: write_manifest(output, manifest(False)),
        )
    else:
        log(f"All {len(jobs)} reports are up to date")
    final = manifest(True)
    manifest_path = write_manifest(output, final)
    index_path = write_atomic(output / INDEX, index_html(final, nested_records(output)))
    refresh_parent_index(output)  # a batch above links these reports too
    return BatchSummary(
        index=index_path,
        manifest=manifest_path,
        reports=final["reports"],
        seconds=final["seconds"],
        counts=final["counts"],
    )


def _log_record(record: dict) -> None:
    where = f"{record.get('level')}/{record.get('org_code')}/{record.get('notebook')}"
    if record["status"] == "failed":
        cell = f" at {record['failed_cell']}" if record.get("failed_cell") else ""
        LOG.error("report %s failed%s: %s", where, cell, record.get("error"))
    else:
        LOG.info("report %s %s in %.1f s", where, record["status"], record.get("seconds") or 0)


def _run_jobs(
    todo: list[Job],
    workers: int,
    records: dict,
    progress: bool,
    checkpoint: Callable[[], object],
) -> None:
    """Run ``todo`` in a pool of at most ``workers`` processes, recording each as it ends and
    saving the manifest after each (so an interruption loses only the reports in flight)."""
    context = multiprocessing.get_context("spawn")  # no fork of a process holding threads
    shown = progress_enabled(progress)
    bar = tqdm(total=len(todo), desc="reports", unit="report", disable=not shown)
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(todo)),
        mp_context=context,
        initializer=end_with_parent,  # a killed run leaves no worker rendering
        initargs=(os.getpid(),),
    )
    try:
        pending = {pool.submit(render_job, job): job for job in todo}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                try:
                    record = future.result().to_dict()
                except Exception as err:  # the worker process itself died
                    error = f"worker failed: {type(err).__name__}: {err}"
                    record = failure_record(job, error).to_dict()
                records[job.key] = record
                _log_record(record)
                bar.update(1)
                failed = sum(r["status"] == "failed" for r in records.values())
                if failed:
                    bar.set_postfix(failed=failed)
                checkpoint()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        checkpoint()
        raise
    finally:
        bar.close()
    pool.shutdown(wait=True)
