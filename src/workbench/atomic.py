"""Writing outputs so that a reader never sees half of one and an interrupted run leaves the
previous one intact: one file (:func:`write_atomic`: a temporary sibling, flushed, then renamed
over the target; ``os.replace`` is atomic on one file system) or a whole folder such as a set
of aggregates (:func:`replace_folder`: built beside the old one, then swapped in; what killed
runs leave beside it is removed by the next). A store switches versions instead
(store_switch.py), so that there is no moment without one."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import psutil

from workbench.errors import WorkbenchError
from workbench.pause import reached
from workbench.store_layout import REPORT_JSON

STORE_MARKER = REPORT_JSON


def replace_folder(target: Path, build: Callable[[Path], None], marker: str = STORE_MARKER) -> None:
    """Build a new folder beside ``target`` with ``build(folder)``, then swap it into place.

    Until the swap the old folder is untouched; if ``build`` fails or the process is stopped
    (also between the swap's two renames, when the old folder is put back),
    the partial folder is removed (or, if the process is killed, left as a hidden
    ``.<name>.partial-<pid>-*`` sibling that the next run removes) and the old folder stays as
    it was. An existing ``target`` that is not empty and lacks ``marker`` (the
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
    remove_stale_siblings(target)
    partial = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.partial-{os.getpid()}-", dir=target.parent)
    )
    os.chmod(partial, 0o777 & ~_umask())  # as an ordinary new folder would be, not mkdtemp's 0700
    try:
        build(partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    try:
        reached("swap")
        partial.rename(target)
    except BaseException:  # stopped between the two renames: the old folder goes back
        if not target.exists() and old.exists():
            old.rename(target)
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether process ``pid`` is running (any user's; on Windows too, where ``os.kill(pid, 0)``
    would stop it)."""
    return psutil.pid_exists(pid)


def remove_stale_siblings(target: Path) -> list[Path]:
    """Remove the ``.<name>.partial-<pid>-*`` and ``.<name>.old-<pid>`` folders and files
    beside ``target`` that runs which are no longer running left (killed, or stopped by a
    crash); returns them. A run still going keeps its own. A run killed between the two renames
    of a swap left no ``target``: its ``.old-<pid>`` folder is renamed back to ``target``."""
    stale = []
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(partial|old)-(\d+)(-|$)")
    for path in target.parent.glob(f".{target.name}.*"):
        match = pattern.match(path.name)
        if not match or _running(int(match[2])):
            continue
        if match[1] == "old" and not target.exists():  # killed mid-swap: put the old one back
            path.rename(target)
        elif path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        stale.append(path)
    return stale


def temporary_sibling(target: Path, suffix: str = "") -> Path:
    """A new, empty, hidden file beside ``target`` (same folder, so a rename is atomic), named
    ``.<name>.partial-<pid>-*`` so that :func:`remove_stale_siblings` knows its owner."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name}.partial-{os.getpid()}-", suffix=suffix, dir=target.parent
    )
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
