"""The one place that knows which engine runs record-level work.

DuckDB, embedded, is the default and needs nothing beyond the package. Spark (the optional
``spark`` extra, with Java 17) runs the same measure code: the measures reach an engine only
through Ibis expressions. The portable subset the measures keep to, so both engines give the
same numbers:

- cast timestamps to dates before day differences; day differences with ``delta(unit="day")``;
- no ``first(order_by=)``: pick a first or last row with min/max on a date and a join back, or a
  window with a deterministic tie-breaker (date, then id);
- exact quantiles only (``quantile``: DuckDB ``percentile_cont``, Spark ``percentile``, both
  linear interpolation, type 7); never a median of a date column;
- filter NULL keys before window functions;
- one Spark session per process, with Arrow on and ``PYSPARK_PYTHON`` set to this interpreter.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import weakref
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

import duckdb
import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis.backends import BaseBackend

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

ENGINES = ("duckdb", "spark")


DEFAULT_DUCKDB_MEMORY = "6GB"


def duckdb_memory_limit() -> str:
    """DuckDB's memory limit: ``WORKBENCH_DUCKDB_MEMORY`` or 6GB, so that record-level work
    spills to disk rather than taking most of a shared machine's memory."""
    return os.environ.get("WORKBENCH_DUCKDB_MEMORY", DEFAULT_DUCKDB_MEMORY)


_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}


def size_in_bytes(size: str) -> int:
    """A DuckDB size setting (``6GB``, ``512 MiB``, ``8GB``) in bytes, with DuckDB's units (KB,
    MB, GB and TB in powers of 1000; KiB, MiB, GiB and TiB in powers of 1024). WorkbenchError on
    a size it cannot read."""
    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", size)
    unit = found.group(2).lower() if found else ""
    if not found or unit not in _SIZE_UNITS:
        raise WorkbenchError(
            f"the DuckDB memory limit {size!r} is not a size; give a number and a unit such as "
            "6GB or 512MB (WORKBENCH_DUCKDB_MEMORY or --memory-limit)"
        )
    return int(float(found.group(1)) * _SIZE_UNITS[unit])


def duckdb_spill_folder() -> str:
    """Where DuckDB spills what does not fit in memory."""
    return os.path.join(tempfile.gettempdir(), "workbench-duckdb-spill")


def spark_available() -> str | None:
    """None when Spark can run here, else the reason it cannot."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'chs-workbench[spark]')"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "Java 17 is not installed (Spark needs a Java runtime)"
    return None


@cache
def spark_session() -> SparkSession:
    """The process's one Spark session, with Arrow on and UTC session time: local, or on the
    cluster ``WORKBENCH_SPARK_MASTER`` names, or through Spark Connect when pyspark's own
    ``SPARK_REMOTE`` is set (``sc://host:15002``; then the cluster's settings stand)."""
    if os.environ.get("SPARK_REMOTE"):
        from pyspark.sql import SparkSession

        session = SparkSession.builder.getOrCreate()
        session.conf.set("spark.sql.session.timeZone", "UTC")
        return session
    reason = spark_available()
    if reason:
        raise WorkbenchError(f"the Spark engine cannot start: {reason}")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(os.environ.get("WORKBENCH_SPARK_MASTER", "local[2]"))
        .appName("chs-workbench")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", os.environ.get("WORKBENCH_SPARK_MEMORY", "4g"))
        .getOrCreate()
    )


def register_frame(con: BaseBackend, name: str, frame: pd.DataFrame) -> ir.Table:
    """Hand a small pandas frame (reference data) to the engine as a named table."""
    if con.name == "duckdb":
        return con.create_table(name, frame, temp=True, overwrite=True)
    if con.name == "pyspark":
        con._session.createDataFrame(frame).createOrReplaceTempView(name)
        return con.table(name)
    raise WorkbenchError(f"cannot register reference data on engine {con.name!r}")


#: The first DuckDB the engine cannot use: Ibis 12 calls ``fetch_arrow_table``, which DuckDB
#: 2.0 removed (pyproject.toml pins ``duckdb<1.6`` and ``ibis-framework==12.0.0`` for this).
UNSUPPORTED_DUCKDB = 2


def check_duckdb_version(version: str | None = None) -> None:
    """WorkbenchError, saying why and what to install, when ``version`` (default: the installed
    DuckDB's) is :data:`UNSUPPORTED_DUCKDB` or later; nothing otherwise."""
    version = version or duckdb.__version__
    major = version.split(".")[0]
    if major.isdigit() and int(major) >= UNSUPPORTED_DUCKDB:
        raise WorkbenchError(
            f"DuckDB {version} is installed, but the workbench runs on DuckDB 1.5 only: Ibis 12 "
            "(the layer the measures are written in) calls fetch_arrow_table, which DuckDB 2 "
            "removed. Install the versions the workbench declares, in its own environment: "
            "pip install 'duckdb>=1.5,<1.6' (or pip install -r requirements.lock)"
        )


#: The DuckDB connections open in this process (:func:`track`), interrupted together when the
#: command is stopped (:func:`interrupt_duckdb`).
_OPEN: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()


def track(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Keep ``con`` among the connections :func:`interrupt_duckdb` stops; returns it."""
    _OPEN.add(con)
    return con


def interrupt_duckdb() -> None:
    """Interrupt the query under way on every tracked DuckDB connection, so that a stopped
    command ends at once: DuckDB's worker threads, or a result still being read, would otherwise
    finish their query first (seconds to minutes on a large store) and hold the process open."""
    connections: list[duckdb.DuckDBPyConnection] = []
    for _ in range(3):  # the main thread may open one while the watcher thread reads the set
        with contextlib.suppress(RuntimeError):
            connections = list(_OPEN)
            break
    for con in connections:
        with contextlib.suppress(duckdb.Error, RuntimeError):
            con.interrupt()


@contextlib.contextmanager
def interrupted_by_signals() -> Iterator[None]:
    """While the block runs, a signal that has a Python handler (SIGTERM, SIGINT) also
    interrupts every tracked DuckDB query at once, from a watcher thread woken by the signal
    itself (:func:`signal.set_wakeup_fd`): the handler runs only once the main thread is back in
    Python, which a long query, or a result read as Arrow, may delay for many seconds. Call
    from the main thread. Where no socket pair can be made, the block runs without a watcher."""
    try:
        reader, writer = socket.socketpair()
    except OSError:
        yield
        return
    writer.setblocking(False)
    previous = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)

    def watch() -> None:
        with contextlib.suppress(OSError):  # the socket closed under it: the block has ended
            while reader.recv(64):  # empty once the block has ended
                interrupt_duckdb()

    watcher = threading.Thread(target=watch, name="workbench-signals", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        writer.close()
        watcher.join(timeout=1)
        reader.close()


def connect(engine: str = "duckdb", threads: int | None = None) -> BaseBackend:
    """An Ibis connection to ``engine``: ``duckdb`` (in memory) or ``spark`` (local session,
    or the master named by ``WORKBENCH_SPARK_MASTER``). WorkbenchError on a DuckDB the
    engine cannot use (:func:`check_duckdb_version`)."""
    if engine == "duckdb":
        check_duckdb_version()
        options = {
            "memory_limit": duckdb_memory_limit(),
            "temp_directory": duckdb_spill_folder(),
        }
        con = ibis.duckdb.connect(**options, **({"threads": threads} if threads else {}))
        track(con.con)
        # no bars in reports or logs; inside Jupyter DuckDB refuses the setting without
        # ipywidgets, and shows no bar there anyway
        with contextlib.suppress(duckdb.Error):
            con.raw_sql("SET enable_progress_bar = false")
        return con
    if engine == "spark":
        return ibis.pyspark.connect(spark_session())
    raise WorkbenchError(f"engine {engine!r} is not available; choose one of: {', '.join(ENGINES)}")
