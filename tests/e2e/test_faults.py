"""Faults after the store switched: a signal or a full feedback folder while the providers'
feedback is written. The command says the store holds the new version (never "nothing was
replaced"), exits with the documented code and no traceback, and the next run into the store
writes every provider's page still missing, once."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from submission_files import person, write_submission
from workbench.cli import main
from workbench.ingest import feedback as feedback_module
from workbench.ingest.feedback import HISTORY_FILE, REPORT_HTML
from workbench.store_layout import CURRENT, LOCK, read_pointer

PROVIDERS = ("RXA", "RXB", "RXC")


def _day(folder: Path, date: str) -> Path:
    for provider in PROVIDERS:
        rows = [person(f"{provider}P1", provider_code=provider), person("", provider_code=provider)]
        write_submission(folder, "mpi", provider, date, rows)
    return folder


def _pages(feedback: Path) -> dict[str, int]:
    """Per provider, the loads its history holds (each with its page written)."""
    pages = {}
    for provider in PROVIDERS:
        history = feedback / provider / HISTORY_FILE
        entries = json.loads(history.read_text()) if history.exists() else []
        pages[provider] = len(entries)
        assert len(list((feedback / provider).glob(f"*/{REPORT_HTML}"))) >= len(entries)
    return pages


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(["ingest", *args, "--quiet"])
    said = capsys.readouterr()
    return code, said.out + said.err


def _fail_on_second_provider(monkeypatch, fault):
    """Make the feedback writer meet ``fault`` once, at the second provider's page."""
    real = feedback_module.write_provider_feedback
    calls = []

    def writer(folder, feedback):
        calls.append(feedback.provider)
        if len(calls) == 2:
            fault()
        return real(folder, feedback)

    monkeypatch.setattr(feedback_module, "write_provider_feedback", writer)


def _disk_full():
    raise OSError(errno.ENOSPC, "No space left on device", "feedback.html")


FAULTS = {
    "SIGTERM": (lambda: signal.raise_signal(signal.SIGTERM), 143, "stopped (SIGTERM)"),
    "SIGINT": (lambda: signal.raise_signal(signal.SIGINT), 130, "interrupted"),
    "disk full": (_disk_full, 6, "disk full"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_while_feedback_is_written_says_the_store_switched(
    tmp_path, capsys, monkeypatch, fault
):
    store, feedback = tmp_path / "store", tmp_path / "store-feedback"
    assert _run(capsys, str(_day(tmp_path / "d1", "20250201")), "--out", str(store))[0] == 0
    first = read_pointer(store)
    _fail_on_second_provider(monkeypatch, FAULTS[fault][0])
    code, said = _run(capsys, str(_day(tmp_path / "d2", "20250202")), "--into", str(store))
    assert code == FAULTS[fault][1], said
    assert FAULTS[fault][2] in said and "the store was switched first" in said
    assert "nothing was replaced" not in said and "Traceback" not in said
    assert read_pointer(store) != first  # the new version is current, as the message says
    assert sorted(_pages(feedback).values()) == [1, 1, 2]  # one provider's page was written
    monkeypatch.undo()
    code, said = _run(capsys, str(tmp_path / "d2"), "--into", str(store))
    assert code == 0 and "No new files" in said, said
    assert _pages(feedback) == dict.fromkeys(PROVIDERS, 2)  # written once each, none twice


def test_a_fault_before_the_switch_still_says_nothing_was_replaced(tmp_path, capsys, monkeypatch):
    store = tmp_path / "store"
    assert _run(capsys, str(_day(tmp_path / "d1", "20250201")), "--out", str(store))[0] == 0
    first = read_pointer(store)

    def stop(*args, **kwargs):
        signal.raise_signal(signal.SIGTERM)

    monkeypatch.setattr("workbench.ingest.run.load_staged", stop)
    code, said = _run(capsys, str(_day(tmp_path / "d2", "20250202")), "--into", str(store))
    assert code == 143 and "nothing was replaced" in said, said
    assert read_pointer(store) == first


@pytest.mark.parametrize("step", ["built", "renamed", "pointed"])
def test_a_first_load_killed_before_its_switch_never_blocks_the_next(tmp_path, capsys, step):
    store = tmp_path / "store"
    source = _day(tmp_path / "d1", "20250201")
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, workbench.store_switch as s\n"
            f"s._reached = lambda step: os._exit(9) if step == {step!r} else None\n"
            "from workbench.ingest import ingest\n"
            f"ingest({str(source)!r}, {str(store)!r}, progress=False)\n",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert killed.returncode == 9, killed.stderr
    assert read_pointer(store) is None  # never switched: no store yet
    code, said = _run(capsys, str(source), "--out", str(store))
    assert code == 0, said
    assert read_pointer(store) is not None and (store / LOCK).exists()
    assert [p.name for p in store.iterdir() if p.name.startswith(f".{CURRENT}")] == []


@pytest.mark.parametrize("after", [False, True])
def test_compute_stopped_says_whether_the_aggregates_were_replaced(
    small_submission, tmp_path, capsys, monkeypatch, after
):
    store, out = tmp_path / "store", tmp_path / "aggregates"
    assert _run(capsys, str(small_submission), "--out", str(store))[0] == 0
    import workbench.compute as compute_module

    real = compute_module.replace_folder

    def replace_then_stop(target, build, marker):
        if after:
            real(target, build, marker=marker)
        signal.raise_signal(signal.SIGTERM)

    monkeypatch.setattr(compute_module, "replace_folder", replace_then_stop)
    code = main(["compute", str(store), "--out", str(out), "--quiet"])
    said = capsys.readouterr().err
    assert code == 143 and "Traceback" not in said, said
    if after:
        assert out.is_dir() and "the output was replaced first" in said, said
        assert "nothing was replaced" not in said
    else:
        assert not out.exists() and "nothing was replaced" in said, said


def test_partial_notebooks_of_a_killed_report_run_are_removed_by_the_next(tmp_path):
    """``report run`` writes each executed notebook to a ``.<name>.partial-<pid>-*.ipynb``
    sibling first; one a killed run left is removed when the next run renders the same
    notebook, and one a running run holds is kept."""
    from workbench.atomic import remove_stale_siblings, temporary_sibling

    executed = tmp_path / "waits.ipynb"
    killed = subprocess.run(
        [sys.executable, "-c", "from pathlib import Path; from workbench.atomic import "
         f"temporary_sibling; print(temporary_sibling(Path({str(executed)!r}), '.ipynb'))"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )  # fmt: skip
    left = Path(killed.stdout.strip())
    mine = temporary_sibling(executed, suffix=".ipynb")
    assert left.exists() and mine.exists()
    assert remove_stale_siblings(executed) == [left]
    assert not left.exists() and mine.exists()
