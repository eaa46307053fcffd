"""Reading every row of the submission files into a staging area, as text, in load order.

Each row keeps where it came from (``_file_id``, ``_row``: its data row number in the file, 1
being the first row after the header) so that later steps can order versions and name rejects.
The identifier guard (:mod:`workbench.ingest.identifiers`) sees every value of every row of
every column before the row is written anywhere, and its time is measured; a file that cannot be
read whole (a truncated row, a broken quote, bytes that are not UTF-8) is reported with its line
number.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from tqdm import tqdm

from workbench.ingest.discover import SubmissionFile
from workbench.ingest.headers import open_binary
from workbench.ingest.identifiers import count_identifiers
from workbench.logs import progress_enabled
from workbench.spec import TABLES

BATCH_ROWS = 1 << 20
META_SCHEMA = [pa.field("_file_id", pa.int32()), pa.field("_row", pa.int64())]


@dataclass
class StagedFile:
    """A submission file as read: its load-order id, rows read and content checksum."""

    file_id: int
    file: SubmissionFile
    rows_read: int = 0
    sha256: str = ""


@dataclass
class StagingResult:
    """What staging read, and the problems that stop the load."""

    files: list[StagedFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    identifiable: list[str] = field(default_factory=list)
    guard_seconds: float = 0.0

    def staged_tables(self) -> set[str]:
        return {f.file.table for f in self.files}


def staging_schema(table: str) -> pa.Schema:
    """All spec columns as text, then the file id and row number."""
    cols = [pa.field(name, pa.string()) for name in TABLES[table].column_names]
    return pa.schema(cols + META_SCHEMA)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _csv_batches(path: Path, header: list[str]) -> Iterator[pa.RecordBatch]:
    reader = pacsv.open_csv(
        pa.input_stream(str(path), compression="detect"),
        read_options=pacsv.ReadOptions(block_size=16 << 20),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    yield from reader


def _parquet_batches(path: Path, table: str) -> Iterator[pa.RecordBatch]:
    spec = TABLES[table]
    source = pq.ParquetFile(path)
    for batch in source.iter_batches(batch_size=BATCH_ROWS, columns=list(spec.column_names)):
        arrays = []
        for name in spec.column_names:
            values = batch.column(name)
            if pa.types.is_floating(values.type) and spec.column(name).dtype == "int":
                whole = pa.compute.equal(pa.compute.floor(values), values)
                if pa.compute.all(pa.compute.fill_null(whole, True)).as_py():
                    values = values.cast(pa.int64())
            arrays.append(values.cast(pa.string()))
        yield pa.RecordBatch.from_arrays(arrays, names=list(spec.column_names))


def locate_csv_problem(path: Path, expected_fields: int) -> str:
    """The first line of a CSV file that cannot be read, and why, without printing its text."""
    with open_binary(path) as raw:
        data = raw.read()
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return (
                f"line {number} is not UTF-8 text (wrong encoding); save the file as UTF-8 "
                "and resend it"
            )
    text = data.decode("utf-8").removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for fields in reader:
            if fields and len(fields) != expected_fields:
                ends_early = reader.line_num == text.count("\n") + (0 if text.endswith("\n") else 1)
                hint = (
                    "the file looks truncated; resend the whole file"
                    if ends_early and not text.endswith("\n")
                    else "check for a missing or extra comma, or an unquoted comma in a value"
                )
                return (
                    f"line {reader.line_num} has {len(fields)} fields where the header has "
                    f"{expected_fields}: {hint}"
                )
    except csv.Error:
        return (
            f"line {reader.line_num} has a quote that is never closed: the file looks truncated "
            "or badly quoted; resend it"
        )
    return "the file could not be parsed as CSV; check it opens as comma-separated text"


def _guard(batch: pa.RecordBatch, counts: dict[str, list[int]]) -> None:
    """Add each column's rows holding an NHS number or a full postcode to ``counts``."""
    for name in batch.schema.names:
        nhs, postcodes = count_identifiers(batch.column(name))
        tally = counts.setdefault(name, [0, 0])
        tally[0] += nhs
        tally[1] += postcodes


def _guard_problems(file: SubmissionFile, counts: dict[str, list[int]]) -> list[str]:
    """One sentence per column and kind of identifier found: file, column, row count, what to
    do; never a value (measures.md section 1)."""
    problems = []
    for column, (nhs, postcodes) in counts.items():
        if nhs:
            problems.append(
                f"{file.path}, column {column!r}: {nhs:,} row(s) hold a 10-digit number that "
                "passes the NHS number check (bare, grouped 3-3-4 or inside other text); "
                "remove NHS numbers and send the pseudonymised person id only"
            )
        if postcodes:
            what = (
                "send the postcode district only (e.g. SE15)"
                if column == "postcode_district"
                else "remove full postcodes; only the postcode district may be sent, in "
                "postcode_district"
            )
            problems.append(
                f"{file.path}, column {column!r}: {postcodes:,} row(s) hold a full postcode; "
                + what
            )
    return problems


def stage_submissions(
    files: list[tuple[SubmissionFile, list[str]]],
    staging_dir: Path,
    progress: bool = True,
) -> StagingResult:
    """Read every row of every file into ``staging_dir/<table>.parquet`` as text.

    ``files`` are (file, header) pairs in load order whose headers already passed the checks.
    Reading goes on past a bad file so that every problem is reported at once; once a problem
    is found nothing more is written, and the caller must not load the staging area.
    """
    result = StagingResult()
    writers: dict[str, pq.ParquetWriter] = {}
    total_bytes = sum(f.path.stat().st_size for f, _ in files)
    bar = tqdm(
        total=total_bytes,
        unit="B",
        unit_scale=True,
        desc="reading",
        disable=not progress_enabled(progress),
    )
    try:
        for file_id, (file, header) in enumerate(files):
            staged = StagedFile(file_id, file, sha256=file_sha256(file.path))
            result.files.append(staged)
            guard_counts: dict[str, list[int]] = {}
            batches = (
                _parquet_batches(file.path, file.table)
                if file.is_parquet
                else _csv_batches(file.path, header)
            )
            spec_names = list(TABLES[file.table].column_names)
            try:
                for batch in batches:
                    batch = batch.select(spec_names)
                    started = time.perf_counter()
                    _guard(batch, guard_counts)
                    result.guard_seconds += time.perf_counter() - started
                    first = staged.rows_read + 1
                    staged.rows_read += batch.num_rows
                    found = any(n for tally in guard_counts.values() for n in tally)
                    if result.problems or result.identifiable or found:
                        continue  # nothing more is written, and never a batch with an identifier
                    meta = [
                        pa.array(np.full(batch.num_rows, file_id, dtype=np.int32)),
                        pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64)),
                    ]
                    out = pa.RecordBatch.from_arrays(
                        list(batch.columns) + meta, schema=staging_schema(file.table)
                    )
                    if file.table not in writers:
                        writers[file.table] = pq.ParquetWriter(
                            staging_dir / f"{file.table}.parquet", out.schema
                        )
                    writers[file.table].write_batch(out)
            except pa.ArrowNotImplementedError:
                result.problems.append(
                    f"{file.path}: a column has a type that cannot be read as a value (e.g. a "
                    "list or a struct); send plain text, number or date columns"
                )
            except (pa.ArrowInvalid, OSError, EOFError):
                if file.is_parquet:
                    where = "cannot be read whole (damaged or truncated Parquet); resend it"
                else:
                    where = locate_csv_problem(file.path, len(header))
                result.problems.append(f"{file.path}: {where}")
            result.identifiable.extend(_guard_problems(file, guard_counts))
            bar.update(file.path.stat().st_size)
    finally:
        bar.close()
        for writer in writers.values():
            writer.close()
    return result
