"""Replacing an output folder (a store, a set of aggregates) so that an interrupted run leaves
the previous one intact."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from workbench.errors import WorkbenchError

STORE_MARKER = "load_report.json"


def replace_folder(target: Path, build: Callable[[Path], None], marker: str = STORE_MARKER) -> None:
    """Build a new folder beside ``target`` with ``build(folder)``, then swap it into place.

    Until the swap the old folder is untouched; if ``build`` fails or the process is stopped,
    the partial folder is removed (or left as a hidden ``.<name>.partial-*`` sibling) and the old
    folder stays as it was. An existing ``target`` that is not empty and lacks ``marker`` (the
    file every such folder has: the load report of a store, the manifest of aggregates) is never
    replaced: it is not the workbench's.
    """
    target = Path(target).resolve()
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / marker).exists())
    ):
        raise WorkbenchError(
            f"{target} exists and was not written by the workbench (no {marker}); choose "
            "another --out folder"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        build(partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    partial.rename(target)
    shutil.rmtree(old, ignore_errors=True)
