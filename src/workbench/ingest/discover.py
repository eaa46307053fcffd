"""Finding submission files and reading what their names say.

A submission file is named ``<table>_<provider code>_<YYYYMMDD>.<csv|csv.gz|parquet>``, where
the date is the submission date, and may sit anywhere below the source folder (the generator
writes one folder per provider). Other files (README, JSON) are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import BadInputError
from workbench.spec import TABLES

DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet")
_NAME = re.compile(
    r"^(?P<table>[a-z0-9_]+?)_(?P<provider>[A-Z0-9]{3,6})_(?P<date>\d{8})"
    r"\.(?P<format>csv|csv\.gz|parquet)$"
)


@dataclass(frozen=True)
class SubmissionFile:
    """One submission file and what its name says about it."""

    path: Path
    table: str
    provider_code: str
    submission_date: dt.date
    format: str

    @property
    def is_parquet(self) -> bool:
        return self.format == "parquet"


def parse_submission_name(path: Path) -> SubmissionFile:
    """Read table, provider and submission date from a file name; ValueError saying why not."""
    match = _NAME.match(path.name)
    if not match:
        raise ValueError(
            f"{path}: the name is not <table>_<provider code>_<YYYYMMDD>.csv (or .csv.gz, "
            ".parquet); rename it, e.g. care_contacts_RXY01_20250401.csv"
        )
    if match["table"] not in TABLES:
        raise ValueError(
            f"{path}: {match['table']!r} is not a table of the extract; expected one of "
            f"{', '.join(TABLES)}"
        )
    try:
        submitted = dt.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"{path}: {match['date']} in the name is not a date (YYYYMMDD)") from None
    return SubmissionFile(path, match["table"], match["provider"], submitted, match["format"])


def discover_submissions(source: Path) -> list[SubmissionFile]:
    """Every submission file below ``source``, in load order.

    Load order is table (parents first), then submission date, then file path: a later file
    supersedes an earlier one for the same record key (measures.md section 1).
    """
    source = Path(source)
    if not source.exists():
        raise BadInputError([f"{source}: no such file or folder; give the folder of submissions"])
    candidates = (
        [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    )
    problems: list[str] = []
    files: list[SubmissionFile] = []
    for path in candidates:
        if not path.name.lower().endswith(DATA_SUFFIXES):
            continue
        try:
            files.append(parse_submission_name(path))
        except ValueError as err:
            problems.append(str(err))
    if problems:
        raise BadInputError(problems)
    if not files:
        raise BadInputError(
            [
                f"{source}: no submission files (*.csv, *.csv.gz, *.parquet) found; "
                "make a sample with `workbench generate`"
            ]
        )
    order = {name: i for i, name in enumerate(TABLES)}
    return sorted(files, key=lambda f: (order[f.table], f.submission_date, str(f.path)))
