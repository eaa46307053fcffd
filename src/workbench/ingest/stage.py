"""Reading every row of the submission files into a staging area, as text, in load order.

Each row keeps where it came from (``_file_id``, ``_row``: its data row number in the file, 1
being the first row after the header) so that later steps can order versions and name rejects.
The identifier guard (:mod:`workbench.identifiers`) sees every value of every row of
every column before the row is written anywhere, and its time is measured; a file that cannot be
read whole (a truncated row, a broken quote, bytes that are not UTF-8, a truncated or damaged
``.csv.gz``, a Parquet column of lists) is quarantined with its line number or cause
(:mod:`workbench.ingest.quarantine`), and none of its rows stays staged. A failure to write the
staging area (disk full, no permission) is an :class:`~workbench.errors.OutputError`, never
blamed on the file being read.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import time
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from tqdm import tqdm

from workbench.errors import output_error
from workbench.ingest.discover import SubmissionFile
from workbench.ingest.guard import identifier_problems, tally_identifiers, whole_file_problems
from workbench.ingest.headers import open_binary
from workbench.ingest.quarantine import QuarantinedFile, count_rows, provider_of
from workbench.logs import progress_enabled
from workbench.pause import reached
from workbench.spec import EXTRACT_TABLES as TABLES

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
    """What staging read: the files staged whole, the files quarantined (none of their rows
    is staged), and identifiable data found (which stops the load)."""

    files: list[StagedFile] = field(default_factory=list)
    quarantined: list[QuarantinedFile] = field(default_factory=list)
    identifiable: list[str] = field(default_factory=list)
    guard_seconds: float = 0.0
    #: Wall seconds staging took, the guard's included (a benchmark's per-step breakdown).
    seconds: float = 0.0

    @property
    def problems(self) -> list[str]:
        """Every reason a file was quarantined (all-or-nothing loads stop on any)."""
        return [reason for q in self.quarantined for reason in q.reasons]

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
    try:
        with open_binary(path) as raw:
            data = raw.read()
    except (EOFError, OSError, zlib.error):
        return _compression_problem(path)
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


def _compression_problem(path: Path) -> str:
    """Why a ``.csv.gz`` file does not decompress whole, without printing its content."""
    try:
        with gzip.open(path, "rb") as raw:
            for _ in iter(lambda: raw.read(1 << 22), b""):
                pass
    except EOFError:
        return "the compressed file ends too soon (truncated .csv.gz); resend the whole file"
    except (OSError, zlib.error):
        return (
            "the compressed file is damaged or has extra bytes after its end (not a clean "
            ".csv.gz); compress the CSV again and resend it"
        )
    return "the file could not be decompressed; compress the CSV again and resend it"


def _read_problem(file: SubmissionFile, err: BaseException, fields: int) -> str:
    """The sentence for a file that could not be read whole."""
    if isinstance(err, PermissionError):
        return (
            f"{file.path}: cannot be opened for reading (no permission); let the workbench read it"
        )
    if isinstance(err, pa.ArrowNotImplementedError | pa.ArrowTypeError):
        return (
            f"{file.path}: a column has a type that cannot be read as a value (e.g. a list or "
            "a struct); send plain text, number or date columns"
        )
    if file.is_parquet:
        return f"{file.path}: cannot be read whole (damaged or truncated Parquet); resend it"
    return f"{file.path}: {locate_csv_problem(file.path, fields)}"


def _guard(batch: pa.RecordBatch, counts: dict[str, list[int]]) -> None:
    """Add each column's rows holding an NHS number or a full postcode to ``counts`` (and a
    year- or month-of-birth column's rows that may hold a full date of birth)."""
    for name in batch.schema.names:
        tally_identifiers(counts, repr(name), batch.column(name))


def _guard_problems(file: SubmissionFile, counts: dict[str, list[int]]) -> list[str]:
    """One sentence per column and kind of identifier found: file, column, row count, what to
    do; never a value (measures.md section 1, :func:`workbench.ingest.guard.identifier_problems`).
    """
    return identifier_problems(file.path, counts)


@dataclass
class _FileRead:
    """One file read whole (in a worker thread): its batches of spec columns, the guard's
    counts per column, its checksum, or the error that stopped the read."""

    sha256: str = ""
    batches: list[pa.RecordBatch] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)
    guard_seconds: float = 0.0
    error: BaseException | None = None

    @property
    def identifiable(self) -> bool:
        return any(n for tally in self.counts.values() for n in tally)


def _read_file(file: SubmissionFile, header: list[str]) -> _FileRead:
    """Read ``file`` whole, with the identifier guard over every value of every batch."""
    read = _FileRead()
    spec_names = list(TABLES[file.table].column_names)
    try:
        read.sha256 = file_sha256(file.path)
        batches = (
            _parquet_batches(file.path, file.table)
            if file.is_parquet
            else _csv_batches(file.path, header)
        )
        for batch in batches:
            batch = batch.select(spec_names)
            started = time.perf_counter()
            _guard(batch, read.counts)
            read.guard_seconds += time.perf_counter() - started
            read.batches.append(batch)
    except (pa.ArrowException, OSError, EOFError, zlib.error) as err:
        read.error, read.batches, read.counts = err, [], {}
    return read


#: Files read ahead of the one being written: the reads (checksum, parse, guard) run on both
#: cores while the staging files are written in load order.
READ_AHEAD = 2


def _reads(files: list[tuple[SubmissionFile, list[str]]]) -> Iterator[_FileRead]:
    """Every file read (:func:`_read_file`), in the order of ``files``, :data:`READ_AHEAD`
    files at a time in worker threads (the reader and the guard release the GIL)."""
    with ThreadPoolExecutor(max_workers=READ_AHEAD) as pool:
        ahead: deque[Future[_FileRead]] = deque()
        for file, header in files:
            ahead.append(pool.submit(_read_file, file, header))
            if len(ahead) > READ_AHEAD:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def stage_submissions(
    files: list[tuple[SubmissionFile, list[str]]],
    staging_dir: Path,
    progress: bool = True,
) -> StagingResult:
    """Read every row of every file into ``staging_dir/<table>.parquet`` as text.

    ``files`` are (file, header) pairs in load order whose headers already passed the checks.
    Each file is read whole, and guarded, before any of its rows is written, several files at
    once (:func:`_reads`); rows are written in load order. A file that cannot be read whole is
    quarantined and none of its rows is staged; the others are. Once identifiable data is
    found nothing more is written (the load stops), but reading goes on so that every file's
    identifiers are reported at once.
    """
    began = time.perf_counter()
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
        for file_id, ((file, header), read) in enumerate(zip(files, _reads(files), strict=True)):
            result.guard_seconds += read.guard_seconds
            reached("ingest:guard")  # the file has been read and guarded
            if read.error is not None:
                result.identifiable.extend(whole_file_problems(file.path))  # every column
                result.quarantined.append(
                    QuarantinedFile(
                        file.path,
                        [_read_problem(file, read.error, len(header))],
                        table=file.table,
                        provider_code=provider_of(file.path, file.provider_code),
                        rows=count_rows(file.path),
                    )
                )
            else:
                staged = StagedFile(file_id, file, sha256=read.sha256)
                write = not (result.identifiable or read.identifiable)  # never an identifier
                for batch in read.batches:
                    if write:
                        _write(writers, staging_dir, file, file_id, staged.rows_read + 1, batch)
                    staged.rows_read += batch.num_rows
                result.files.append(staged)
            result.identifiable.extend(_guard_problems(file, read.counts))
            bar.update(file.path.stat().st_size)
    finally:
        bar.close()
        for writer in writers.values():
            writer.close()
    result.seconds = time.perf_counter() - began
    return result


def _write(
    writers: dict[str, pq.ParquetWriter],
    staging_dir: Path,
    file: SubmissionFile,
    file_id: int,
    first: int,
    batch: pa.RecordBatch,
) -> None:
    """Append ``batch`` (data rows ``first`` onwards of the file) to its table's staging file;
    a write that fails is an :class:`~workbench.errors.OutputError` naming the staging file."""
    target = staging_dir / f"{file.table}.parquet"
    meta = [
        pa.array(np.full(batch.num_rows, file_id, dtype=np.int32)),
        pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64)),
    ]
    out = pa.RecordBatch.from_arrays(list(batch.columns) + meta, schema=staging_schema(file.table))
    try:
        if file.table not in writers:
            writers[file.table] = pq.ParquetWriter(target, out.schema)
        writers[file.table].write_batch(out)
    except OSError as err:
        raise output_error(err, target) from None
