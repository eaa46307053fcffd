"""A notebook name such as ``waits`` finds the project's copy in notebooks/, and, outside any
project (a wheel installed with pip), the copy installed in the environment's
share/chs-workbench/notebooks (pyproject.toml's data-files)."""

import json
import sys
from pathlib import Path

import pytest

from workbench import paths
from workbench.errors import WorkbenchError
from workbench.publish.kernel import PROJECT_KERNEL, PROJECT_KERNEL_DISPLAY_NAME

ROOT = Path(__file__).resolve().parents[2]


def _installed(tmp_path, monkeypatch) -> Path:
    """An environment whose data folder holds the shipped notebooks."""
    prefix = tmp_path / "env"
    shipped = prefix / paths.SHIPPED_NOTEBOOKS
    shipped.mkdir(parents=True)
    (shipped / "waits.ipynb").write_text("{}")
    monkeypatch.setattr(paths.sysconfig, "get_path", lambda name, scheme=None: str(prefix))
    monkeypatch.setattr(sys, "prefix", str(prefix))
    return shipped


def test_a_name_outside_any_project_finds_the_installed_notebook(tmp_path, monkeypatch):
    shipped = _installed(tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert paths.notebook_path("waits", elsewhere / "notebooks") == shipped / "waits.ipynb"
    with pytest.raises(WorkbenchError, match="notebooks in .*: waits"):
        paths.notebook_path("outcomes", elsewhere / "notebooks")


def test_the_projects_own_copy_comes_first(tmp_path, monkeypatch):
    _installed(tmp_path, monkeypatch)
    own = tmp_path / "project" / "notebooks"
    own.mkdir(parents=True)
    (own / "waits.ipynb").write_text("{}")
    assert paths.notebook_path("waits", own) == own / "waits.ipynb"


def test_no_installed_notebooks_is_none(tmp_path, monkeypatch):
    monkeypatch.setattr(paths.sysconfig, "get_path", lambda name, scheme=None: str(tmp_path))
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert paths.shipped_notebooks() is None


def test_the_kernelspec_the_wheel_installs_is_the_project_kernel():
    """share/jupyter/kernels/chs-workbench/kernel.json (installed by the wheel's data-files):
    ``python`` is the interpreter that starts it (jupyter_client runs sys.executable)."""
    folder = ROOT / "share" / "jupyter" / "kernels" / PROJECT_KERNEL
    spec = json.loads((folder / "kernel.json").read_text())
    assert spec["argv"][:3] == ["python", "-m", "ipykernel_launcher"]
    assert spec["display_name"] == PROJECT_KERNEL_DISPLAY_NAME and spec["language"] == "python"


def test_a_schedule_without_notebooks_dir_uses_the_installed_notebooks(tmp_path, monkeypatch):
    from workbench.publish.schedule import parse_schedule

    shipped = _installed(tmp_path, monkeypatch)
    site = tmp_path / "site"  # a server with a schedule and no notebooks/ folder
    site.mkdir()
    data = {
        "store": "data/store",
        "aggregates": "data/aggregates",
        "output": "reports",
        "notebooks": ["waits"],
        "organisations": [{"level": "england"}],
    }
    schedule = parse_schedule(data, site / "schedule.yml")
    assert schedule.notebooks == (shipped / "waits.ipynb",)
    with pytest.raises(WorkbenchError, match="site/notebooks/waits.ipynb"):  # given: kept
        parse_schedule({**data, "notebooks_dir": "notebooks"}, site / "schedule.yml")
