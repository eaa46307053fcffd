"""Finding submission files and reading what their names say.

A submission file is named ``<table>_<organisation code>_<YYYYMMDD>.<csv|csv.gz|parquet>``,
where the organisation is the one that sends the table (a CSDS provider's ODS code; for the
adult social care Client Level Data of :mod:`workbench.spec.cld`, named
``cld_<LA code>_<YYYYMMDD>``, the council's ONS code: ``Table.file_name_prefix`` and
``Table.organisation`` of the specification) and the date is the submission date. A file may
sit anywhere below the source folder (the generator writes one folder per organisation).
Other files (README, JSON) are ignored, except the litter that
operating systems leave beside files (``._name``, ``.DS_Store``, ``Thumbs.db``, ``desktop.ini``,
``~$name``), which is set aside as not a submission.

A file whose name cannot be read, names an unknown table, or carries a submission date that
is impossible (not a date, before :data:`EARLIEST_SUBMISSION_DATE`) or in the future (after the
load's date), or an organisation code of the wrong shape for its table (a council's ONS code
for CLD), is quarantined with its reason (:mod:`workbench.ingest.quarantine`); a future date
would otherwise move every default period forward and beat every genuine later resend.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from workbench.errors import BadInputError, IdentifiableDataError
from workbench.identifiers import count_identifiers
from workbench.ingest.quarantine import (
    ORGANISATION_CODE,
    QuarantinedFile,
    count_rows,
    provider_of,
)
from workbench.spec import EXTRACT_TABLES

DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet")
#: No submission is dated before this day (CSDS and its predecessor CYPHS are later).
EARLIEST_SUBMISSION_DATE = dt.date(2015, 1, 1)
#: Files operating systems and office programs leave beside real ones (exact names).
LITTER_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db"})
#: Prefixes of litter files: macOS resource forks (``._``) and office lock files (``~$``).
LITTER_PREFIXES = ("._", "~$")
_NAME = re.compile(
    rf"^(?P<table>[a-z0-9_]+?)_(?P<provider>{ORGANISATION_CODE.pattern})_(?P<date>\d{{8}})"
    r"\.(?P<format>csv|csv\.gz|parquet)$"
)
#: Each table by the start of its files' names (``cld`` names the CLD table ``cld_events``).
TABLE_OF_PREFIX = {table.file_name_prefix: name for name, table in EXTRACT_TABLES.items()}


@dataclass(frozen=True)
class SubmissionFile:
    """One submission file and what its name says about it."""

    path: Path
    table: str
    #: The code of the organisation that sent it: a provider's, or for CLD a council's.
    provider_code: str
    submission_date: dt.date
    format: str

    @property
    def is_parquet(self) -> bool:
        return self.format == "parquet"


def is_litter(path: Path) -> bool:
    """Whether ``path`` is a file an operating system or office program left behind."""
    name = path.name.lower()
    return name in LITTER_NAMES or name.startswith(LITTER_PREFIXES)


def parse_submission_name(path: Path, load_date: dt.date | None = None) -> SubmissionFile:
    """Read table, organisation and submission date from a file name; ValueError saying why
    not.

    With ``load_date``, a submission date after it is refused as a date in the future."""
    match = _NAME.match(path.name)
    if not match:
        raise ValueError(
            f"{path}: the name is not <table>_<provider code>_<YYYYMMDD>.csv (or .csv.gz, "
            ".parquet); rename it, e.g. care_contacts_RXY01_20250401.csv (a council's Client "
            "Level Data: cld_E08000001_20250401.csv)"
        )
    table = TABLE_OF_PREFIX.get(match["table"])
    if table is None:
        raise ValueError(
            f"{path}: {match['table']!r} is not a table of the extract; expected one of "
            f"{', '.join(TABLE_OF_PREFIX)}"
        )
    spec = EXTRACT_TABLES[table]
    pattern = spec.organisation_pattern
    if pattern and not re.fullmatch(pattern.strip("^$"), match["provider"]):
        raise ValueError(
            f"{path}: {match['provider']!r} in the name is not a {spec.submitter} code for "
            f"{table} (it must match {pattern}); rename it with the {spec.submitter}'s code"
        )
    try:
        submitted = dt.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"{path}: {match['date']} in the name is not a date (YYYYMMDD)") from None
    if submitted < EARLIEST_SUBMISSION_DATE:
        raise ValueError(
            f"{path}: the submission date in the name, {submitted.isoformat()}, is impossible "
            f"(before {EARLIEST_SUBMISSION_DATE.isoformat()}); rename it with the date it was sent"
        )
    if load_date is not None and submitted > load_date:
        raise ValueError(
            f"{path}: the submission date in the name, {submitted.isoformat()}, is after the "
            f"load date {load_date.isoformat()} (a date in the future); rename it with the "
            "date it was sent"
        )
    return SubmissionFile(path, table, match["provider"], submitted, match["format"])


@dataclass
class Discovery:
    """The submission files found below a source, in load order, and the files set aside."""

    files: list[SubmissionFile]
    quarantined: list[QuarantinedFile]


def _quarantine_by_name(path: Path, reason: str, litter: bool = False) -> QuarantinedFile:
    match = _NAME.match(path.name.removeprefix("._"))
    table = TABLE_OF_PREFIX.get(match["table"]) if match else None
    provider = provider_of(path, match["provider"] if match else None)
    rows = None if litter else count_rows(path)
    return QuarantinedFile(path, [reason], table=table, provider_code=provider, rows=rows)


#: What stands for a folder or file name that holds an identifier, in every message.
WITHHELD = "[name withheld]"


def _identifiable_parts(parts: list[str]) -> set[str]:
    """The names among ``parts`` holding an NHS number or a full postcode (one pass over all
    of them; each is looked at alone only when that pass finds something)."""
    unique = sorted(set(parts))
    if not unique or not any(count_identifiers(pa.array(unique, pa.string()))):
        return set()
    return {part for part in unique if any(count_identifiers(pa.array([part], pa.string())))}


def check_names(source: Path, paths: list[Path]) -> None:
    """Refuse a load whose source folder, or a folder or file name below it, holds an NHS
    number or a full postcode (the guard's rules, :mod:`workbench.identifiers`): such a name
    would reach the load report, the history, the rejects and the feedback. The message names
    each such file with the identifying names replaced by :data:`WITHHELD`, never the name."""
    relative = [p.relative_to(source).parts if p != source else () for p in paths]
    found = _identifiable_parts([*source.parts, *(part for r in relative for part in r)])
    if not found:
        return
    shown_source = Path(*[WITHHELD if part in found else part for part in source.parts])
    what = "looks like an NHS number or a full postcode (not repeated here)"
    if not found.isdisjoint(source.parts):
        raise IdentifiableDataError(
            [f"{shown_source}: the source's path holds what {what}; rename it"]
        )
    problems = [
        f"{shown_source.joinpath(*[WITHHELD if part in found else part for part in parts])}: "
        f"the folder or file name holds what {what}; rename it without identifiers"
        for parts in relative
        if not found.isdisjoint(parts)
    ]
    raise IdentifiableDataError(problems)


def find_submissions(source: Path, load_date: dt.date | None = None) -> Discovery:
    """Every submission file below ``source`` in load order, and every file set aside by its
    name: litter, an unreadable name, an unknown table, an impossible or future date (module
    docstring). BadInputError when ``source`` is missing or holds neither;
    IdentifiableDataError when a folder or file name holds an identifier (:func:`check_names`).
    """
    source = Path(source)
    if not source.exists():
        raise BadInputError([f"{source}: no such file or folder; give the folder of submissions"])
    candidates = (
        [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    )
    check_names(source, candidates)
    quarantined: list[QuarantinedFile] = []
    files: list[SubmissionFile] = []
    for path in candidates:
        if is_litter(path):
            quarantined.append(
                _quarantine_by_name(
                    path,
                    f"{path}: a file left by an operating system or office program (e.g. "
                    "._name, .DS_Store, Thumbs.db), not a submission; it was not read. "
                    "Leave it out of the files sent",
                    litter=True,
                )
            )
            continue
        if not path.name.lower().endswith(DATA_SUFFIXES):
            continue
        try:
            files.append(parse_submission_name(path, load_date))
        except ValueError as err:
            quarantined.append(_quarantine_by_name(path, str(err)))
    if not files and not quarantined:
        raise BadInputError(
            [
                f"{source}: no submission files (*.csv, *.csv.gz, *.parquet) found; make a "
                "sample with `workbench generate`"
            ]
        )
    files.sort(key=load_order)
    return Discovery(files, quarantined)


def load_order(file: SubmissionFile) -> tuple:
    """Where ``file`` goes in a load: table (parents first), submission date, file name, then
    the time it was last written (a same-named resend sent later goes after the first), then
    its path. The folders it sits in count only last, so files split across daily folders in
    any way rank as one full load of them all ranks them (measures.md section 1)."""
    return (
        _TABLE_ORDER[file.table],
        file.submission_date,
        file.path.name,
        file.path.stat().st_mtime_ns,
        str(file.path),
    )


_TABLE_ORDER = {name: i for i, name in enumerate(EXTRACT_TABLES)}


def discover_submissions(source: Path, load_date: dt.date | None = None) -> list[SubmissionFile]:
    """Every submission file below ``source``, in load order; BadInputError listing every file
    that :func:`find_submissions` would set aside (the all-or-nothing, ``--strict`` way).

    Load order is :func:`load_order`: a later file supersedes an earlier one for the same
    record key (measures.md section 1).
    """
    found = find_submissions(source, load_date)
    problems = [reason for q in found.quarantined for reason in q.reasons]
    if problems:
        raise BadInputError(problems)
    return found.files
