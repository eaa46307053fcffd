"""A stopped command ends within seconds even while DuckDB works: the signal's handler runs only
once the main thread is back in Python, so a watcher thread woken by the signal interrupts the
queries under way (workbench.engine.interrupted_by_signals); without it a query read as Arrow
ran to its end (a SIGTERM during compute waited 19 s, then wrote the aggregates)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
#: A query that runs for minutes, read as Arrow batches (the way that held the process open).
SLOW_COMMAND = """
import sys
import duckdb
from workbench.startup import install_starting_handlers

sys.argv = ["workbench"]
install_starting_handlers()
from workbench import cli
from workbench.engine import track


def slow(args):
    con = track(duckdb.connect())
    print("querying", flush=True)
    query = "SELECT sum(hash(a.range * b.range)) FROM range(1000000) a, range(1000000) b"
    con.execute(query).fetch_record_batch().read_all()
    return 0


class Parser:
    def parse_args(self, argv):
        args = real().parse_args(["spec"])
        args.command, args.run = "slow", slow
        return args


real, cli.build_parser = cli.build_parser, Parser
sys.exit(cli.main([]))
"""
SECONDS = 5.0  # "within about a second" on a quiet machine; a few on a busy one
EXIT = {signal.SIGTERM: 143, signal.SIGINT: 130}


def _stopped_after(run: subprocess.Popen, signum: int) -> tuple[float, str]:
    """Send ``signum``; the seconds until the process ended, and what it said."""
    sent = time.monotonic()
    run.send_signal(signum)
    try:
        out, err = run.communicate(timeout=120)
    finally:
        run.kill()
    return time.monotonic() - sent, out + err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_a_long_duckdb_query_at_once(signum):
    run = subprocess.Popen(
        [sys.executable, "-c", SLOW_COMMAND],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stdout is not None and run.stdout.readline() == "querying\n"
    time.sleep(1.0)  # well into the query
    seconds, said = _stopped_after(run, signum)
    assert run.returncode == EXIT[signum], said
    assert "Traceback" not in said and "Exception ignored" not in said, said
    assert seconds < SECONDS, f"{seconds:.1f} s to stop"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store of one provider of the committed sample (24 months)."""
    folder = tmp_path_factory.mktemp("latency") / "store"
    source = ROOT / "data" / "synthetic" / "sample" / "SYN01"
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "ingest", str(source), "--out", str(folder)],
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return folder


@pytest.mark.parametrize("delay", [2.0, 3.5, 5.0])
def test_compute_stops_within_seconds_of_a_sigterm(store, tmp_path, delay):
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    run = subprocess.Popen(
        [sys.executable, "-m", "workbench", "compute", str(copy), "--out", str(tmp_path / "out")],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    seconds, said = _stopped_after(run, signal.SIGTERM)
    assert run.returncode in (143, 0), said
    assert "Traceback" not in said and "Exception ignored" not in said, said
    if run.returncode == 143:
        assert seconds < SECONDS, f"{seconds:.1f} s to stop"
        replaced = (tmp_path / "out").exists()
        nothing = "nothing was changed" if "while starting" in said else "nothing was replaced"
        assert ("the output was replaced first" if replaced else nothing) in said
