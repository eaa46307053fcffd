"""The notebooks: committed without outputs, thin, and every one with a parameters cell."""

import json
import re
from pathlib import Path

import pytest

from workbench.reports.chartable import MIN_CHART_DENOMINATOR

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORTS = ["data_quality", "waits", "urgent_response", "outcomes", "planning", "pathways"]


def test_the_report_notebooks_and_explore_exist():
    assert {p.stem for p in NOTEBOOKS} >= {*REPORTS, "explore"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebooks_carry_no_outputs(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: strip outputs before committing"
            assert cell.get("execution_count") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_one_parameters_cell(path):
    nb = json.loads(path.read_text())
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1


@pytest.mark.parametrize("name", REPORTS)
def test_report_notebooks_are_thin(name):
    """Logic lives in the package: code cells are calls, not computations."""
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text())
    code = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]
    for source in code[2:]:  # one call of a report module's function on the opened data
        assert re.fullmatch(
            r"show_items\((section|completeness)\.\w+\(data(, min_chart|, settings)?\)\)",
            source,
        ), source
    params = "".join(code[0])
    if any(", min_chart)" in source for source in code):  # the minimum for charts, section 7
        assert f"min_chart = {MIN_CHART_DENOMINATOR}" in params
    for name_ in (
        "aggregates",
        "org_level",
        "org_code",
        "period_start",
        "period_end",
        "census_date",
        "disclosure_control",
        "output_format",
    ):
        assert f"{name_} =" in params


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_names_the_projects_kernel(path):
    """In a shared JupyterLab ``python3`` may be a Python without the workbench; ``make lab``
    installs ``chs-workbench`` and rendering resolves it to the running interpreter."""
    from workbench.publish.kernel import PROJECT_KERNEL

    kernelspec = json.loads(path.read_text())["metadata"]["kernelspec"]
    assert kernelspec["name"] == PROJECT_KERNEL == "chs-workbench"
    assert kernelspec["language"] == "python"
    assert f"--name {PROJECT_KERNEL}" in (ROOT / "Makefile").read_text()


def test_the_projects_kernel_is_the_running_interpreter_even_when_not_installed(
    monkeypatch, tmp_path
):
    import sys

    from workbench.publish.kernel import PROJECT_KERNEL, ProjectKernelManager

    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # no chs-workbench installed anywhere
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    manager = ProjectKernelManager(kernel_name=PROJECT_KERNEL)
    assert manager.kernel_spec.argv[0] == sys.executable
    assert manager.kernel_spec.argv[1:3] == ["-m", "ipykernel_launcher"]


def test_make_report_and_make_lab_install_the_projects_kernel():
    """So that `jupyter nbconvert --execute` and papermill find chs-workbench after either."""
    text = (ROOT / "Makefile").read_text()
    for target in ("report", "lab"):
        prerequisites = text.split(f"\n{target}:", 1)[1].split("\n", 1)[0].split()
        assert "kernel" in prerequisites, target
    rule = text.split("\n$(KERNEL):", 1)[1].split("\n\n", 1)[0]
    assert "-m ipykernel install --sys-prefix --name chs-workbench" in rule


def test_make_lab_allows_root_only_when_run_as_root():
    lab = (ROOT / "Makefile").read_text().split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "id -u" in lab and "--allow-root" in lab


def test_no_workbench_module_imports_tqdm_auto():
    """tqdm.auto warns "IProgress not found" as it is imported in a kernel without ipywidgets:
    the red first output of a notebook. Progress bars are for terminals only."""
    src = ROOT / "src" / "workbench"
    imports = re.compile(
        r"^\s*(from tqdm\.auto import|import tqdm\.auto|from tqdm import auto)", re.M
    )
    assert [p for p in src.rglob("*.py") if imports.search(p.read_text())] == []
