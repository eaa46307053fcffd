"""Batch workers end with their parent: a worker whose parent is gone stops rendering.

Run as the pool's initializer. On Linux the kernel sends the worker SIGTERM when its parent
dies (``prctl(PR_SET_PDEATHSIG)``); everywhere, a daemon thread also checks once a second that
the parent is still the one that started the worker, and ends the worker if not.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
CHECK_SECONDS = 1.0


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(143)  # the parent is gone: nothing is waiting for this work
        time.sleep(CHECK_SECONDS)


def end_with_parent(parent: int) -> None:
    """Make this worker end when process ``parent`` (the one that started it) ends."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass  # the watching thread below still ends the worker
    if os.getppid() != parent:
        os._exit(143)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="end-with-parent").start()
