"""The batch manifest (``output/manifest.json``): one record per report with what it was made
from (parameters, data snapshot checksum, package version, notebook checksum), when, how long it
took and how it ended. Also the rule for resuming: a report is up to date when its files exist
and its record matches what would be made now."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from workbench.atomic import write_atomic

MANIFEST = "manifest.json"
STATUSES = ("ok", "failed", "skipped")
MATCH_KEYS = ("parameters", "data_snapshot", "package_version", "notebook_sha256")


def report_key(level: str, org_code: str, notebook: str) -> str:
    """The identity of a report in a batch: ``level/org_code/notebook``."""
    return f"{level}/{org_code}/{notebook}"


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(output: str | Path) -> dict:
    """The manifest of an earlier run into ``output`` (empty if none or unreadable)."""
    path = Path(output) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def previous_records(manifest: dict) -> dict[str, dict]:
    """The records of a manifest by report key."""
    out = {}
    for record in manifest.get("reports", []):
        try:
            out[report_key(record["level"], record["org_code"], record["notebook"])] = record
        except (KeyError, TypeError):
            continue
    return out


def is_up_to_date(record: dict | None, wanted: dict, output: Path) -> bool:
    """True when ``record`` (from the last run) ended well, its report files (and spreadsheet,
    if it had one) still exist and it
    was made with the same parameters, data snapshot, package version and notebook as
    ``wanted``: then rendering it again would give the same report."""
    if not record or record.get("status") not in ("ok", "skipped"):
        return False
    if any(record.get(k) != wanted.get(k) for k in MATCH_KEYS):
        return False
    if "spreadsheet" not in record:  # made before reports had spreadsheets
        return False
    if record["spreadsheet"] and not (output / record["spreadsheet"]).is_file():
        return False
    outputs = record.get("outputs") or {}
    if set(outputs) != set(wanted.get("formats", outputs)):
        return False
    return bool(outputs) and all((output / rel).is_file() for rel in outputs.values())


def write_manifest(output: str | Path, manifest: dict) -> Path:
    """Write ``manifest`` to ``output/manifest.json`` atomically."""
    return write_atomic(Path(output) / MANIFEST, json.dumps(manifest, indent=2, default=str) + "\n")
