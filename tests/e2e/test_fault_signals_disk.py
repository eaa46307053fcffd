"""The ``workbench ingest`` command under signals and a full disk, as an operator meets them:
SIGTERM and SIGINT at a few moments of a load (while it starts, while DuckDB writes), and a
small tmpfs filled to a few levels. Every case ends with the documented exit code (143, 130,
6, or 0 when the load finished first), a message, no traceback or "Exception ignored" text, and
a store that is the previous version or the new one, readable."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.store_layout import read_pointer, read_rows

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "synthetic" / "sample"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _ingest(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", "ingest", *args, "--quiet"],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _assert_clean(said: str) -> None:
    assert "Traceback" not in said and "Exception ignored" not in said, said


def _assert_readable(store: Path, versions: set[str | None]) -> None:
    assert read_pointer(store) in versions
    if read_pointer(store) is not None:
        assert read_rows(store, "tables", "mpi").num_rows > 0


@pytest.fixture(scope="module")
def first_store(tmp_path_factory) -> Path:
    """A store of one provider, to add a second provider's files to."""
    store = tmp_path_factory.mktemp("signals") / "store"
    done = _ingest(str(SAMPLE / "SYN01"), "--out", str(store))
    assert done.wait(timeout=300) == 0, done.communicate()
    return store


@pytest.mark.parametrize(
    "signum, delay",
    [
        (signal.SIGTERM, 0.6),  # while the command is still importing its modules
        (signal.SIGTERM, 2.5),
        (signal.SIGTERM, 5.0),
        (signal.SIGINT, 0.6),
        (signal.SIGINT, 3.5),
    ],
)
def test_a_signal_at_any_moment_ends_with_its_exit_code(first_store, tmp_path, signum, delay):
    store = tmp_path / "store"
    shutil.copytree(first_store, store)
    before = read_pointer(store)
    run = _ingest(str(SAMPLE / "SYN02"), "--into", str(store))
    time.sleep(delay)
    run.send_signal(signum)
    out, err = run.communicate(timeout=300)
    code = run.returncode
    expected = 143 if signum == signal.SIGTERM else 130
    if code == -signum:  # killed before Python ran a line of the workbench: nothing was done
        assert read_pointer(store) == before and not err
        return
    assert code in (expected, 0), (code, err)
    _assert_clean(out + err)
    if code == expected:
        assert ("stopped (SIGTERM)" if expected == 143 else "interrupted") in err
    new = read_pointer(store)
    if "switched first" in err or code == 0:
        assert new != before
    else:
        assert "nothing was replaced" in err or "nothing was changed" in err, err
        assert new == before
    _assert_readable(store, {before, new})


def _mount_tmpfs(folder: Path, megabytes: int) -> None:
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")


def _fill(folder: Path, leave_bytes: int) -> None:
    """Fill the file system of ``folder`` until ``leave_bytes`` are free."""
    free = shutil.disk_usage(folder).free - leave_bytes
    if free > 0:
        with open(folder / "filler", "wb") as handle:
            handle.write(b"\0" * free)


@pytest.mark.parametrize("leave_kb", [100, 1_000, 3_000, 8_000])
@pytest.mark.parametrize("command", ["--into", "--out"])
def test_a_full_disk_at_any_level_exits_6_with_the_store_whole(
    first_store, tmp_path, leave_kb, command
):
    """A day added to a store (``--into``) or a first load (``--out``) on a full tmpfs: exit 6
    (or 0 when it fits), the store the previous version or the new one, and once space is
    freed a plain re-run loads and writes every provider's feedback for the current version."""
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, 64)
    try:
        store = disk / "store"
        source = SAMPLE / ("SYN02" if command == "--into" else "SYN01")
        if command == "--into":
            shutil.copytree(first_store, store)
        before = read_pointer(store) if store.exists() else None
        _fill(disk, leave_kb * 1000)
        run = _ingest(str(source), command, str(store))
        out, err = run.communicate(timeout=300)
        assert run.returncode in (6, 0), (run.returncode, err)
        _assert_clean(out + err)
        if run.returncode == 6:
            assert "could not write to" in err and "disk full" in err, err
        (disk / "filler").unlink(missing_ok=True)
        after = read_pointer(store) if store.exists() else None
        if "switched first" not in err and run.returncode == 6:
            assert after == before
        _assert_readable(store, {before, after})
        rerun = _ingest(str(source), command, str(store))
        out, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err
        _assert_feedback_complete(store)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _assert_feedback_complete(store: Path) -> None:
    """Every provider's feedback page for the store's current version is written."""
    import json

    from workbench.ingest.feedback import default_feedback_folder, providers_missing
    from workbench.ingest.run import LOAD_FEEDBACK
    from workbench.store_layout import current_version

    done = json.loads((current_version(store) / LOAD_FEEDBACK).read_text(encoding="utf-8"))
    assert providers_missing(done, default_feedback_folder(store)) == []


@pytest.fixture(scope="module")
def first_aggregates(first_store, tmp_path_factory) -> Path:
    """The aggregates of :func:`first_store`: the previous output a compute replaces."""
    out = tmp_path_factory.mktemp("aggregates") / "aggregates"
    done = _workbench("compute", str(first_store), "--out", str(out))
    assert done.wait(timeout=600) == 0, done.communicate()
    return out


def _workbench(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", *args, "--quiet"],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _aggregates(folder: Path) -> dict:
    """The manifest of the aggregates in ``folder``, each table read whole with its rows."""
    import json

    import pyarrow.parquet as pq

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name, rows in manifest["tables"].items():
        assert pq.read_table(folder / f"{name}.parquet").num_rows == rows
    return manifest


@pytest.mark.parametrize("leave_kb", [20, 150, 400, 1_500])
def test_compute_on_a_full_disk_exits_6_with_the_aggregates_whole(
    first_store, first_aggregates, tmp_path, leave_kb
):
    """The aggregates folder on a full tmpfs (the store elsewhere): exit 6 "could not write
    to", no traceback, and the previous aggregates as they were, with nothing left beside them
    (a compute that fits exits 0 with the new ones)."""
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, 16)
    try:
        out = disk / "aggregates"
        shutil.copytree(first_aggregates, out)
        previous = _aggregates(out)
        _fill(disk, leave_kb * 1000)
        run = _workbench("compute", str(first_store), "--out", str(out))
        said = "".join(run.communicate(timeout=600))
        assert run.returncode in (6, 0), (run.returncode, said)
        _assert_clean(said)
        if run.returncode == 6:
            assert f"could not write to {out}" in said and "disk full" in said, said
            assert "nothing was replaced" not in said  # not a signal: no such words
        (disk / "filler").unlink(missing_ok=True)
        assert _aggregates(out) == previous  # the same store: the same manifest either way
        assert [p.name for p in disk.iterdir()] == ["aggregates"]  # no partial folder left
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
