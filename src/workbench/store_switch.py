"""Switching a store to a new version with no moment at which no store exists, and clearing
what interrupted runs left behind.

A load builds its version in ``versions/<n>.partial-<pid>``, renames it to ``versions/<n>``,
makes a new link ``.current-<pid>`` to it and renames that over ``current`` (``rename`` is
atomic, so a reader sees the old version or the new one, never neither). Killed at any step, the
store still shows the previous version, and the next load removes what was left (partial
versions, a version never switched to, spare links) while holding the writer lock. The version
before the current one is kept, so that a reader that opened it just before a switch can finish.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.store_layout import (
    CURRENT,
    FACTS_FOLDER,
    LINKED,
    LOCK,
    VERSIONS,
    current_version,
    is_versioned,
    version_name,
)

#: The steps of a switch, in order; a test stops the process at each one.
STEPS = ("built", "renamed", "linked", "switched")
_VERSION = re.compile(r"^\d{6}$")


def _reached(step: str) -> None:
    """Called after each step of :data:`STEPS` (tests stop the process here)."""


def _numbers(versions: Path) -> list[int]:
    if not versions.is_dir():
        return []
    return sorted(int(p.name) for p in versions.iterdir() if _VERSION.match(p.name))


def _link_fixed_names(store: Path) -> None:
    """Make ``STORE/tables`` etc. links into ``current`` (once; they never change)."""
    for name in LINKED:
        link = store / name
        if not link.is_symlink():
            link.symlink_to(Path(CURRENT) / name)


def clean_leftovers(store: Path) -> list[str]:
    """Remove what interrupted runs left in and beside ``store``; returns what was removed.
    Call only while holding the writer lock."""
    store = Path(store)
    removed: list[str] = []

    def remove(path: Path) -> None:
        if path.is_symlink() or path.is_file():
            path.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)

    for path in store.parent.glob(f".{store.name}.*"):  # the former whole-folder swap
        if re.match(rf"^\.{re.escape(store.name)}\.(partial|old)-", path.name):
            remove(path)
    if not store.is_dir():
        return removed
    for link in store.glob(f".{CURRENT}-*"):
        remove(link)
    versions = store / VERSIONS
    if versions.is_dir():
        for path in versions.iterdir():
            if not _VERSION.match(path.name):
                remove(path)  # partial versions
    if is_versioned(store):
        current = int(current_version(store).name)
        older = [n for n in _numbers(versions) if n < current]
        keep = {current, *older[-1:]}
        for number in _numbers(versions):
            if number not in keep:
                remove(versions / version_name(number))
        _link_fixed_names(store)
    return removed


def check_store_folder(store: Path, marker: str) -> None:
    """Refuse a ``store`` folder that is not empty and not a store (it is not the workbench's)."""
    if store.exists() and not store.is_dir():
        raise WorkbenchError(f"{store} is a file, not a store folder; choose another --out folder")
    if store.is_dir() and not is_versioned(store):
        others = [p for p in store.iterdir() if p.name not in (LOCK, VERSIONS)]
        if others and not (store / marker).exists():
            raise WorkbenchError(
                f"{store} exists and was not written by the workbench (no {marker}); choose "
                "another --out folder"
            )


def publish_version(store: Path, build: Callable[[Path, Path | None], int]) -> Path:
    """Build the next version of ``store`` with ``build(folder, previous_version)`` and switch
    the store to it. ``build`` returns this load's number. Hold the writer lock around this."""
    store = Path(store).resolve()
    legacy = (
        store.is_dir()
        and not is_versioned(store)
        and any(p.name not in (LOCK, VERSIONS) for p in store.iterdir())
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
    link = store / f".{CURRENT}-{os.getpid()}"
    link.symlink_to(Path(VERSIONS) / final.name)
    _reached("linked")
    if legacy:  # a store written before versions: its files give way to the links
        for name in (*LINKED, FACTS_FOLDER):
            path = store / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
    os.replace(link, store / CURRENT)
    _reached("switched")
    _link_fixed_names(store)
    clean_leftovers(store)
    return final
