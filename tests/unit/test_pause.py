"""The named steps of a run (workbench.pause): nothing unless asked, a pause with its marker
when asked, and the error of a signal raised again at the next step; and a folder swap stopped
between its two renames, or killed there, puts the previous folder back (workbench.atomic)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench import pause
from workbench.atomic import remove_stale_siblings, replace_folder


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(pause, "_paused", set())
    pause.stop_at_next_step(None)
    yield
    pause.stop_at_next_step(None)


def test_a_step_does_nothing_unless_named(monkeypatch, tmp_path):
    monkeypatch.delenv(pause.PAUSE_AT, raising=False)
    monkeypatch.setenv(pause.PAUSE_MARKER, str(tmp_path / "marker"))
    started = time.monotonic()
    pause.reached("ingest:start")
    monkeypatch.setenv(pause.PAUSE_AT, "ingest:export")
    pause.reached("ingest:start")
    assert time.monotonic() - started < 0.5 and not (tmp_path / "marker").exists()


def test_the_named_step_writes_its_marker_and_pauses_once(monkeypatch, tmp_path):
    monkeypatch.setenv(pause.PAUSE_AT, "ingest:export")
    monkeypatch.setenv(pause.PAUSE_MARKER, str(tmp_path / "marker"))
    monkeypatch.setattr(pause, "PAUSE_SECONDS", 0.3)
    started = time.monotonic()
    pause.reached("ingest:export")
    assert time.monotonic() - started >= 0.3
    assert (tmp_path / "marker").read_text() == f"{os.getpid()} ingest:export\n"
    started = time.monotonic()
    pause.reached("ingest:export")  # once per process
    assert time.monotonic() - started < 0.3


def test_a_stop_is_raised_at_every_step_until_cleared(monkeypatch):
    monkeypatch.delenv(pause.PAUSE_AT, raising=False)
    pause.stop_at_next_step(KeyboardInterrupt)
    for step in ("compute:write", "compute:manifest"):
        with pytest.raises(KeyboardInterrupt):
            pause.reached(step)
    pause.stop_at_next_step(None)
    pause.reached("compute:write")


def _build(marker: str):
    def build(folder: Path) -> None:
        (folder / "manifest.json").write_text(marker)

    return build


def test_a_swap_stopped_between_its_renames_puts_the_old_folder_back(monkeypatch, tmp_path):
    target = tmp_path / "aggregates"
    replace_folder(target, _build("old"), marker="manifest.json")
    pause.stop_at_next_step(KeyboardInterrupt)  # as a signal at the step "swap" would
    with pytest.raises(KeyboardInterrupt):
        replace_folder(target, _build("new"), marker="manifest.json")
    assert (target / "manifest.json").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["aggregates"]


def test_a_swap_killed_between_its_renames_is_undone_by_the_next_run(tmp_path):
    target = tmp_path / "aggregates"
    target.mkdir()
    (target / "manifest.json").write_text("old")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True)  # fmt: skip
    target.rename(tmp_path / f".aggregates.old-{int(dead.stdout)}")  # then it was killed
    assert remove_stale_siblings(target)
    assert (target / "manifest.json").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["aggregates"]
