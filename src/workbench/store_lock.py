"""The store's writer lock: one load at a time into a store, readers never blocked.

The lock is an exclusive lock on ``STORE/.lock`` (store_layout.py) taken through the
``filelock`` package: ``flock`` on Linux and macOS, ``LockFileEx`` on Windows (and, where a
network file system has neither, a lock file naming its holder, which a later load may break
once that holder is gone). The operating system drops a native lock when the holder ends,
however it ends (crash, SIGKILL), so a lock is never left behind by a dead process. A second
writer waits up to ``wait_seconds`` and then stops with :class:`~workbench.errors.StoreBusyError`
(exit code 7), having changed nothing. The workbench never removes the lock file itself: a
waiting load holds it open (a first load that fails leaves the store folder holding it alone).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from workbench.errors import StoreBusyError, output_error
from workbench.store_layout import LOCK

POLL_SECONDS = 0.2


@contextmanager
def writer_lock(store: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the writer lock of ``store`` (creating the folder if needed) for the ``with`` block."""
    store = Path(store)
    try:  # the first write into the store's folder: a read-only or full disk shows here
        store.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise output_error(err, store) from None
    lock = FileLock(store / LOCK, timeout=max(wait_seconds, 0.0), poll_interval=POLL_SECONDS)
    try:
        lock.acquire()
    except Timeout:
        raise StoreBusyError(
            f"{store}: another load is writing to this store (its writer lock is held; waited "
            f"{wait_seconds:g} s). Nothing was changed; run again when it has finished, or give "
            "--wait SECONDS to wait longer"
        ) from None
    except OSError as err:
        raise output_error(err, store) from None
    try:
        yield
    finally:
        lock.release()
