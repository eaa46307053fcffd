"""Switching a store to a new version with no moment at which no store exists, and clearing
what interrupted runs and earlier versions left behind.

A load builds its version in ``versions/<n>.partial-<pid>``, renames it to ``versions/<n>``,
writes the new pointer beside ``CURRENT`` (``.CURRENT.partial-*``) and renames it over
``CURRENT`` (``os.replace`` is atomic, so a reader sees the old version or the new one, never
neither; no symlink is needed, so this works on Windows without administrator rights, on network
drives and in cloud folders). Killed at any step, the store still shows the previous version,
and the next load removes what was left (partial versions, a version never switched to, spare
pointer files) while holding the writer lock. The version before the current one is kept, so
that a reader that opened it just before a switch can finish; of older versions only the files
a kept version's manifest names are kept (store_layout.py). The symlinks of a store written
before the pointer file (``current``, ``tables``, ...) are removed by its first load.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from workbench.atomic import temporary_sibling
from workbench.errors import WorkbenchError
from workbench.pause import reached
from workbench.store_layout import (
    CURRENT,
    FACTS_FOLDER,
    HISTORY_JSON,
    LOCK,
    OLD_LINKS,
    OLD_POINTER,
    VERSIONS,
    current_version,
    is_version_name,
    is_versioned,
    read_pointer,
    version_files,
    version_name,
)

#: The steps of a switch, in order; a test stops the process at each one.
STEPS = ("built", "renamed", "pointed", "switched")
#: How long a switch retries replacing ``CURRENT`` while a reader has it open (Windows refuses
#: to replace an open file; a reader holds it for the moment it takes to read six digits).
REPLACE_SECONDS = 10.0


def _reached(step: str) -> None:
    """Called after each step of :data:`STEPS`: a pause point (``switch:<step>``,
    :mod:`workbench.pause`); tests also stop the process here."""
    reached(f"switch:{step}")


def _numbers(versions: Path) -> list[int]:
    """The numbers of every version folder, complete or not (a number is never reused while
    its folder holds files)."""
    if not versions.is_dir():
        return []
    return sorted(int(p.name) for p in versions.iterdir() if is_version_name(p.name))


def _remove(path: Path, removed: list[str]) -> None:
    """Remove ``path`` (a file, link or folder); a file another process holds open (Windows)
    is left for the next load."""
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
        else:
            shutil.rmtree(path)
    except OSError:
        return
    removed.append(path.name)


def _named_by(store: Path, kept: list[int]) -> set[str]:
    """Every file the manifests of the ``kept`` versions name (normalised absolute paths)."""
    named: set[str] = set()
    for number in kept:
        version = store / VERSIONS / version_name(number)
        for entries in (version_files(version) or {}).values():
            named.update(os.path.normpath(version / entry) for entry in entries)
    return named


def _drop_version(folder: Path, named: set[str], removed: list[str]) -> None:
    """Remove a version no longer kept: every file in it that no kept manifest names, then its
    empty folders. Its history goes first, so a folder half cleared is no longer a version."""
    _remove(folder / HISTORY_JSON, removed)
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            _remove_if_empty(path)
        elif os.path.normpath(path) not in named:
            _remove(path, removed)
    if _remove_if_empty(folder):
        removed.append(folder.name)


def _remove_if_empty(folder: Path) -> bool:
    """Remove ``folder`` if it is empty; whether it was."""
    try:
        folder.rmdir()
    except OSError:
        return False
    return True


def _remove_old_pointer(store: Path) -> list[str]:
    """Remove the symlinks of a store written before ``CURRENT`` (``current``, ``tables``,
    ...), once ``CURRENT`` is written. On a file system that ignores case, ``current`` is
    ``CURRENT`` itself, a file: only symlinks go."""
    removed: list[str] = []
    for name in (OLD_POINTER, *OLD_LINKS):
        if (store / name).is_symlink():
            _remove(store / name, removed)
    return removed


def clean_leftovers(store: Path) -> list[str]:
    """Remove what interrupted runs left in and beside ``store``, and the versions no longer
    kept; returns what was removed. Call only while holding the writer lock."""
    store = Path(store)
    removed: list[str] = []
    for path in store.parent.glob(f".{store.name}.*"):  # the former whole-folder swap
        if re.match(rf"^\.{re.escape(store.name)}\.(partial|old)-", path.name):
            _remove(path, removed)
    if not store.is_dir():
        return removed
    for path in [*store.glob(f".{OLD_POINTER}-*"), *store.glob(f".{CURRENT}.partial-*")]:
        _remove(path, removed)
    versions = store / VERSIONS
    if versions.is_dir():
        for path in versions.iterdir():
            if not is_version_name(path.name):
                _remove(path, removed)  # partial versions
    if is_versioned(store):
        current = int(current_version(store).name)
        older = [
            n
            for n in _numbers(versions)
            if n < current and (versions / version_name(n) / HISTORY_JSON).exists()
        ]
        keep = [current, *older[-1:]]
        named = _named_by(store, keep)
        for number in _numbers(versions):
            if number not in keep:
                _drop_version(versions / version_name(number), named, removed)
        if read_pointer(store) is not None:  # upgraded: the old pointer has given way
            removed += _remove_old_pointer(store)
    return removed


def drop_other_versions(store: Path) -> list[str]:
    """Remove every version but the current one, and every file no longer named by its
    manifest (a purge: no earlier copy of a purged row may stay); returns what was removed.
    Call only while holding the writer lock."""
    versions = Path(store) / VERSIONS
    current = int(current_version(store).name)
    named = _named_by(Path(store), [current])
    removed: list[str] = []
    for number in _numbers(versions):
        if number != current:
            _drop_version(versions / version_name(number), named, removed)
    return removed


def check_store_folder(store: Path, marker: str) -> None:
    """Refuse a ``store`` folder that is not empty and not a store (it is not the workbench's)."""
    if store.exists() and not store.is_dir():
        raise WorkbenchError(f"{store} is a file, not a store folder; choose another --out folder")
    if store.is_dir() and not is_versioned(store):
        others = [p for p in store.iterdir() if not _is_lock_or_versions(p)]
        if others and not (store / marker).exists():
            raise WorkbenchError(
                f"{store} exists and was not written by the workbench (no {marker}); choose "
                "another --out folder"
            )


def _is_lock_or_versions(path: Path) -> bool:
    """The writer lock (and any file the lock keeps beside it), the versions folder, or a
    pointer a killed first load wrote but never put in force (``.CURRENT.partial-*``): what
    a first load leaves at any step, which the next load clears (:func:`clean_leftovers`)."""
    return (
        path.name.startswith((LOCK, f".{CURRENT}.partial-", f".{OLD_POINTER}-"))
        or path.name == VERSIONS
    )


def discard_first_load(store: Path) -> None:
    """Remove what a first load that failed wrote into ``store``, all but the writer lock: a
    loader waiting for the lock holds it open, and must find it (and the folder) when it gets
    it. Call only while holding the writer lock."""
    for path in Path(store).iterdir():
        if not path.name.startswith(LOCK):
            _remove(path, [])


def _point(store: Path, name: str) -> Path:
    """Write the pointer to version ``name`` beside ``CURRENT`` (not yet in force)."""
    pointer = temporary_sibling(store / CURRENT)
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return pointer


def _replace(source: Path, target: Path) -> None:
    """``os.replace``, retried for a while if ``target`` is open in another process (Windows
    refuses to replace an open file)."""
    deadline = time.monotonic() + REPLACE_SECONDS
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _clear_legacy(store: Path) -> None:
    """Remove the top-level files of a store written before versions: they give way to the
    versions folder and the pointer."""
    for name in (*OLD_LINKS, FACTS_FOLDER):
        path = store / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def publish_version(store: Path, build: Callable[[Path, Path | None], int]) -> Path:
    """Build the next version of ``store`` with ``build(folder, previous_version)`` and switch
    the store to it. ``build`` returns this load's number. Hold the writer lock around this."""
    store = Path(store).resolve()
    legacy = (
        store.is_dir()
        and not is_versioned(store)
        and any(not _is_lock_or_versions(p) for p in store.iterdir())
    )
    previous = current_version(store) if is_versioned(store) else None
    versions = store / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    number = max(_numbers(versions), default=0) + 1
    partial = versions / f"{version_name(number)}.partial-{os.getpid()}"
    partial.mkdir()
    try:
        build(partial, previous)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _reached("built")
    final = versions / version_name(number)
    partial.rename(final)
    _reached("renamed")
    pointer = _point(store, final.name)
    _reached("pointed")
    if legacy:
        _clear_legacy(store)
    _replace(pointer, store / CURRENT)
    _reached("switched")
    clean_leftovers(store)
    return final
