"""The store's writer lock: one load at a time into a store, readers never blocked.

The lock is an exclusive ``flock`` on ``STORE/.lock`` (store_layout.py). The operating system
drops it when the holder ends, however it ends (crash, SIGKILL), so a lock is never left behind
by a dead process. A second writer waits up to ``wait_seconds`` and then stops with
:class:`~workbench.errors.StoreBusyError` (exit code 7), having changed nothing.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.errors import StoreBusyError, output_error
from workbench.store_layout import LOCK

POLL_SECONDS = 0.2


@contextmanager
def writer_lock(store: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the writer lock of ``store`` (creating the folder if needed) for the ``with`` block."""
    store = Path(store)
    try:  # the first write into the store's folder: a read-only or full disk shows here
        store.mkdir(parents=True, exist_ok=True)
        fd = os.open(store / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as err:
        raise output_error(err, store) from None
    try:
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        f"{store}: another load is writing to this store (its writer lock is "
                        f"held; waited {wait_seconds:g} s). Nothing was changed; run again when "
                        "it has finished, or give --wait SECONDS to wait longer"
                    ) from None
                time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
