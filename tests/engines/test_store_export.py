"""Readers without the workbench: after daily ``--into`` loads, plain DuckDB and pyarrow read each
table's live rows from the export every load writes (``STORE/versions/<CURRENT>/export/``) and
from ``workbench export``, and count what ``load_store`` counts (docs/store_format.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from workbench import load_store
from workbench.cli import main
from workbench.ingest import ingest
from workbench.spec import TABLES
from workbench.store_layout import current_version, segments

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "synthetic" / "sample"

#: Run in a fresh interpreter without the package on its path: reads each table's file with
#: DuckDB and with pyarrow and prints the counts as JSON.
PLAIN_READER = """
import json, sys
from pathlib import Path
import duckdb, pyarrow.parquet as pq, pyarrow.dataset as ds
assert "workbench" not in sys.modules
folder, tables, layout = Path(sys.argv[1]), sys.argv[2].split(","), sys.argv[3]
if layout == "store":  # the version CURRENT names, as any reader finds it
    name = (folder / "CURRENT").read_text().strip()
    folder = folder / "versions" / name / "export"
out = {}
for table in tables:
    path = folder / (table if layout == "delta" else table + ".parquet")
    if layout == "delta":  # the files of the Delta table's last commit
        log = sorted((path / "_delta_log").glob("*.json"))
        files = set()
        for line in (l for f in log for l in f.read_text().splitlines()):
            action = json.loads(line)
            if "add" in action:
                files.add(action["add"]["path"])
            if "remove" in action:
                files.discard(action["remove"]["path"])
        paths = [str(path / f) for f in sorted(files)]
        out[table] = [ds.dataset(paths).count_rows()] * 2
        continue
    duck = duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]
    out[table] = [duck, pq.read_table(path).num_rows]
print(json.dumps(out))
"""


def _plain_counts(folder: Path, layout: str) -> dict[str, list[int]]:
    """Each table's row count read by DuckDB and by pyarrow in a process without the workbench
    (no PYTHONPATH, run from an empty folder)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", PLAIN_READER, str(folder), ",".join(TABLES), layout],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder.parent,
        check=True,
    )
    return json.loads(done.stdout)


def _by_day(source: Path, into: Path) -> list[Path]:
    """The files of ``source`` in one folder per submission date (the date in the file name)."""
    for path in sorted(source.rglob("*.csv.gz")):
        day = path.name.split("_")[-1].split(".")[0]
        target = into / day / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return sorted(p for p in into.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def daily_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two providers of the committed sample: every day but the last three loaded with
    ``--out``, then each of the last three with ``--into``."""
    root = tmp_path_factory.mktemp("daily")
    source = root / "extract"
    for provider in ("SYN01", "SYN02"):
        shutil.copytree(SAMPLE / provider, source / provider)
    days = _by_day(source, root / "days")
    base = root / "base"
    for day in days[:-3]:
        shutil.copytree(day, base, dirs_exist_ok=True)
    store = root / "store"
    ingest(base, store, progress=False, write_feedback_reports=False)
    for day in days[-3:]:
        ingest(day, store, progress=False, into=True, write_feedback_reports=False)
    return store


def _store_counts(store: Path) -> dict[str, int]:
    opened = load_store(store)
    return {name: opened[name].count().execute() for name in TABLES}


def test_plain_readers_of_the_export_in_current_count_what_load_store_counts(daily_store):
    want = _store_counts(daily_store)
    version = current_version(daily_store)
    in_segments = {
        name: sum(pq.ParquetFile(f).metadata.num_rows for f in segments(version, "tables", name))
        for name in TABLES
    }
    assert any(in_segments[n] > want[n] for n in TABLES)  # the segments alone would miscount
    assert load_store(daily_store).report["loads"] == 4
    got = _plain_counts(daily_store, "store")
    assert got == {name: [want[name], want[name]] for name in TABLES}


def test_the_export_has_the_columns_load_store_gives(daily_store):
    opened = load_store(daily_store)
    for name in TABLES:
        path = current_version(daily_store) / "export" / f"{name}.parquet"
        assert pq.read_schema(path).names == list(opened[name].columns)


def test_workbench_export_writes_parquet_that_plain_readers_count_right(daily_store, tmp_path):
    out = tmp_path / "for-power-bi"
    assert main(["export", str(daily_store), str(out)]) == 0
    want = _store_counts(daily_store)
    assert _plain_counts(out, "parquet") == {name: [want[name], want[name]] for name in TABLES}


def test_workbench_export_as_delta_tables(daily_store, tmp_path):
    pytest.importorskip("deltalake")
    out = tmp_path / "delta"
    assert main(["export", str(daily_store), str(out), "--format", "delta"]) == 0
    assert main(["export", str(daily_store), str(out), "--format", "delta"]) == 0  # overwrites
    want = _store_counts(daily_store)
    assert _plain_counts(out, "delta") == {name: [want[name], want[name]] for name in TABLES}


def test_export_of_a_folder_that_is_not_a_store(tmp_path, capsys):
    assert main(["export", str(tmp_path), str(tmp_path / "out")]) == 2
    assert "not a workbench store" in capsys.readouterr().err


def test_a_load_without_export_writes_none(small_submission, tmp_path):
    ingest(small_submission, tmp_path / "store", progress=False, export=False)
    assert not (current_version(tmp_path / "store") / "export").exists()
    ingest(small_submission, tmp_path / "exported", progress=False)
    assert (current_version(tmp_path / "exported") / "export" / "mpi.parquet").exists()


def test_ingest_no_export_writes_none_and_says_so(small_submission, tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["ingest", str(small_submission), "--out", str(store), "--no-export"]) == 0
    assert not (current_version(store) / "export").exists()
    said = capsys.readouterr().out
    assert "No export written (--no-export)" in said and "workbench export" in said
    assert main(["export", str(store), str(tmp_path / "out")]) == 0
    assert _plain_counts(tmp_path / "out", "parquet") == {
        t: [n, n] for t, n in _store_counts(store).items()
    }
