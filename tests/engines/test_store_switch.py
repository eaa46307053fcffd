"""A store survives crashes and concurrency: one writer at a time (the lock), a switch that a
kill at any step leaves readable, leftovers cleared by the next load, SIGTERM like Ctrl-C."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from submission_files import person, write_submission
from workbench import load_store
from workbench.cli import main
from workbench.errors import EXIT_CODES, StoreBusyError
from workbench.ingest import ingest
from workbench.store_layout import CURRENT, VERSIONS, read_rows
from workbench.store_lock import writer_lock
from workbench.store_switch import STEPS

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _late(tmp_path: Path) -> Path:
    late = tmp_path / "late"
    write_submission(late, "mpi", "RXA", "20250203", [person("P9")])
    return late


def _run(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC, "WORKBENCH_PROGRESS": "0"}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )


def _leftovers(store: Path) -> list[str]:
    hidden = [p.name for p in store.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    partial = [p.name for p in (store / VERSIONS).iterdir() if not p.name.isdigit()]
    return hidden + partial


def test_a_second_writer_stops_with_exit_code_6_and_changes_nothing(
    small_submission, tmp_path, capsys
):
    store = tmp_path / "store"
    ingest(small_submission, store, progress=False)
    version = load_store(store).path
    with writer_lock(store):
        code = main(["ingest", str(_late(tmp_path)), "--into", str(store), "--quiet"])
    assert code == 7 and 7 in EXIT_CODES
    assert "another load is writing to this store" in capsys.readouterr().err
    assert load_store(store).path == version


@pytest.mark.e2e  # loads run as their own processes: left out of make test-fast
def test_a_second_writer_can_wait_for_the_first(small_submission, tmp_path):
    store = tmp_path / "store"
    ingest(small_submission, store, progress=False)
    held = threading.Event()

    def hold() -> None:
        with writer_lock(store):
            held.set()
            time.sleep(1.0)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    with pytest.raises(StoreBusyError):
        ingest(_late(tmp_path), store, progress=False, into=True)
    report = ingest(_late(tmp_path), store, progress=False, into=True, wait_seconds=30)
    holder.join()
    assert report["tables"]["mpi"]["loaded"] == 3


@pytest.mark.e2e  # a load run as its own process and killed: left out of make test-fast
@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_each_step_of_the_switch_leaves_a_readable_store(
    small_submission, tmp_path, step
):
    store = tmp_path / "store"
    ingest(small_submission, store, progress=False)
    late = _late(tmp_path)
    killed = _run(
        "import os, workbench.store_switch as s\n"
        f"s._reached = lambda step: os._exit(9) if step == {step!r} else None\n"
        "from workbench.ingest import ingest\n"
        f"ingest({str(late)!r}, {str(store)!r}, progress=False, into=True)\n"
    )
    assert killed.returncode == 9, killed.stderr
    loaded = load_store(store).report["tables"]["mpi"]["loaded"]
    assert loaded == (3 if step == "switched" else 2)  # the old version or the new, never none
    assert read_rows(store, "tables", "mpi").num_rows == loaded
    report = ingest(late, store, progress=False, into=True)  # clears what the kill left
    assert report["tables"]["mpi"]["loaded"] == 3
    assert _leftovers(store) == []
    assert len(list((store / VERSIONS).iterdir())) == 2  # the current one and the one before
    pointer = store / CURRENT  # a file naming the newest version, not a symlink
    assert not pointer.is_symlink() and pointer.read_text().strip() == max(
        p.name for p in (store / VERSIONS).iterdir()
    )


@pytest.mark.e2e  # a load run as its own process: left out of make test-fast
def test_sigterm_stops_a_load_like_ctrl_c(small_submission, tmp_path):
    store = tmp_path / "store"
    ingest(small_submission, store, progress=False)
    version = load_store(store).path
    stopped = _run(
        "import os, signal, workbench.ingest.run as run\n"
        "def stop(*a, **k):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    raise AssertionError('SIGTERM did not stop the load')\n"
        "run.load_staged = stop\n"
        "from workbench.cli import main\n"
        f"raise SystemExit(main(['ingest', {str(_late(tmp_path))!r}, '--into', {str(store)!r}, "
        "'--quiet']))\n"
    )
    assert stopped.returncode == 143, stopped.stderr
    assert "stopped (SIGTERM)" in stopped.stderr and "Traceback" not in stopped.stderr
    assert load_store(store).path == version
    assert _leftovers(store) == []


def test_the_readme_lists_every_exit_code_as_errors_declares_them():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = dict(
        (int(code), meaning.replace("`", ""))
        for code, meaning in (
            line.strip("| ").split(" | ", 1)
            for line in readme.splitlines()
            if line.startswith("| ") and line.split("|")[1].strip().isdigit()
        )
    )
    assert {code: text.rstrip(" |") for code, text in rows.items()} == EXIT_CODES


def test_folders_left_by_killed_runs_beside_aggregates_are_removed(tmp_path):
    from workbench.atomic import replace_folder

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], text=True, capture_output=True
    ).stdout.strip()
    stale = tmp_path / f".aggregates.partial-{gone}-abc"
    running = tmp_path / f".aggregates.old-{os.getppid()}"  # a run still going
    stale.mkdir()
    running.mkdir()
    replace_folder(
        tmp_path / "aggregates",
        lambda f: (f / "manifest.json").write_text("{}"),
        marker="manifest.json",
    )
    assert not stale.exists() and running.exists()
    assert (tmp_path / "aggregates" / "manifest.json").exists()
