"""``ingest``: submission files in, a validated Parquet store and a load report out.

The steps, in order (measures.md section 1):
1. find the files and check every name and header: identifiable column names, encoding,
   delimiter, missing and unexpected columns. A file with a problem is quarantined and the
   others go on (:mod:`workbench.ingest.acceptance`; ``strict``: any problem stops here).
2. read every row as text into a staging area beside the store, with the identifier guard
   (NHS numbers and full postcodes, :mod:`workbench.identifiers`) on every value of every
   column before the row is written. Identifiable data stops here, and the staging area is
   removed; a file that cannot be read whole is quarantined. The load report records the
   guard's own time (``timings.guard_seconds``).
3. validate, reject orphans, keep the latest version of each key, write a new store version
   (on top of the current one with ``--into``: ingest/load.py).
4. reconcile rows read = loaded + superseded + rejected for every table, per load and in
   total (ingest/history.py), or fail.
5. with ``keep_facts`` (the command line passes :func:`workbench.facts.carry.carry_facts`),
   write the new version's facts from the previous version's, updated for the persons this
   load touched (:func:`touched_persons`), so compute does not rebuild them from the whole
   store; the load report records the step's time (``timings.facts_seconds``).
6. write the version's tables' live rows as plain Parquet (``export/``, ingest/export.py), so
   readers without the workbench read them right; switch the store to the new version
   (store_switch.py); the previous version is replaced only now. All of it runs under the
   store's writer lock (store_lock.py).
7. write each provider's and each council's feedback report on this load's files
   (:mod:`workbench.ingest.feedback`) from this load's own report, kept in the version
   (:data:`LOAD_FEEDBACK`): a run stopped after the switch (a kill, a full disk) leaves the
   store at the new version, says so, and the next run into the store writes the pages still
   missing before anything else.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from workbench.errors import (
    IdentifiableDataError,
    ReconciliationError,
    WorkbenchError,
    output_error,
)
from workbench.ingest.acceptance import Acceptance, accept_files
from workbench.ingest.discover import SubmissionFile
from workbench.ingest.export import write_version_export
from workbench.ingest.feedback import (
    default_feedback_folder,
    providers_missing,
    write_feedback,
    write_quarantine_feedback,
)
from workbench.ingest.history import (
    check_total,
    files_sha256,
    load_record,
    loaded_checksums,
    read_history,
    reject_reasons,
    store_totals,
    write_history,
)
from workbench.ingest.load import TableOutcome, load_staged
from workbench.ingest.report import (
    build_report,
    log_step_timings,
    quarantine_report,
    senders,
    step_timings,
    write_report,
)
from workbench.ingest.stage import file_sha256, stage_submissions
from workbench.pause import reached
from workbench.spec import EXTRACT_TABLES
from workbench.store_layout import (
    FACTS_FOLDER,
    LOCK,
    REPORT_JSON,
    current_version,
    is_versioned,
    read_pointer,
)
from workbench.store_lock import writer_lock
from workbench.store_switch import (
    check_store_folder,
    clean_leftovers,
    discard_first_load,
    publish_version,
)
from workbench.version import __version__

#: This load's own report in its version folder: what its feedback is written from.
LOAD_FEEDBACK = "load_feedback.json"
#: What keeps a store's facts across a load: called with the new version's folder (before the
#: switch), the previous version's, the new version's load report and the persons the load
#: touched (None: every person). The facts floor supplies it (facts/carry.py).
KeepFacts = Callable[[Path, Path, dict, pa.Array | None], object]


def touched_persons(outcomes: dict[str, TableOutcome]) -> pa.Array | None:
    """Every ``person_id`` a load touched in any table (ingest/load.py
    ``touched_persons``), once each; None when a table could not say (every person)."""
    found = [o.persons for o in outcomes.values()]
    if any(p is None for p in found):
        return None
    return pa.concat_arrays([p.cast(pa.string()) for p in found if p is not None]).unique()


def _store_report(report: dict, version: Path, history: list[dict]) -> None:
    """Turn this load's report into the store's: totals over every load and every file."""
    after = store_totals(version)
    files = [f for load in history for f in load["files"]]
    dates = sorted(f["submission_date"] for f in files)
    report.update(
        files=files,
        source_sha256=files_sha256(files),
        first_submission_date=dates[0] if dates else None,
        last_submission_date=dates[-1] if dates else None,
        **senders(files),
        loads=len(history),
    )
    reasons = reject_reasons(version)
    for name, totals in after.items():
        report["tables"][name] = {
            "read": sum(load["tables"].get(name, {}).get("read", 0) for load in history),
            **totals,
            "reconciled": True,
            "files": sum(1 for f in files if f["table"] == name),
            "reject_reasons": reasons[name],
        }


def _keep_facts(
    keep: KeepFacts, folder: Path, previous: Path, report: dict, persons: pa.Array | None
) -> None:
    """Run ``keep`` (see :data:`KeepFacts`). A DuckDB error other than reading or writing a
    file (memory exhausted, say) costs the new version its facts, not the load: it gets none,
    and compute builds them as it needs them."""
    try:
        keep(folder, previous, report, persons)
    except duckdb.IOException:
        raise
    except duckdb.Error as err:
        logging.getLogger(__name__).warning(
            "this load could not keep the store's facts (%s); compute will build them",
            str(err).splitlines()[0],
        )
        shutil.rmtree(folder / FACTS_FOLDER, ignore_errors=True)


def ingest(
    source: str | Path,
    store: str | Path,
    progress: bool = True,
    memory_limit: str | None = None,
    into: bool = False,
    wait_seconds: float = 0.0,
    *,
    strict: bool = False,
    load_date: dt.date | None = None,
    feedback: str | Path | None = None,
    write_feedback_reports: bool = True,
    export: bool = True,
    keep_facts: KeepFacts | None = None,
) -> dict:
    """Load the submission files below ``source`` into the store at ``store``.

    ``into=False`` builds the store from these files alone (``--out``); ``into=True`` adds them
    to the store's current version (``--into``): files already loaded (same name and SHA-256)
    are skipped, and a load of nothing new changes nothing. Returns the store's load report (also
    written as ``load_report.json`` and ``load_report.txt``), whose ``quarantined`` lists this
    load's files set aside with their reasons and rows; the load is recorded in
    ``load_history.json``. ``load_date`` (default today) is the date no file name may be after;
    ``feedback`` is the folder of the providers' feedback reports (default:
    ``<store>-feedback`` beside the store), written unless ``write_feedback_reports`` is false.
    ``export`` (default on) writes the version's tables' live rows as plain Parquet into
    ``export/`` for readers without the workbench (ingest/export.py; a rewrite of every table
    on every load, docs/store_format.md). ``keep_facts`` (see :data:`KeepFacts`) writes the
    new version's facts from the previous version's before the switch (step 5 above; none on a
    first load, or when the previous version has no facts).
    Raises :class:`~workbench.errors.IdentifiableDataError` for direct identifiers,
    :class:`~workbench.errors.BadInputError` when ``strict`` and a file cannot be read as
    specified (or when no file can), :class:`~workbench.errors.OutputError` when the store
    cannot be written, :class:`~workbench.errors.ReconciliationError` when the counts do not
    add up and :class:`~workbench.errors.StoreBusyError` when another load holds the store; in
    every case the store is left as it was.
    """
    source, store = Path(source), Path(store).resolve()
    reached("ingest:start")
    check_store_folder(store, REPORT_JSON)
    if into and store.is_dir() and not is_versioned(store) and (store / REPORT_JSON).exists():
        raise WorkbenchError(
            f"{store} was written by an earlier version of the workbench, which cannot add to "
            "it; rebuild it once with `workbench ingest SRC --out STORE`"
        )
    tell_providers = (
        (lambda q: write_quarantine_feedback(q, store, feedback, load_date))
        if write_feedback_reports
        else None
    )
    acceptance = accept_files(source, load_date, strict, on_nothing_loaded=tell_providers)
    with writer_lock(store, wait_seconds):
        first = all(p.name.startswith(LOCK) for p in store.iterdir())
        before = read_pointer(store)
        try:
            reached("ingest:locked")
            clean_leftovers(store)
            reached("ingest:resume")
            if write_feedback_reports:  # a run stopped after its switch left some unwritten
                resume_feedback(store, feedback)
            report, this_load = _ingest_locked(
                source,
                store,
                acceptance,
                progress,
                memory_limit,
                into,
                load_date,
                export=export,
                keep_facts=keep_facts,
            )
            reached("ingest:feedback")
            if write_feedback_reports and this_load is not None:
                started = time.perf_counter()
                folder = write_feedback(this_load, store, feedback, load_date)
                report["feedback_folder"] = str(folder)
                log_step_timings(report.get("timings", {}), time.perf_counter() - started)
            reached("ingest:done")
        except BaseException as err:
            if first and not is_versioned(store):  # a first load that failed leaves nothing
                discard_first_load(store)  # but the lock, which a waiting load holds open
            elif read_pointer(store) != before:
                err.switched = str(store)  # type: ignore[attr-defined]  # said by the CLI
            raise
    return report


def resume_feedback(store: Path, feedback: str | Path | None) -> list[str]:
    """Write the providers' feedback of the store's current version that a run stopped after
    its switch left unwritten; returns those providers (none, almost always)."""
    if not is_versioned(store):
        return []
    saved = current_version(store) / LOAD_FEEDBACK
    if not saved.exists():
        return []
    this_load = json.loads(saved.read_text(encoding="utf-8"))
    target = Path(feedback) if feedback else default_feedback_folder(store)
    missing = providers_missing(this_load, target)
    if missing:
        day = dt.date.fromisoformat(this_load["load_date"]) if this_load.get("load_date") else None
        write_feedback(this_load, store, feedback, day)
    return missing


def _new_files(files: list[SubmissionFile], known: set[tuple[str, str]]) -> set[Path]:
    """The files to load: all but those whose name and content a load already read, or an
    earlier file of this load has (a copy of the same file in two folders loads once, as it
    would in two daily loads)."""
    new = set()
    for file in files:
        identity = (file.path.name, file_sha256(file.path))
        if identity not in known:
            known.add(identity)
            new.add(file.path)
    return new


def _ingest_locked(
    source: Path,
    store: Path,
    acceptance: Acceptance,
    progress: bool,
    memory_limit: str | None,
    into: bool,
    load_date: dt.date | None = None,
    *,
    export: bool = True,
    keep_facts: KeepFacts | None = None,
) -> tuple[dict, dict | None]:
    """The store's report after the load, and this load's own report (None when nothing was
    new)."""
    current = current_version(store) if into and is_versioned(store) else None
    history = read_history(current)
    files: list[SubmissionFile] = [f for f, _ in acceptance.checked]
    new = _new_files(files, loaded_checksums(history))
    skipped = [str(f.path) for f in files if f.path not in new]
    if current is not None and not new and not acceptance.quarantined:
        stored = json.loads((current / REPORT_JSON).read_text(encoding="utf-8"))
        return {**stored, "unchanged": True}, None  # shown, never stored
    checked = [(f, header) for f, header in acceptance.checked if f.path in new]
    report: dict = {}
    this_load: dict = {}

    def build(folder: Path, previous: Path | None) -> int:
        previous = previous if into else None
        load = len(history) + 1
        before = store_totals(previous) if previous else {t: {} for t in EXTRACT_TABLES}
        staging = folder / "_staging"
        staging.mkdir()
        reached("ingest:staging")
        staged = stage_submissions(checked, staging, progress=progress)
        if staged.identifiable:
            raise IdentifiableDataError(staged.identifiable)
        acceptance.set_aside(staged.quarantined)
        acceptance.require_some(len(staged.files) + len(skipped))
        outcomes = load_staged(
            staged.files, staging, folder, previous, load, memory_limit=memory_limit
        )
        for name, outcome in outcomes.items():
            staged_rows = sum(f.rows_read for f in staged.files if f.file.table == name)
            if outcome.read != staged_rows:
                raise ReconciliationError(
                    f"{name}: {staged_rows:,} rows read from the files but {outcome.read:,} "
                    "reached validation. This is a fault in the workbench; please report it "
                    "with the load command."
                )
        shutil.rmtree(staging)
        reached("ingest:history")
        report.update(build_report(source, staged.files, outcomes, __version__))
        report.update(quarantine_report(acceptance.quarantined))
        this_load.update(copy.deepcopy(report))
        this_load.update(
            load=load,
            version=folder.name.split(".")[0],
            load_date=(load_date or dt.date.today()).isoformat(),
        )
        # this load's own report, for its feedback: a run stopped after the switch and before
        # every provider's page is written is finished from it by the next run
        (folder / LOAD_FEEDBACK).write_text(json.dumps(this_load) + "\n", encoding="utf-8")
        record = load_record(
            load,
            "incremental" if into else "full",
            report,
            outcomes,
            before,
            store_totals(folder),
            skipped,
        )
        history.append(record)
        check_total(history, store_totals(folder))
        _store_report(report, folder, history)
        report["timings"] = step_timings(staged, outcomes)
        write_history(history, folder)
        reached("ingest:facts")
        started = time.perf_counter()
        if keep_facts is not None and previous is not None:
            _keep_facts(keep_facts, folder, previous, report, touched_persons(outcomes))
        report["timings"]["facts_seconds"] = round(time.perf_counter() - started, 3)
        reached("ingest:export")
        started = time.perf_counter()
        if export:
            write_version_export(folder)
        report["timings"]["export_seconds"] = round(time.perf_counter() - started, 3)
        write_report(report, folder)
        return load

    try:
        publish_version(store, build)
    except OSError as err:
        raise output_error(err, store) from None
    except duckdb.IOException as err:
        raise output_error(OSError(str(err)), store) from None
    return report, this_load
