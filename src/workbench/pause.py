"""Named steps of a run: where a stopped run ends at the latest, and where a fault test can
stop it exactly.

A signal's handler raises where the main thread is, but an exception raised inside a finalizer
or a library that catches everything is lost; so a handler also calls :func:`stop_at_next_step`,
and the next step a run reaches raises it again (:func:`reached`).

A run passes :func:`reached` at each step boundary of ``ingest`` and ``compute``. When the
environment variable :data:`PAUSE_AT` names the step, the run writes the marker file named by
:data:`PAUSE_MARKER` (its process id, then the step) and sleeps, so that a test can send it
SIGKILL, SIGTERM or SIGINT exactly there; unset (always, outside the fault tests), a step costs
one dictionary look-up and does nothing. A step pauses once per process, at most
:data:`PAUSE_SECONDS`, then the run goes on. The steps, in the order a run reaches them:

``ingest``: ``ingest:start`` (before any file is read), ``ingest:locked`` (the writer lock
held, before leftovers are cleared), ``ingest:resume`` (before feedback a stopped run left
unwritten is written), ``ingest:staging`` (the staging folder made, before the files are read),
``ingest:guard`` (the first rows read and checked by the identifier guard, before they are
staged), ``ingest:load:<table>`` (before each table of :data:`workbench.spec.EXTRACT_TABLES`),
``ingest:history`` (every table loaded, before the history and report are written),
``ingest:facts`` (before the new version's facts are written from the previous version's),
``ingest:export`` (before the plain Parquet export), ``switch:built``, ``switch:renamed``,
``switch:pointed``, ``switch:switched`` (store_switch.py: the new version built, renamed into
place, its pointer written, the pointer in force), ``ingest:feedback`` (before the providers'
feedback is written), ``ingest:done`` (all written, before the command returns).

``compute``: ``compute:facts`` (before the facts are built), ``compute:aggregates`` (before the
first aggregate table), ``compute:write`` (the first table written), ``compute:manifest``
(before the manifest), ``swap`` (atomic.py: the previous output moved aside, the new not yet in
its place), ``compute:done`` (the new output in place, before the command returns).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

#: The environment variable naming the step to pause at.
PAUSE_AT = "WORKBENCH_PAUSE_AT"
#: The environment variable naming the marker file written on pausing.
PAUSE_MARKER = "WORKBENCH_PAUSE_MARKER"
#: The longest a run pauses at a step.
PAUSE_SECONDS = 120.0

_paused: set[str] = set()
#: The error a signal's handler raised (:func:`stop_at_next_step`), raised again at each step.
_stopping: list[type[BaseException]] = []


def stop_at_next_step(error: type[BaseException] | None) -> None:
    """Raise ``error`` at every step reached from now on (None: no longer)."""
    _stopping[:] = [error] if error is not None else []


def reached(step: str) -> None:
    """The run has reached ``step``: raise the error of a signal received (in case its own
    raise was lost), and pause there if :data:`PAUSE_AT` names it (see above)."""
    if _stopping:
        raise _stopping[-1]
    if os.environ.get(PAUSE_AT) != step or step in _paused:
        return
    _paused.add(step)
    marker = os.environ.get(PAUSE_MARKER)
    if marker:
        Path(marker).write_text(f"{os.getpid()} {step}\n", encoding="utf-8")
    deadline = time.monotonic() + PAUSE_SECONDS
    while time.monotonic() < deadline:  # a signal's handler runs (and may raise) in here
        time.sleep(0.05)
