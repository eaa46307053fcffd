"""SIGKILL, SIGTERM and SIGINT at every step of ``ingest --out`` (a first load), ``ingest
--into`` (a day added to a store) and ``compute``, each sent exactly there: the command runs with
``WORKBENCH_PAUSE_AT=<step>`` (:mod:`workbench.pause`), which writes a marker file and sleeps
when the run reaches the step, and the test signals it once the marker is written.

Every case ends with the documented exit code (-9 killed, 143 SIGTERM, 130 SIGINT: README,
"Exit codes"), no traceback or "Exception ignored" text, a message that says truthfully whether
the store (or the aggregates) was replaced, and a store that reads as exactly the previous
version or the new one. A plain re-run then succeeds, writes every provider's feedback page for
the current version still missing, and leaves a store equal to a clean load (aggregates equal
to a clean compute) with nothing left over. One month of one provider of the committed sample
keeps each case to a few seconds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from workbench import load_store
from workbench.cli import main
from workbench.facts import FACTS, build_facts
from workbench.facts.cache import facts_stamp, read_manifest
from workbench.ingest.feedback import default_feedback_folder, providers_missing
from workbench.ingest.run import LOAD_FEEDBACK
from workbench.pause import PAUSE_AT, PAUSE_MARKER
from workbench.spec import EXTRACT_TABLES
from workbench.store_layout import (
    KINDS,
    LINEAGE,
    current_version,
    live_rows_sql,
    read_pointer,
)

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = ROOT / "data" / "synthetic" / "sample" / "SYN01"
FIRST, DAY = "20241101", "20241201"  # the store's first month; the day added to it

INGEST_STEPS = [
    "ingest:start",
    "ingest:locked",
    "ingest:resume",
    "ingest:staging",
    "ingest:guard",
    *(f"ingest:load:{name}" for name in EXTRACT_TABLES),
    "ingest:history",
    "ingest:facts",
    "ingest:export",
    "switch:built",
    "switch:renamed",
    "switch:pointed",
    "switch:switched",
    "ingest:feedback",
    "ingest:done",
]
COMPUTE_STEPS = [
    "compute:facts",
    "compute:aggregates",
    "compute:write",
    "compute:manifest",
    "swap",
    "compute:done",
]
SIGNALS = {"SIGKILL": signal.SIGKILL, "SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT}
EXIT = {signal.SIGKILL: -9, signal.SIGTERM: 143, signal.SIGINT: 130}
SAID = {signal.SIGTERM: "stopped (SIGTERM)", signal.SIGINT: "interrupted"}


def _month(folder: Path, date: str) -> Path:
    """One month of the provider's files, in a folder named after it."""
    (folder / PROVIDER.name).mkdir(parents=True)
    for path in PROVIDER.glob(f"*_{date}.*"):
        shutil.copy(path, folder / PROVIDER.name / path.name)
    return folder


def _contents(store: Path) -> dict[str, list[str]] | None:
    """Every kind of every table of the store's current version, row by row without lineage
    (as ``read_rows`` gives them; None: no store)."""
    if read_pointer(store) is None:
        return None
    version, out = current_version(store), {}
    with duckdb.connect() as con:
        for kind in KINDS:
            for name in EXTRACT_TABLES:
                rows = con.sql(live_rows_sql(version, kind, name))
                kept = [c for c in rows.columns if c not in LINEAGE]
                out[f"{kind}/{name}"] = sorted(map(repr, rows.select(*kept).fetchall()))
    return out


def _facts(store: Path) -> dict[str, str] | None:
    """The facts of the store's current version stamped for it, each by a checksum of its
    file (none stamped for another version; None: no store)."""
    if read_pointer(store) is None:
        return None
    folder = current_version(store) / "facts"
    manifest, stamp = read_manifest(folder), facts_stamp(load_store(store))
    if {k: manifest.get(k) for k in stamp} != stamp:
        return {}
    return {
        name: hashlib.sha256((folder / f"{name}.parquet").read_bytes()).hexdigest()
        for name in manifest["facts"]
    }


def _ingest_in_process(source: Path, store: Path, into: bool) -> None:
    code = main(["ingest", str(source), "--into" if into else "--out", str(store), "--quiet"])
    assert code == 0


@pytest.fixture(scope="module")
def loads(tmp_path_factory) -> dict:
    """The sources, the store before the day (a clean first load) and the contents of a clean
    first load and of a clean load of the day into it."""
    root = tmp_path_factory.mktemp("steps")
    first, day = _month(root / "first", FIRST), _month(root / "day", DAY)
    base = root / "base" / "store"
    _ingest_in_process(first, base, into=False)
    into = root / "into" / "store"
    shutil.copytree(base, into)
    _ingest_in_process(day, into, into=True)
    return {
        "first": first,
        "day": day,
        "base": base,
        "into": into,
        "out_contents": _contents(base),
        "into_contents": _contents(into),
    }


def _start(command: list[str], step: str, marker: Path) -> subprocess.Popen:
    """Start ``workbench COMMAND`` paused at ``step``; returns once it is there."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), PAUSE_AT: step, PAUSE_MARKER: str(marker)}
    run = subprocess.Popen(
        [sys.executable, "-m", "workbench", *command, "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    while not marker.exists():
        if run.poll() is not None or time.monotonic() > deadline:
            run.kill()
            out, err = run.communicate()
            pytest.fail(f"never reached {step} (exit {run.returncode}): {out}{err}")
        time.sleep(0.02)
    return run


def _stop(run: subprocess.Popen, signum: int) -> tuple[int, str]:
    """Send ``signum``; the exit code and everything the command said."""
    run.send_signal(signum)
    out, err = run.communicate(timeout=180)
    said = out + err
    assert "Traceback" not in said and "Exception ignored" not in said, said
    assert run.returncode == EXIT[signum], (run.returncode, said)
    if signum in SAID:
        assert SAID[signum] in err, err
    return run.returncode, err


def _says_what_is_current(err: str, signum: int, replaced: bool, switched_text: str) -> None:
    """After the switch never "nothing was replaced"; before it, never a switch."""
    if signum == signal.SIGKILL:
        assert err == "", err  # killed: nothing said
    elif replaced:
        assert switched_text in err and "nothing was replaced" not in err, err
    else:
        assert "nothing was replaced" in err and switched_text not in err, err


def _no_leftovers(store: Path) -> None:
    names = [p.name for p in store.rglob("*")]
    assert not [n for n in names if ".partial" in n or n in ("_staging", "work.duckdb")], names
    assert not [p.name for p in store.parent.glob(f".{store.name}.*")]


@pytest.mark.parametrize("signame", SIGNALS)
@pytest.mark.parametrize("step", INGEST_STEPS)
@pytest.mark.parametrize("command", ["--out", "--into"])
def test_a_signal_at_every_step_of_ingest(loads, tmp_path, command, step, signame):
    signum, into = SIGNALS[signame], command == "--into"
    store = tmp_path / "store"
    if into:
        shutil.copytree(loads["base"], store)
        shutil.copytree(default_feedback_folder(loads["base"]), default_feedback_folder(store))
    source = loads["day"] if into else loads["first"]
    facts = into and step == "ingest:facts"
    if facts:  # the previous version's facts, for the load to keep
        build_facts(load_store(store))
    before, previous = read_pointer(store), _contents(store)
    kept = _facts(store)
    new = loads["into_contents"] if into else loads["out_contents"]
    run = _start(["ingest", str(source), command, str(store)], step, tmp_path / "paused")
    _, err = _stop(run, signum)
    after = read_pointer(store)
    _says_what_is_current(err, signum, after != before, "the store was switched first")
    assert _contents(store) == (previous if after == before else new)  # one or the other, whole
    assert after != before or _facts(store) == kept  # the previous version's facts untouched

    _ingest_in_process(source, store, into)  # the plain re-run
    assert _contents(store) == new
    assert not facts or set(_facts(store) or {}) == set(FACTS)  # kept by the load
    done = json.loads((current_version(store) / LOAD_FEEDBACK).read_text(encoding="utf-8"))
    assert providers_missing(done, default_feedback_folder(store)) == []
    _no_leftovers(store)


@pytest.fixture(scope="module")
def computed(loads, tmp_path_factory) -> dict:
    """Aggregates of the first load (the previous output) and the manifest of a clean compute
    of the store with the day added (the new one); the store to compute from, without facts."""
    root = tmp_path_factory.mktemp("compute")
    store = root / "store"
    shutil.copytree(loads["into"], store)
    previous = root / "previous"
    assert main(["compute", str(loads["base"]), "--out", str(previous), "--quiet"]) == 0
    clean = root / "clean"
    scratch = root / "scratch"
    shutil.copytree(store, scratch)
    assert main(["compute", str(scratch), "--out", str(clean), "--quiet"]) == 0
    return {"store": store, "previous": previous, "new": _manifest(clean)}


def _manifest(aggregates: Path) -> dict | None:
    """The aggregates' manifest without the store's path, each table checked readable with the
    rows it lists (None: no aggregates)."""
    import pyarrow.parquet as pq

    if not (aggregates / "manifest.json").exists():
        return None
    manifest = json.loads((aggregates / "manifest.json").read_text(encoding="utf-8"))
    for name, rows in manifest["tables"].items():
        assert pq.read_metadata(aggregates / f"{name}.parquet").num_rows == rows
    return {k: v for k, v in manifest.items() if k != "store"}


@pytest.mark.parametrize("signame", SIGNALS)
@pytest.mark.parametrize("step", COMPUTE_STEPS)
def test_a_signal_at_every_step_of_compute(computed, tmp_path, step, signame):
    signum = SIGNALS[signame]
    store, out = tmp_path / "store", tmp_path / "aggregates"
    shutil.copytree(computed["store"], store)
    shutil.copytree(computed["previous"], out)
    previous = _manifest(out)
    run = _start(["compute", str(store), "--out", str(out)], step, tmp_path / "paused")
    _, err = _stop(run, signum)
    after = _manifest(out)
    if after is None:  # killed between the swap's two renames: the previous output beside it
        assert signum == signal.SIGKILL and step == "swap"
        assert [_manifest(p) for p in tmp_path.glob(".aggregates.old-*")] == [previous]
    else:
        assert after in (previous, computed["new"])
    _says_what_is_current(err, signum, after == computed["new"], "the output was replaced first")

    assert main(["compute", str(store), "--out", str(out), "--quiet"]) == 0  # the plain re-run
    assert _manifest(out) == computed["new"]
    assert not list(tmp_path.glob(".aggregates.*"))
    facts = current_version(store) / "facts"
    assert not [p.name for p in facts.iterdir() if p.name.startswith(".")]
