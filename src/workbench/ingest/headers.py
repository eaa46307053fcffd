"""Checking a submission file's header before any row is read.

Each check returns sentences naming the file and what to do; none prints a data value. A column
name is repeated back only when it looks like a column name (a letter, then letters, digits,
underscores or spaces, at most 64 characters): a file without a header row has data in its
first line, and that is described, never echoed (measures.md section 1).

Every check is linear in the number of columns, and a message lists at most
:data:`NAMES_SHOWN` names, so that a header of a million columns is answered in seconds. The
header row is read up to :data:`MAX_HEADER_BYTES`; a first line longer than that, or with more
than :data:`MAX_COLUMNS` columns, is not a header the workbench can use, and says so.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from workbench.identifiers import count_identifiers, identifier_column_kind
from workbench.ingest.discover import SubmissionFile
from workbench.spec import EXTRACT_TABLES

_BOM = b"\xef\xbb\xbf"
_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "pipes"}
_NAME_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9_ ]{0,63}")
#: The longest first line read as a header row (a whole line, never silently cut).
MAX_HEADER_BYTES = 64 << 20
#: The most columns a header may have: far more than any table of the extract.
MAX_COLUMNS = 1000
#: The most column names one message lists; the rest are counted.
NAMES_SHOWN = 20


def looks_like_a_name(text: str) -> bool:
    """Whether ``text`` is shaped like a column name, and so may be repeated in a message."""
    return bool(_NAME_SHAPE.fullmatch(text))


def _names(names: list[str]) -> str:
    """The names that may be echoed, and a count of those that may not."""
    shown = [n for n in names if looks_like_a_name(n)]
    hidden = len(names) - len(shown)
    parts = ", ".join(shown[:NAMES_SHOWN])
    if len(shown) > NAMES_SHOWN:
        parts += f" and {len(shown) - NAMES_SHOWN:,} more"
    if hidden:
        more = f"{hidden:,} that do not look like column names (not repeated here)"
        parts = f"{parts} and {more}" if parts else more
    return parts


def open_binary(path: str | os.PathLike[str]) -> io.BufferedIOBase:
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
            first = handle.readline(MAX_HEADER_BYTES + 1)
    except PermissionError:
        raise ValueError(
            f"{file.path}: cannot be opened for reading (no permission); let the workbench read it"
        ) from None
    except (OSError, EOFError):
        raise ValueError(f"{file.path}: cannot be decompressed; resend it") from None
    if len(first) > MAX_HEADER_BYTES:
        raise ValueError(
            f"{file.path}: the first line is longer than {MAX_HEADER_BYTES >> 20} MB, far too "
            "long for a header row; check the file is the comma-separated table it is named after"
        )
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
    try:
        header = next(csv.reader([text.rstrip("\r\n")]))
    except csv.Error:
        raise ValueError(
            f"{file.path}: the header row cannot be read as comma-separated column names (a "
            "quote that is never closed, or a control character); fix the first line and resend it"
        ) from None
    if len(header) == 1:
        for delimiter, words in _OTHER_DELIMITERS.items():
            if delimiter in header[0]:
                raise ValueError(
                    f"{file.path}: the columns are separated by {words}, not commas; save it as "
                    "comma-separated values and resend it"
                )
    return header


#: Every word :func:`~workbench.identifiers.identifier_column_kind` looks for holds one of
#: these, once a name is lower-cased and stripped of everything but letters and digits.
_IDENTIFIER_HINTS = "nhs|post|zip|birth|dob|yob|tel|phone|mob|fax|mail|name|addr|street"


def candidate_identifier_columns(header: list[str]) -> list[tuple[int, str]]:
    """(number, name) of the columns whose name could be an identifier's: every name that is
    not plain ASCII, and every other name holding a hint (:data:`_IDENTIFIER_HINTS`). A fast,
    column-wise filter, so that a header of a million columns is checked in seconds; each
    candidate is then judged by ``identifier_column_kind``."""
    names = pa.array(header, pa.string())
    normal = pc.replace_substring_regex(pc.utf8_lower(names), "[^a-z0-9]", "")
    keep = pc.or_(
        pc.invert(pc.string_is_ascii(names)), pc.match_substring_regex(normal, _IDENTIFIER_HINTS)
    )
    return [
        (int(i) + 1, header[int(i)]) for i in np.flatnonzero(keep.to_numpy(zero_copy_only=False))
    ]


def identifiable_columns(file: SubmissionFile, header: list[str]) -> list[str]:
    """A sentence for each column whose name says it holds a direct identifier, and one when
    the first line itself holds an NHS number or a full postcode (a file with no header row).
    The columns the table's specification declares as the year and month of birth
    (``Column.birth_part``: CLD's ``birth_year`` and ``birth_month``) are let through by
    their exact name; any other name holding "birth", ``dob`` or ``yob`` is refused.
    """
    allowed = set(EXTRACT_TABLES[file.table].birth_columns)
    problems = [
        f"{file.path}, column "
        f"{repr(name) if looks_like_a_name(name) else f'number {i}'}: looks like a {kind} column"
        for i, name in candidate_identifier_columns(header)
        if name not in allowed and (kind := identifier_column_kind(name))
    ]
    nhs, postcodes = count_identifiers(pa.array(header, pa.string()))
    if nhs or postcodes:
        what = " and ".join(
            w for n, w in ((nhs, "an NHS number"), (postcodes, "a full postcode")) if n
        )
        problems.append(
            f"{file.path}: the first line looks like data, not column names, and holds what "
            f"looks like {what}; remove identifiers and put the header row first"
        )
    return problems


def column_problems(file: SubmissionFile, header: list[str]) -> list[str]:
    """Sentences for missing, unexpected and repeated columns against the table's spec.

    A first line with none of the table's column names is described as data, not listed; a
    header of more than :data:`MAX_COLUMNS` columns is described by its count. Linear in the
    number of columns."""
    expected = EXTRACT_TABLES[file.table].column_names
    wanted = set(expected)
    if len(header) > MAX_COLUMNS:
        return [
            f"{file.path}: the header has {len(header):,} columns, where a {file.table} file "
            f"has {len(expected)}; check the file is the table it is named after and resend it "
            f"with the columns: {', '.join(expected)}"
        ]
    if wanted.isdisjoint(header):
        return [
            f"{file.path}: the first line looks like data, not column names (none of the "
            f"{file.table} columns is there); put the header row first: {', '.join(expected)}"
        ]
    problems = []
    repeated = sorted(name for name, n in Counter(header).items() if n > 1)
    if repeated:
        problems.append(f"{file.path}: column(s) {_names(repeated)} appear more than once")
    present = set(header)
    missing = [name for name in expected if name not in present]
    if missing:
        problems.append(
            f"{file.path}: missing column(s) {', '.join(missing)}; every {file.table} file must "
            f"have: {', '.join(expected)}"
        )
    extra = [name for name in header if name not in wanted]
    if extra:
        problems.append(
            f"{file.path}: unexpected column(s) {_names(extra)} for table {file.table}; remove "
            "them or check the file is named after the right table"
        )
    return problems
