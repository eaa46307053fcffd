"""Checking a submission file's header before any row is read.

Each check returns sentences naming the file and what to do; none prints a data value.
"""

from __future__ import annotations

import csv
import gzip
import io

import pyarrow.parquet as pq

from workbench.ingest.discover import SubmissionFile
from workbench.ingest.identifiers import identifier_column_kind
from workbench.spec import TABLES

_BOM = b"\xef\xbb\xbf"
_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "pipes"}


def open_binary(path) -> io.BufferedIOBase:
    """Open a submission file for reading bytes, decompressing ``.gz`` files."""
    return gzip.open(path, "rb") if str(path).endswith(".gz") else open(path, "rb")


def read_header(file: SubmissionFile) -> list[str]:
    """The column names of a submission file; ValueError with a sentence when it has none."""
    if file.path.stat().st_size == 0:
        raise ValueError(f"{file.path}: the file is empty (0 bytes); resend it with its header row")
    if file.is_parquet:
        try:
            return list(pq.read_schema(file.path).names)
        except Exception:
            raise ValueError(
                f"{file.path}: not a readable Parquet file (damaged or truncated); resend it"
            ) from None
    try:
        with open_binary(file.path) as handle:
            first = handle.readline(1 << 20)
    except (OSError, EOFError):
        raise ValueError(f"{file.path}: cannot be decompressed; resend it") from None
    first = first.removeprefix(_BOM)
    if not first.strip():
        raise ValueError(f"{file.path}: the first line is blank; the header row must come first")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(
            f"{file.path}: the header is not UTF-8 text (wrong encoding, e.g. Windows-1252 or "
            "UTF-16); save the file as UTF-8 and resend it"
        ) from None
    header = next(csv.reader([text.rstrip("\r\n")]))
    if len(header) == 1:
        for delimiter, words in _OTHER_DELIMITERS.items():
            if delimiter in header[0]:
                raise ValueError(
                    f"{file.path}: the columns are separated by {words}, not commas; save it as "
                    "comma-separated values and resend it"
                )
    return header


def identifiable_columns(file: SubmissionFile, header: list[str]) -> list[str]:
    """A sentence for each column whose name says it holds a direct identifier."""
    return [
        f"{file.path}, column {name!r}: looks like a {kind} column"
        for name in header
        if (kind := identifier_column_kind(name))
    ]


def column_problems(file: SubmissionFile, header: list[str]) -> list[str]:
    """Sentences for missing, unexpected and repeated columns against the table's spec."""
    expected = TABLES[file.table].column_names
    problems = []
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        problems.append(f"{file.path}: column(s) {', '.join(repeated)} appear more than once")
    missing = [name for name in expected if name not in header]
    if missing:
        problems.append(
            f"{file.path}: missing column(s) {', '.join(missing)}; every {file.table} file must "
            f"have: {', '.join(expected)}"
        )
    extra = [name for name in header if name not in expected]
    if extra:
        problems.append(
            f"{file.path}: unexpected column(s) {', '.join(extra)} for table {file.table}; remove "
            "them or check the file is named after the right table"
        )
    return problems
