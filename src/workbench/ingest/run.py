"""``ingest``: submission files in, a validated Parquet store and a load report out.

The steps, in order (measures.md section 1):
1. find the files and check every name and header: identifiable column names, encoding,
   delimiter, missing and unexpected columns. A file with a problem is quarantined and the
   others go on (:mod:`workbench.ingest.acceptance`; ``strict``: any problem stops here).
2. read every row as text into a staging area beside the store, with the identifier guard
   (NHS numbers and full postcodes, :mod:`workbench.ingest.identifiers`) on every value of every
   column before the row is written. Identifiable data stops here, and the staging area is
   removed; a file that cannot be read whole is quarantined. The load report records the
   guard's own time (``timings.guard_seconds``).
3. validate, reject orphans, keep the latest version of each key, write the store.
4. reconcile rows read = loaded + superseded + rejected for every table, or fail.
5. swap the new store into place; the previous store is replaced only now.
6. write each provider's feedback report (:mod:`workbench.ingest.feedback`).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from workbench import __version__
from workbench.atomic import replace_folder
from workbench.errors import (
    IdentifiableDataError,
    ReconciliationError,
    output_error,
)
from workbench.ingest.acceptance import accept_files
from workbench.ingest.feedback import write_feedback, write_quarantine_feedback
from workbench.ingest.load import load_staged
from workbench.ingest.report import build_report, quarantine_report, write_report
from workbench.ingest.stage import stage_submissions


def ingest(
    source: str | Path,
    store: str | Path,
    progress: bool = True,
    memory_limit: str | None = None,
    *,
    strict: bool = False,
    load_date: dt.date | None = None,
    feedback: str | Path | None = None,
    write_feedback_reports: bool = True,
) -> dict:
    """Load the submission files below ``source`` into the Parquet store at ``store``.

    Returns the load report (also written as ``load_report.json`` and ``load_report.txt``),
    whose ``quarantined`` lists the files set aside with their reasons and rows. ``load_date``
    (default today) is the date no file name may be after; ``feedback`` is the folder of the
    providers' feedback reports (default: ``<store>-feedback`` beside the store), written
    unless ``write_feedback_reports`` is false.
    Raises :class:`~workbench.errors.IdentifiableDataError` for direct identifiers,
    :class:`~workbench.errors.BadInputError` when ``strict`` and a file cannot be read as
    specified (or when no file can), :class:`~workbench.errors.OutputError` when the store
    cannot be written, and :class:`~workbench.errors.ReconciliationError` when the counts do not
    add up; in every case the previous store at ``store`` is left as it was.
    """
    source = Path(source)
    tell_providers = (
        (lambda q: write_quarantine_feedback(q, Path(store), feedback, load_date))
        if write_feedback_reports
        else None
    )
    acceptance = accept_files(source, load_date, strict, on_nothing_loaded=tell_providers)
    checked = acceptance.checked
    report: dict = {}

    def build(folder: Path) -> None:
        staging = folder / "_staging"
        staging.mkdir()
        staged = stage_submissions(checked, staging, progress=progress)
        if staged.identifiable:
            raise IdentifiableDataError(staged.identifiable)
        acceptance.set_aside(staged.quarantined)
        acceptance.require_some(len(staged.files))
        outcomes = load_staged(staged.files, staging, folder, memory_limit=memory_limit)
        for name, outcome in outcomes.items():
            staged_rows = sum(f.rows_read for f in staged.files if f.file.table == name)
            if outcome.read != staged_rows or not outcome.reconciles:
                raise ReconciliationError(
                    f"{name}: {staged_rows:,} rows read from the files but {outcome.read:,} "
                    f"reached validation, and loaded {outcome.loaded:,} + superseded "
                    f"{outcome.superseded:,} + rejected {outcome.rejected:,} do not add up. "
                    "This is a fault in the workbench; please report it with the load command."
                )
        shutil.rmtree(staging)
        report.update(build_report(source, staged.files, outcomes, __version__))
        report.update(quarantine_report(acceptance.quarantined))
        report["timings"] = {"guard_seconds": round(staged.guard_seconds, 3)}
        write_report(report, folder)

    try:
        replace_folder(Path(store), build)
    except OSError as err:
        raise output_error(err, store) from None
    except duckdb.IOException as err:
        raise output_error(OSError(str(err)), store) from None
    if write_feedback_reports:
        report["feedback_folder"] = str(write_feedback(report, Path(store), feedback, load_date))
    return report
