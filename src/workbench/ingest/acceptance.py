"""Per-file acceptance: which submission files load and which are quarantined, and when a load
stops instead (measures.md section 1).

- A file that cannot be read as specified (its name, header or content) is quarantined with
  its reasons (:mod:`workbench.ingest.quarantine`) and the other files load; the load ends with
  exit code :data:`~workbench.errors.EXIT_LOADED_WITH_QUARANTINE`.
- With ``strict``, any such file stops the load, nothing is written (all or nothing).
- Identifiable data anywhere stops the load, strict or not: in a folder or file name, a column
  name, or any value of any column of any file, a file set aside for another reason included.
- When no file is left to load, the load stops and the previous store is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import BadInputError, IdentifiableDataError
from workbench.ingest.discover import DATA_SUFFIXES, SubmissionFile, find_submissions, is_litter
from workbench.ingest.guard import whole_file_problems
from workbench.ingest.headers import column_problems, identifiable_columns, read_header
from workbench.ingest.quarantine import QuarantinedFile, count_rows, provider_of


@dataclass
class Acceptance:
    """The files accepted so far (with their headers) and the files quarantined, in order."""

    strict: bool
    checked: list[tuple[SubmissionFile, list[str]]] = field(default_factory=list)
    quarantined: list[QuarantinedFile] = field(default_factory=list)
    #: Called with the quarantined files when none is left to load, before the load stops
    #: (to tell the providers why).
    on_nothing_loaded: Callable[[list[QuarantinedFile]], object] | None = None

    def set_aside(self, files: list[QuarantinedFile]) -> None:
        """Quarantine ``files``; in a strict load, stop with every reason instead."""
        self.quarantined.extend(files)
        if self.strict and self.quarantined:
            raise BadInputError([r for q in self.quarantined for r in q.reasons])

    def require_some(self, accepted: int) -> None:
        """Stop when none of the files can be loaded (the previous store is kept)."""
        if accepted == 0:
            if self.on_nothing_loaded:
                self.on_nothing_loaded(self.quarantined)
            raise BadInputError(
                [r for q in self.quarantined for r in q.reasons],
                intro="No submission file could be loaded (every file was quarantined)",
            )


def accept_files(
    source: Path,
    load_date: dt.date | None = None,
    strict: bool = False,
    on_nothing_loaded: Callable[[list[QuarantinedFile]], object] | None = None,
) -> Acceptance:
    """Find the submission files below ``source`` and check every name and header.

    ``load_date`` (default: today) is the date a submission date in a file name may not be
    after. Raises IdentifiableDataError for identifier-like column names, a first line
    holding identifiers, a folder or file name holding one, or any value of any column of a
    file set aside (:mod:`workbench.ingest.guard`), and BadInputError when ``strict`` and a
    file is set aside, or when no file is left (after calling ``on_nothing_loaded`` with the
    files quarantined)."""
    found = find_submissions(source, load_date or dt.date.today())
    acceptance = Acceptance(strict, on_nothing_loaded=on_nothing_loaded)
    identifiable: list[str] = []
    set_aside = list(found.quarantined)
    for file in found.files:
        try:
            header = read_header(file)
        except ValueError as err:
            problems = [str(err)]
        else:
            identifiable += identifiable_columns(file, header)
            problems = column_problems(file, header)
            if not problems:
                acceptance.checked.append((file, header))
                continue
        provider = provider_of(file.path, file.provider_code)
        set_aside.append(
            QuarantinedFile(file.path, problems, file.table, provider, count_rows(file.path))
        )
    for q in set_aside:  # every column of a file set aside, whatever its other reasons
        if q.path.name.lower().endswith(DATA_SUFFIXES) and not is_litter(q.path):
            identifiable += whole_file_problems(q.path)
    if identifiable:
        raise IdentifiableDataError(identifiable)
    acceptance.set_aside(set_aside)
    acceptance.require_some(len(acceptance.checked))
    return acceptance
