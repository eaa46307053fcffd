"""Writing outputs so that a reader never sees half of one and an interrupted run leaves the
previous one intact: one file (:func:`write_atomic`: a temporary sibling, flushed, then renamed
over the target; ``os.replace`` is atomic on one file system) or a whole folder such as a store
or a set of aggregates (:func:`replace_folder`: built beside the old one, then swapped in)."""

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


def temporary_sibling(target: Path, suffix: str = "") -> Path:
    """A new, empty, hidden file beside ``target`` (same folder, so a rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.partial-", suffix=suffix, dir=target.parent)
    os.close(fd)
    os.chmod(name, 0o666 & ~_umask())  # as an ordinary new file would be, not mkstemp's 0600
    return Path(name)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(target: str | Path, content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8, or bytes) to ``target`` atomically; returns ``target``."""
    target = Path(target)
    data = content.encode("utf-8") if isinstance(content, str) else content
    partial = temporary_sibling(target)
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
