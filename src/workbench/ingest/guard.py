"""The identifier guard over whole files, whatever else is wrong with them (measures.md
section 1).

Staging (:mod:`workbench.ingest.stage`) guards every value of the files it loads. A file set
aside before staging (a bad name, a missing or unexpected column, a header that is not one) or
during it (a truncated row, a damaged ``.csv.gz``) is read here instead, every column of it,
including columns the extract specification does not know: identifiable data stops the load
(exit 3) whatever other reason the file had to be quarantined, so the operator always learns
that identifiers were sent. A CSV file is read as text as far as it goes, whatever its
encoding, quoting or field count; a Parquet file column by column as far as it can be read.
The messages name the file, the column and the count, never a value.
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from workbench.identifiers import count_birth_dates, count_identifiers
from workbench.ingest.headers import looks_like_a_name, open_binary
from workbench.spec import EXTRACT_TABLES

#: Every column a table's specification declares as the year or month of birth, and which.
BIRTH_PARTS: dict[str, str] = {
    col.name: col.birth_part
    for table in EXTRACT_TABLES.values()
    for col in table.columns
    if col.birth_part
}
_BIRTH_FORM = {"year": "a bare four-digit year", "month": "a month number 1 to 12"}

#: Rows guarded at a time when a file is read line by line.
_ROWS = 100_000


def identifier_problems(path: object, counts: dict[str, list[int]]) -> list[str]:
    """One sentence per column and kind of identifier found in the file ``path``: file,
    column, row count and what to do; never a value. ``counts`` maps a column, labelled as
    :func:`column_label` does, to its rows holding an NHS number and a full postcode, and, for
    a year- or month-of-birth column (:data:`BIRTH_PARTS`), a third count: its rows that may
    hold a full date of birth (:func:`~workbench.identifiers.count_birth_dates`)."""
    problems = []
    for column, (nhs, postcodes, *births) in counts.items():
        if sum(births):
            form = _BIRTH_FORM[BIRTH_PARTS[column.strip("'")]]
            problems.append(
                f"{path}, column {column}: {sum(births):,} row(s) are not {form} and may hold "
                "a full date of birth; send the year and month of birth only, never the date"
            )
        if nhs:
            problems.append(
                f"{path}, column {column}: {nhs:,} row(s) hold a 10-digit number that "
                "passes the NHS number check (bare, grouped 3-3-4 or inside other text); "
                "remove NHS numbers and send the pseudonymised person id only"
            )
        if postcodes:
            what = (
                "send the postcode district only (e.g. SE15)"
                if column.strip("'") == "postcode_district"
                else "remove full postcodes; only the postcode district may be sent, in "
                "postcode_district"
            )
            problems.append(
                f"{path}, column {column}: {postcodes:,} row(s) hold a full postcode; " + what
            )
    return problems


def column_label(name: str, number: int) -> str:
    """How a message names a column: its name quoted when it looks like one, else its
    number (a first line of data is never repeated)."""
    return repr(name) if looks_like_a_name(name) else f"number {number}"


def tally_identifiers(counts: dict[str, list[int]], label: str, values: pa.Array) -> None:
    """Add the rows of ``values`` holding an NHS number and a full postcode to ``counts``
    under ``label``, and for a year- or month-of-birth column (:data:`BIRTH_PARTS`) its rows
    that may hold a full date of birth (:func:`identifier_problems`)."""
    nhs, postcodes = count_identifiers(values)
    part = BIRTH_PARTS.get(label.strip("'"))
    tally = counts.setdefault(label, [0, 0, 0] if part else [0, 0])
    tally[0] += nhs
    tally[1] += postcodes
    if part:
        tally[2] += count_birth_dates(values, part)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    """Every line of a CSV file as fields, as far as it reads: bytes that are not UTF-8 are
    replaced, a line the CSV reader cannot split is taken whole as one field."""
    try:
        with open_binary(path) as raw:
            data = raw.read()
    except (EOFError, OSError, zlib.error):
        data = b""
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    for line in text.splitlines():
        try:
            yield next(csv.reader([line]), [])
        except csv.Error:
            yield [line]


def _scan_csv(path: Path) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    rows = _csv_rows(path)
    header = next(rows, [])
    labels = [column_label(name, i + 1) for i, name in enumerate(header)]
    tally_identifiers(counts, "(the first line)", pa.array(header, pa.string()))
    block: list[list[str]] = []
    for row in rows:
        block.append(row)
        if len(block) >= _ROWS:
            _scan_block(counts, labels, block)
            block = []
    _scan_block(counts, labels, block)
    return counts


def _scan_block(counts: dict[str, list[int]], labels: list[str], block: list[list[str]]) -> None:
    """Tally ``block``'s rows per column; one pass over all its fields first, so a block
    holding no identifier (the usual case, however wide) costs one call."""
    every = pa.array([value for row in block for value in row], pa.string())
    births = any(label.strip("'") in BIRTH_PARTS for label in labels)
    if not births and not any(count_identifiers(every)):
        return
    width = max((len(row) for row in block), default=0)
    for i in range(width):
        label = labels[i] if i < len(labels) else f"number {i + 1}"
        values = [row[i] if i < len(row) else None for row in block]
        tally_identifiers(counts, label, pa.array(values, pa.string()))


def _scan_parquet(path: Path) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    try:
        source = pq.ParquetFile(path)
        labels = [column_label(n, i + 1) for i, n in enumerate(source.schema_arrow.names)]
        tally_identifiers(
            counts, "(the column names)", pa.array(source.schema_arrow.names, pa.string())
        )
        for batch in source.iter_batches(batch_size=1 << 20):
            for label, values in zip(labels, batch.columns, strict=True):
                try:
                    tally_identifiers(counts, label, values)
                except (pa.ArrowException, ValueError):
                    continue  # a list or struct column: not a value the guard reads
    except (pa.ArrowException, OSError):
        pass  # read as far as it can be
    return counts


def scan_file(path: Path) -> dict[str, list[int]]:
    """Per column (labelled as in messages), rows holding an NHS number and rows holding a
    full postcode, over every column of every row of ``path`` that can be read."""
    if path.name.lower().endswith(".parquet"):
        return _scan_parquet(path)
    return _scan_csv(path)


def whole_file_problems(path: Path) -> list[str]:
    """:func:`identifier_problems` for every column of the file at ``path``."""
    return identifier_problems(path, scan_file(path))
