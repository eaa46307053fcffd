"""Quarantine: a submission file that cannot be read as specified is set aside, with its
reasons, and the other files load (measures.md section 1).

A quarantined file is never staged: none of its rows reaches the store. Its rows are counted
(data lines after the header, as far as the file can be read) and reported as quarantined, so
that every row received is loaded, superseded, rejected or quarantined. The reasons name the
file and what to do, and never quote a value from it. Identifiable data is not a reason to
quarantine: it stops the whole load (:class:`~workbench.errors.IdentifiableDataError`).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

#: The code of a submitting organisation as it appears in a submission file's name (also its
#: folder's name): a CSDS provider's ODS code (3 to 6 characters) or a council's ONS code (9).
ORGANISATION_CODE = re.compile(r"[A-Z0-9]{3,9}")
_BLOCK = 1 << 22


@dataclass
class QuarantinedFile:
    """A file set aside: where it is, what its name says (if anything) and every reason.
    ``provider_code`` is the code of the organisation that sent it (a provider or a council)."""

    path: Path
    reasons: list[str] = field(default_factory=list)
    table: str | None = None
    provider_code: str | None = None
    rows: int | None = None

    def to_dict(self) -> dict:
        return {
            "path": str(self.path),
            "table": self.table,
            "provider_code": self.provider_code,
            "rows": self.rows,
            "reasons": list(self.reasons),
        }


def provider_of(path: Path, named: str | None) -> str | None:
    """The organisation (provider or council) a file belongs to: the code in its name, else
    its folder's name when that is shaped like an organisation's code (the generator and most
    senders use one folder an organisation)."""
    if named:
        return named
    folder = path.parent.name
    return folder if ORGANISATION_CODE.fullmatch(folder) else None


def _newlines_in_gzip(path: Path) -> tuple[int, bool]:
    """Line breaks in the decompressed bytes, as far as they decompress; and whether the last
    decompressed byte is a line break."""
    count, last = 0, b"\n"
    inflater = zlib.decompressobj(wbits=47)  # gzip or zlib header, auto-detected
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(_BLOCK), b""):
                data = inflater.decompress(block)
                count += data.count(b"\n")
                last = data[-1:] or last
                if inflater.eof:
                    break  # junk after the first member is not counted
    except (zlib.error, OSError):
        pass
    return count, last == b"\n"


def _newlines(path: Path) -> tuple[int, bool]:
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count, last == b"\n"


def count_rows(path: Path) -> int | None:
    """The data rows in a file set aside, as far as it can be read: Parquet's own row count,
    or a CSV's lines after the header (a quoted line break counts as a line); None when the
    file cannot be read at all (a damaged Parquet file, or a file that is not a submission)."""
    name = path.name.lower()
    try:
        if name.endswith(".parquet"):
            return int(pq.ParquetFile(path).metadata.num_rows)
        if name.endswith(".csv.gz"):
            lines, ends = _newlines_in_gzip(path)
        elif name.endswith(".csv"):
            lines, ends = _newlines(path)
        else:
            return None
    except Exception:
        return None
    lines += 0 if ends else 1  # a last line without a line break is still a line
    return max(lines - 1, 0)
