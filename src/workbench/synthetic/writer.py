"""Writing submission files: OUT/<provider>/<table>_<provider>_<YYYYMMDD>.csv|csv.gz|parquet."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from workbench.synthetic.dates import yyyymmdd

_CSV_OPTIONS = pacsv.WriteOptions(include_header=False, delimiter=",", quoting_style="none")


def _open_text_target(path: Path):
    """A binary handle for a CSV file; gzipped (with no timestamp, so the bytes are the same on
    every run) when the name ends in ``.gz``."""
    if path.name.endswith(".gz"):
        return gzip.GzipFile(path, "wb", mtime=0)
    return path.open("wb")


def file_path(out_dir: Path, org: str, table: str, sub_day: int, file_format: str) -> Path:
    """Where the submission of ``table`` by ``org`` dated ``sub_day`` goes."""
    return out_dir / org / f"{table}_{org}_{yyyymmdd(sub_day)}.{file_format}"


def write_submissions(
    out_dir: Path,
    org: str,
    table: str,
    text: dict[str, np.ndarray | pa.Array],
    sub_days: np.ndarray,
    file_format: str,
) -> list[Path]:
    """One file per submission day; ``text`` holds the spec columns as text (None or null =
    missing), rows already sorted by submission day."""
    arrow = pa.table(
        {
            name: values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
            for name, values in text.items()
        }
    )
    bounds = np.flatnonzero(np.diff(sub_days)) + 1
    starts = np.concatenate([[0], bounds]) if len(sub_days) else np.array([], dtype=np.int64)
    ends = np.concatenate([bounds, [len(sub_days)]]) if len(sub_days) else starts
    written = []
    for lo, hi in zip(starts, ends, strict=True):
        path = file_path(out_dir, org, table, int(sub_days[lo]), file_format)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = arrow.slice(int(lo), int(hi - lo))
        if file_format in ("csv", "csv.gz"):
            with _open_text_target(path) as handle:
                handle.write((",".join(part.column_names) + "\n").encode("utf-8"))
                pacsv.write_csv(part, handle, write_options=_CSV_OPTIONS)
        else:
            pq.write_table(part, path, compression="zstd")
        written.append(path)
    return written
