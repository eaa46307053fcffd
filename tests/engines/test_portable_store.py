"""A store is built, read and switched on systems without fcntl, symlinks or hard links
(Windows without administrator rights, network drives, cloud folders): simulated here by
making those calls fail, the store must read back as one built where they work."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_ingest_incremental import _assert_same_store

from submission_files import person, write_submission
from workbench import load_store
from workbench.ingest import ingest
from workbench.ingest.discover import discover_submissions
from workbench.spec import EXTRACT_TABLES
from workbench.store_layout import (
    CURRENT,
    KINDS,
    MANIFEST,
    OLD_LINKS,
    OLD_POINTER,
    VERSIONS,
    current_version,
    live_row_count,
    read_rows,
    segments,
)
from workbench.store_switch import STEPS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "synthetic" / "sample"
SRC = str(ROOT / "src")

#: Run first in a subprocess: what Windows (without Developer Mode) lacks, taken away. The
#: filelock package is imported before: its native lock stands in for Windows' own.
WINDOWS = """\
import os, pathlib, sys
import filelock
sys.modules["fcntl"] = None  # no fcntl module: importing it fails
def refuse(*args, **kwargs):
    raise OSError(1314, "A required privilege is not held by the client")
os.symlink = os.link = refuse
pathlib.Path.symlink_to = pathlib.Path.hardlink_to = refuse
"""


def _refuse(*args, **kwargs):
    raise OSError(1314, "A required privilege is not held by the client")


def _as_windows(patch: pytest.MonkeyPatch) -> None:
    """Symlinks and hard links fail, and ``import fcntl`` fails, in this process."""
    patch.setitem(sys.modules, "fcntl", None)
    for owner, name in ((os, "symlink"), (os, "link")):
        patch.setattr(owner, name, _refuse)
    for name in ("symlink_to", "hardlink_to"):
        patch.setattr(pathlib.Path, name, _refuse)


#: Two providers of the sample (their resends, rejects and orphans included): enough for every
#: kind of file a store holds, at a fifth of the sample's load time.
PROVIDERS = ("SYN01", "SYN02")


def _split_sample(folder: Path) -> tuple[Path, Path]:
    """Two providers of the committed sample as the files before their last submission date,
    and that day's."""
    files = [f for p in PROVIDERS for f in discover_submissions(SAMPLE / p)]
    last = max(f.submission_date for f in files)
    for f in files:
        target = folder / ("day" if f.submission_date == last else "base")
        target = target / f.path.relative_to(SAMPLE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f.path, target)
    return folder / "base", folder / "day"


def _build(base: Path, day: Path, store: Path) -> Path:
    ingest(base, store, progress=False)
    ingest(day, store, progress=False, into=True)
    return store


@pytest.fixture(scope="module")
def sample_stores(tmp_path_factory) -> tuple[Path, Path]:
    """A store of two of the sample's providers built and then given their last day, once as on
    Windows and once normally."""
    folder = tmp_path_factory.mktemp("portable")
    base, day = _split_sample(folder / "submissions")
    normal = _build(base, day, folder / "normal")
    with pytest.MonkeyPatch.context() as patch:
        _as_windows(patch)
        with pytest.raises(ImportError):
            import fcntl  # noqa: F401
        windows = _build(base, day, folder / "windows")
    return windows, normal


def test_a_store_built_without_links_reads_as_one_built_with_them(sample_stores):
    windows, normal = sample_stores
    _assert_same_store(windows, normal)
    for name in EXTRACT_TABLES:
        for kind in KINDS:
            rows = read_rows(windows, kind, name)
            assert rows.num_rows == read_rows(normal, kind, name).num_rows, (name, kind)
            assert rows.num_rows == live_row_count(current_version(windows), kind, name)
    assert load_store(windows).report["loads"] == 2
    assert (windows / CURRENT).read_text() == "000002\n"


def test_no_symlink_no_hard_link_and_no_copy_of_the_store(sample_stores):
    windows, _ = sample_stores
    files = [p for p in windows.rglob("*") if not p.is_dir()]
    assert not [p for p in windows.rglob("*") if p.is_symlink()]
    assert all(p.stat().st_nlink == 1 for p in files)
    first, second = windows / VERSIONS / "000001", windows / VERSIONS / "000002"
    # The day's version holds the day's segments only; the built ones are named, not copied.
    assert {p.name for p in second.rglob("*.parquet")} <= {
        "L000002.parquet",
        "pending.parquet",
        *(f"{name}.parquet" for name in EXTRACT_TABLES),  # the orphans waiting, whole
    }
    for name in EXTRACT_TABLES:
        for kind in KINDS:
            built = [p for p in segments(second, kind, name) if p.name == "L000001.parquet"]
            assert all(p.parent.parent.parent == first for p in built), (name, kind)
    assert '"../000001/tables/' in (second / MANIFEST).read_text()


def _old_layout(store: Path) -> None:
    """Turn ``store`` into the layout of the release before the pointer file: every version
    holds all its files (hard links to the earlier versions' files), with no manifest;
    ``current`` is a symlink to the newest, and ``tables`` etc. symlinks into it."""
    versions = sorted((store / VERSIONS).iterdir())
    for version in versions:
        for name in EXTRACT_TABLES:
            for kind in KINDS:
                for path in segments(version, kind, name):
                    own = version / kind / name / path.name
                    if not own.exists():
                        os.link(path, own)
        for manifest in version.rglob(MANIFEST):
            manifest.unlink()
    for path in (store / VERSIONS / "000002").rglob("deleted/*/*/L000001*"):
        path.unlink()
    (store / CURRENT).unlink()
    (store / OLD_POINTER).symlink_to(Path(VERSIONS) / versions[-1].name)
    for name in OLD_LINKS:
        (store / name).symlink_to(Path(OLD_POINTER) / name)


def test_a_store_of_the_release_before_is_read_then_upgraded_by_the_next_load(tmp_path):
    days = {d: tmp_path / d for d in ("d1", "d2", "d3", "d4")}
    for i, folder in enumerate(days.values(), start=1):
        people = [person(f"P{n}", ethnic_category="ABCD"[i - 1]) for n in range(i, i + 3)]
        write_submission(folder, "mpi", "RXA", f"2025020{i}", people)
    store = tmp_path / "store"
    _build(days["d1"], days["d2"], store)
    before = {kind: read_rows(store, kind, "mpi") for kind in KINDS}
    _old_layout(store)
    assert (store / OLD_POINTER).is_symlink() and not (store / CURRENT).exists()
    assert current_version(store) == (store / VERSIONS / "000002").resolve()
    for kind in KINDS:  # read as it is
        assert read_rows(store, kind, "mpi").equals(before[kind])
    assert load_store(store).report["loads"] == 2
    ingest(days["d3"], store, progress=False, into=True)  # upgrades the store
    assert (store / CURRENT).read_text() == "000003\n"
    assert not [p.name for p in store.iterdir() if p.is_symlink()]
    third = store / VERSIONS / "000003"
    for kind in ("tables", "superseded"):  # the old version's files, named where they are
        carried = [p for p in segments(third, kind, "mpi") if "000003" not in p.name]
        assert carried and all(p.parent.parent.parent.name == "000002" for p in carried)
    ingest(days["d4"], store, progress=False, into=True)  # drops version 2 but what 3, 4 name
    assert sorted(p.name for p in (store / VERSIONS).iterdir()) == ["000002", "000003", "000004"]
    named = {
        p
        for version in ("000003", "000004")
        for name in EXTRACT_TABLES
        for kind in KINDS
        for p in segments(store / VERSIONS / version, kind, name)
    }
    left = {p for p in (store / VERSIONS / "000002").rglob("*") if p.is_file()}
    assert left and left <= named  # no report, history or unnamed segment of version 2 left
    every = tmp_path / "every"
    for folder in days.values():
        shutil.copytree(folder, every / folder.name)
    ingest(every, tmp_path / "full", progress=False)
    _assert_same_store(store, tmp_path / "full")


def _run(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC, "WORKBENCH_PROGRESS": "0"}
    return subprocess.run(
        [sys.executable, "-c", WINDOWS + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.e2e  # a load run as its own process and killed: left out of make test-fast
@pytest.mark.parametrize("step", STEPS)
def test_a_load_killed_at_each_step_on_windows_leaves_the_old_or_the_new_version(
    small_submission, tmp_path, step
):
    store = tmp_path / "store"
    ingest(small_submission, store, progress=False)
    late = tmp_path / "late"
    write_submission(late, "mpi", "RXA", "20250203", [person("P9")])
    load = (
        "from workbench.ingest import ingest\n"
        f"ingest({str(late)!r}, {str(store)!r}, progress=False, into=True)\n"
    )
    killed = _run(
        "import signal, workbench.store_switch as s\n"
        "def stop(step):\n"
        f"    if step == {step!r}:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "s._reached = stop\n" + load
    )
    assert killed.returncode == -9, killed.stderr
    loaded = read_rows(store, "tables", "mpi").num_rows
    assert loaded == (3 if step == "switched" else 2)  # the old version or the new, never none
    again = _run(load)  # the lock the killed load held does not stop the next
    assert again.returncode == 0, again.stderr
    assert read_rows(store, "tables", "mpi").num_rows == 3
    hidden = [p.name for p in store.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    assert hidden == [] and all(p.name.isdigit() for p in (store / VERSIONS).iterdir())
    assert not [p for p in store.rglob("*") if p.is_symlink()]
    assert all(p.stat().st_nlink == 1 for p in store.rglob("*.parquet"))


def test_a_second_writer_on_windows_is_refused_while_the_first_holds_the_lock(tmp_path):
    code = (
        "from workbench.errors import StoreBusyError\n"
        "from workbench.store_lock import writer_lock\n"
        f"store = {str(tmp_path / 'store')!r}\n"
        "with writer_lock(store):\n"
        "    try:\n"
        "        with writer_lock(store):\n"
        "            raise SystemExit('a second writer got the lock')\n"
        "    except StoreBusyError as err:\n"
        "        print(err)\n"
        "with writer_lock(store, wait_seconds=1):\n"
        "    print('free again')\n"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert "another load is writing to this store" in done.stdout and "free again" in done.stdout


def test_liveness_never_signals_a_process(tmp_path, monkeypatch):
    """On Windows ``os.kill(pid, 0)`` stops the process: whether a run is still going is asked
    of psutil (which on Windows opens the process, and sends nothing)."""
    import psutil

    from workbench.atomic import remove_stale_siblings

    running_pids = psutil.pids()  # asked before os.kill is taken away (psutil uses it on POSIX)
    monkeypatch.setattr(os, "kill", _refuse)
    monkeypatch.setattr(psutil, "pid_exists", lambda pid: pid in running_pids)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], text=True, capture_output=True
    ).stdout.strip()
    stale, running = tmp_path / f".out.partial-{gone}-x", tmp_path / f".out.old-{os.getpid()}"
    stale.mkdir(), running.mkdir()
    assert remove_stale_siblings(tmp_path / "out") == [stale]
    assert running.exists()


def test_output_folders_are_readable_by_the_group(tmp_path):
    """A folder swapped into place (aggregates, reports) gets the mode the umask gives, not
    the 0700 of a temporary folder, so colleagues on a shared server can read it."""
    from workbench.atomic import replace_folder

    mask = os.umask(0o027)
    try:
        replace_folder(tmp_path / "aggregates", lambda f: (f / "m.json").write_text("{}"), "m.json")
    finally:
        os.umask(mask)
    assert (tmp_path / "aggregates").stat().st_mode & 0o777 == 0o750
    assert (tmp_path / "aggregates" / "m.json").stat().st_mode & 0o777 == 0o640
