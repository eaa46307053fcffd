"""The aggregates folder: the one owner of its layout (written by compute, read by reports and
the command line).

Layout: one Parquet file per aggregate table (``<name>.parquet``), ``organisations.parquet``
(every provider with its home ICB and region and its number of persons) and ``manifest.json``
(the period, the store and its data snapshot, the package version and the row count of every
table). Every table row carries ``level`` (one of :data:`workbench.breakdowns.LEVELS`),
``org_code`` (the provider,
ICB or region code; :data:`ENGLAND` for England) and ``breakdown`` (the extra breakdown columns,
comma-separated, or ``none``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from workbench.errors import WorkbenchError

MANIFEST = "manifest.json"
ORGANISATIONS = "organisations"
ENGLAND = "ENG"
NO_BREAKDOWN = "none"

__all__ = [
    "ENGLAND",
    "MANIFEST",
    "NO_BREAKDOWN",
    "ORGANISATIONS",
    "breakdown_name",
    "read_manifest",
    "read_table",
    "write_manifest",
    "write_table",
]


def breakdown_name(extra: tuple[str, ...] | list[str]) -> str:
    """The ``breakdown`` value of rows broken down by ``extra`` (``none`` for none)."""
    return ",".join(extra) or NO_BREAKDOWN


def table_path(folder: str | Path, name: str) -> Path:
    """Where aggregate table ``name`` is kept in ``folder``."""
    return Path(folder) / f"{name}.parquet"


def write_table(folder: str | Path, name: str, frame: pd.DataFrame) -> None:
    """Write aggregate table ``name`` into ``folder``."""
    frame.to_parquet(table_path(folder, name), index=False)


def read_table(folder: str | Path, name: str) -> pd.DataFrame:
    """Aggregate table ``name`` of ``folder``; a clear error when it is missing."""
    path = table_path(folder, name)
    if not path.exists():
        raise WorkbenchError(
            f"aggregate table {name!r} is missing from {folder}; run `workbench compute` again"
        )
    return pd.read_parquet(path)


def write_manifest(folder: str | Path, manifest: dict) -> None:
    """Write the manifest of ``folder``."""
    (Path(folder) / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def read_manifest(folder: str | Path) -> dict | None:
    """The manifest of the aggregates in ``folder``, or None when there are none."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
