"""Facts on disk beside the store: each built once per store version, then read by every measure.

Layout: ``STORE/versions/<CURRENT>/facts/<name>.parquet`` (a file on DuckDB, part files on Spark)
and ``.../facts/manifest.json``, in the folder of the store version (store_layout.py), so
each version of the store has its own facts. The manifest records the store version the facts were
built from (the load report's ``source_sha256`` and ``loaded_at``), the package version,
:data:`FACTS_VERSION` and the facts built so far. A fact is built the first time a measure asks for
it, written under a temporary name and renamed into place, so a reader never sees half a fact. When
the store changes, the old facts are removed and rebuilt as they are asked for, unless the load
that changed it kept them (facts/carry.py writes the new version's facts and a manifest stamped
for it before the load switches the store). A store that cannot
be written to (a shared, read-only store) gets its facts built on the engine for the session.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import ibis.expr.types as ir
from tqdm import tqdm

from workbench.facts.catalogue import FACTS
from workbench.logs import progress_enabled
from workbench.store_layout import FACTS_FOLDER
from workbench.version import __version__

if TYPE_CHECKING:
    from workbench.store import Store


MANIFEST = "manifest.json"
#: Bump when the definition of any fact changes, so facts built by an older definition are
#: rebuilt.
FACTS_VERSION = 5

log = logging.getLogger(__name__)


def facts_stamp(store: Store) -> dict:
    """What identifies the store version facts are built from."""
    return stamp_of(store.report)


def stamp_of(report: dict) -> dict:
    """What identifies the store version whose load report is ``report``, for its facts: the
    report's ``source_sha256`` and ``loaded_at``, the package version and
    :data:`FACTS_VERSION`."""
    return {
        "source_sha256": report.get("source_sha256"),
        "loaded_at": report.get("loaded_at"),
        "workbench_version": __version__,
        "facts_version": FACTS_VERSION,
    }


def facts_folder(store: Store) -> Path:
    """Where the facts of ``store`` are kept."""
    return Path(store.path) / FACTS_FOLDER


def read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_manifest(folder: Path, manifest: dict) -> None:
    temp = folder / f".{MANIFEST}.{os.getpid()}"
    temp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(temp, folder / MANIFEST)


def _current_manifest(store: Store) -> dict:
    """The facts folder's manifest, after clearing the folder if it was built from another
    version of the store."""
    folder = facts_folder(store)
    stamp = facts_stamp(store)
    manifest = read_manifest(folder)
    if {k: manifest.get(k) for k in stamp} != stamp:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        manifest = {**stamp, "facts": []}
        write_manifest(folder, manifest)
    return manifest


def _write(store: Store, expr: ir.Table, path: Path) -> None:
    if store.con.name == "duckdb":
        store.con.to_parquet(expr, str(path))
    else:
        expr.to_parquet(str(path))


def _read(store: Store, path: Path, name: str) -> ir.Table:
    return store.con.read_parquet(str(path), table_name=f"fact_{name}_{store.tag}")


def _build_on_disk(store: Store, name: str) -> ir.Table:
    fact = FACTS[name]
    folder = facts_folder(store)
    manifest = _current_manifest(store)
    path = folder / f"{name}.parquet"
    if name not in manifest.get("facts", []) or not path.exists():
        log.info("building the %s fact of %s", name, store.path)
        temp = folder / f".{name}.{os.getpid()}.parquet"
        _write(store, fact.build(store, lambda n: fact_table(store, n)), temp)
        if path.is_dir():
            shutil.rmtree(path)
        os.replace(temp, path)
        manifest = read_manifest(folder)
        manifest["facts"] = sorted({*manifest.get("facts", []), name})
        write_manifest(folder, manifest)
    return _read(store, path, name)


def fact_table(store: Store, name: str) -> ir.Table:
    """The fact ``name`` of ``store`` as an Ibis table, built (and kept beside the store) the
    first time it is asked for, and again only when the store changes."""
    if name not in FACTS:
        raise KeyError(f"no fact {name!r}; the facts are: {', '.join(FACTS)}")
    key = f"fact:{name}"
    if key not in store._derived:
        try:
            store._derived[key] = _build_on_disk(store, name)
        except OSError as err:
            log.warning(
                "the %s fact cannot be kept beside the store (%s); building it for this session",
                name,
                err.strerror or err,
            )
            fact = FACTS[name]
            store._derived[key] = fact.build(store, lambda n: fact_table(store, n)).cache()
    return store._derived[key]


def build_facts(store: Store, progress: bool = False) -> None:
    """Build every fact of ``store`` that is missing or stale, now (compute does this first, so
    that its progress shows the record-level work apart from the aggregates)."""
    for name in tqdm(FACTS, desc="facts", unit="fact", disable=not progress_enabled(progress)):
        fact_table(store, name)
