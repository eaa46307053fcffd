"""Fixtures of the independent checks: the engine (DuckDB always, Spark marked ``spark`` and
skipped where it cannot run, as in tests/engines/conftest.py) and a small generated extract
ingested once a session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.engine import spark_available, spark_session

SPARK_MISSING = spark_available()

ENGINES = [
    "duckdb",
    pytest.param(
        "spark",
        marks=[
            pytest.mark.spark,
            pytest.mark.skipif(SPARK_MISSING is not None, reason=f"Spark: {SPARK_MISSING}"),
        ],
    ),
]

#: The generated extract: 3 providers, 5,000 referrals each a year, 12 monthly submissions from
#: April 2024, with the councils' CLD files the generator writes beside them.
GENERATE = [
    "--scale", "small", "--providers", "3", "--referrals-per-provider", "5000",
    "--months", "12", "--start", "2024-04-01", "--seed", "23", "--quiet",
]  # fmt: skip


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The engine name for ``load_store(..., engine=engine)``: "duckdb" or "spark"."""
    if request.param == "spark":
        spark_session()
    return request.param


def _workbench(*args: str) -> None:
    """Run the ``workbench`` command with this interpreter and this process's PYTHONPATH (exit
    code 5, loaded with quarantined files, is a load like any other here)."""
    done = subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 5):
        pytest.fail(f"workbench {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")


#: A store built beforehand (``workbench generate`` with GENERATE's options, then ``ingest``) to
#: check instead of generating one, for a tree whose generator and reader are changing apart.
PREBUILT = "WORKBENCH_LINKED_CHECK_STORE"


@pytest.fixture(scope="session")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated extract (with CLD) ingested into a store; its path (or the store
    ``WORKBENCH_LINKED_CHECK_STORE`` names)."""
    if os.environ.get(PREBUILT):
        return Path(os.environ[PREBUILT])
    folder = tmp_path_factory.mktemp("linked_independent")
    _workbench("generate", *GENERATE, str(folder / "extract"))
    _workbench("ingest", "--out", str(folder / "store"), "--no-feedback", "--quiet",
               str(folder / "extract"))  # fmt: skip
    return folder / "store"


@pytest.fixture(scope="session")
def hand_made_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made extract of hand_extract.py ingested into a store; its path."""
    from hand_store import hand_store

    return hand_store(tmp_path_factory.mktemp("linked_hand_made"))
