"""``ingest``: submission files in, a validated Parquet store and a load report out.

The steps, in order (measures.md section 1):
1. find the files and check every header: identifiable column names, encoding, delimiter,
   missing and unexpected columns. Any problem stops here, before a row is read.
2. read every row as text into a staging area beside the store, with the identifier guard
   (NHS numbers and full postcodes, :mod:`workbench.ingest.identifiers`) on every value of every
   column before the row is written. Any problem stops here, and the staging area is removed;
   the load report records the guard's own time (``timings.guard_seconds``).
3. validate, reject orphans, keep the latest version of each key, write the store.
4. reconcile rows read = loaded + superseded + rejected for every table, or fail.
5. swap the new store into place; the previous store is replaced only now.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench import __version__
from workbench.atomic import replace_folder
from workbench.errors import BadInputError, IdentifiableDataError, ReconciliationError
from workbench.ingest.discover import SubmissionFile, discover_submissions
from workbench.ingest.headers import column_problems, identifiable_columns, read_header
from workbench.ingest.load import load_staged
from workbench.ingest.report import build_report, write_report
from workbench.ingest.stage import stage_submissions


def check_headers(files: list[SubmissionFile]) -> list[tuple[SubmissionFile, list[str]]]:
    """Every file with its header, or an error listing every header problem found."""
    problems: list[str] = []
    identifiable: list[str] = []
    checked = []
    for file in files:
        try:
            header = read_header(file)
        except ValueError as err:
            problems.append(str(err))
            continue
        identifiable += identifiable_columns(file, header)
        problems += column_problems(file, header)
        checked.append((file, header))
    if identifiable:
        raise IdentifiableDataError(identifiable)
    if problems:
        raise BadInputError(problems)
    return checked


def ingest(
    source: str | Path,
    store: str | Path,
    progress: bool = True,
    memory_limit: str | None = None,
) -> dict:
    """Load the submission files below ``source`` into the Parquet store at ``store``.

    Returns the load report (also written as ``load_report.json`` and ``load_report.txt``).
    Raises :class:`~workbench.errors.IdentifiableDataError` for direct identifiers,
    :class:`~workbench.errors.BadInputError` for files that cannot be read as specified, and
    :class:`~workbench.errors.ReconciliationError` when the counts do not add up; in every case
    the previous store at ``store`` is left as it was.
    """
    source = Path(source)
    checked = check_headers(discover_submissions(source))
    report: dict = {}

    def build(folder: Path) -> None:
        staging = folder / "_staging"
        staging.mkdir()
        staged = stage_submissions(checked, staging, progress=progress)
        if staged.identifiable:
            raise IdentifiableDataError(staged.identifiable)
        if staged.problems:
            raise BadInputError(staged.problems)
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
        report["timings"] = {"guard_seconds": round(staged.guard_seconds, 3)}
        write_report(report, folder)

    replace_folder(Path(store), build)
    return report
