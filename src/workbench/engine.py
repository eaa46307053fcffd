"""The one place that knows which engine runs record-level work.

DuckDB, embedded, is the default and needs nothing beyond the package. The measures reach the
engine only through Ibis expressions, so the same code can later run on Spark.
"""

from __future__ import annotations

import ibis
from ibis.backends import BaseBackend

from workbench.errors import WorkbenchError

ENGINES = ("duckdb",)


def connect(engine: str = "duckdb", threads: int | None = None) -> BaseBackend:
    """An Ibis connection to ``engine`` (only ``duckdb`` so far), in memory."""
    if engine != "duckdb":
        raise WorkbenchError(
            f"engine {engine!r} is not available; choose one of: {', '.join(ENGINES)}"
        )
    kwargs = {"threads": threads} if threads else {}
    return ibis.duckdb.connect(**kwargs)
