"""The cron line of docs/scheduling.md, run as written (with the paths of a test folder in place
of /srv/chs-workbench, /data/submissions and the lock and log files), on the committed sample
plus one malformed file: the load quarantines the file and exits 5, the line goes on and renders
the schedule's report, and the ingest log names the file, its reasons and the load's counts.

The schedule is a tiny one (the waits report for England), so the test renders one report.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "synthetic" / "sample"
BAD = "SYN01/referrals_SYN01_20250915.csv.gz"


def _cron_lines() -> tuple[str, str]:
    """The crontab's PATH value and the job's command (the line after its five time fields)."""
    text = (ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```cron\n(.*?)```", text, flags=re.S)
    lines = block.strip().splitlines()
    (path,) = [line.removeprefix("PATH=") for line in lines if line.startswith("PATH=")]
    (job,) = [line for line in lines if "workbench ingest" in line]
    return path, job.split(None, 5)[5]


def _project(tmp_path: Path) -> dict[str, Path]:
    """A deployment in miniature: the project folder with a one-report schedule, a batch of
    submissions (the sample and one truncated gzip file), and a `workbench` on PATH."""
    project, batch, bin_dir = tmp_path / "project", tmp_path / "submissions", tmp_path / "bin"
    (project / "reports").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "site"\n')
    (project / "reports" / "schedule.yml").write_text(
        "store: data/store\naggregates: data/aggregates\noutput: reports\n"
        f"notebooks_dir: {ROOT / 'notebooks'}\nnotebooks: [waits]\n"
        "organisations:\n  - level: england\nworkers: 1\n"
    )
    shutil.copytree(SAMPLE, batch)
    good = (SAMPLE / "SYN01" / "referrals_SYN01_20250901.csv.gz").read_bytes()
    (batch / BAD).write_bytes(good[: len(good) // 2])  # cut off mid-stream
    bin_dir.mkdir()
    script = bin_dir / "workbench"
    script.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT / "src"}" exec "{sys.executable}" -m workbench "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return {"project": project, "batch": batch, "bin": bin_dir}


@pytest.mark.skipif(shutil.which("flock") is None, reason="the cron line uses flock (util-linux)")
def test_the_cron_line_renders_the_reports_on_a_day_with_a_quarantined_file(tmp_path):
    where = _project(tmp_path)
    path, command = _cron_lines()
    for real, here in (
        ("/srv/chs-workbench/.venv/bin", where["bin"]),
        ("/srv/chs-workbench", where["project"]),
        ("/data/submissions", where["batch"]),
        ("/tmp/chs-reports.lock", tmp_path / "chs-reports.lock"),
        ("/var/log/chs-reports.log", tmp_path / "cron.log"),
    ):
        path, command = path.replace(real, str(here)), command.replace(real, str(here))
    env = {"PATH": path, "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    env.update({k: v for k, v in os.environ.items() if k.startswith("WORKBENCH_")})
    result = subprocess.run(["/bin/sh", "-c", command], env=env, timeout=900)
    cron_log = (tmp_path / "cron.log").read_text()
    assert result.returncode == 0, cron_log
    assert "1 file(s) quarantined" in cron_log and "exit 5" in cron_log

    project = where["project"]
    report = project / "reports" / "england" / "ENG" / "waits.html"
    assert report.is_file(), cron_log
    assert "Traceback" not in report.read_text(encoding="utf-8")
    assert (project / "data" / "store" / "CURRENT").is_file()  # loaded --into a new store

    ingest_log = (project / "logs" / "ingest.log").read_text()
    assert re.search(r"ingest: referrals: read [1-9]\d*, loaded [1-9]\d*, superseded", ingest_log)
    (quarantined,) = [line for line in ingest_log.splitlines() if "quarantined" in line]
    assert "WARNING" in quarantined and BAD.split("/")[1] in quarantined
    assert quarantined.split("not loaded): ")[1].strip()  # the reasons
    assert "finished (exit 5)" in ingest_log
    assert "finished (exit 0)" in (project / "logs" / "reports.log").read_text()
