"""The built wheel works outside the source tree: it installs into a fresh virtual environment,
`workbench --help` runs, and a report rendered there carries the shipped measure definitions
and methodology pages beside it (the documents travel inside the package). The notebooks and the
chs-workbench kernelspec travel too: `workbench report waits`, run outside any project, finds
the installed notebook, and plain papermill finds the kernel in the environment and runs a
shipped notebook on the environment's Python.

Offline: the wheel is built without build isolation (setuptools comes from the dev extra) and
installed without dependencies; the fresh environment finds the dependencies in the project's
environment through a path file, never the project's source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.wheel


def _run(
    args: list[str | Path], cwd: Path, timeout: int = 600, jupyter_path: str | None = None
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # the dependencies' data files (nbconvert's templates) live beside the dependencies
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    if jupyter_path is not None:  # Jupyter's own search path only, without the project's
        env["JUPYTER_PATH"] = jupyter_path
        env["JUPYTER_DATA_DIR"] = str(cwd / "jupyter-data")
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(python of a fresh venv holding the wheel, the wheel)."""
    pytest.importorskip("build", reason="the dev extra's `build` is needed to build the wheel")
    work = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", work], ROOT)
    (wheel,) = work.glob("chs_workbench-*.whl")
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", venv], work)
    python = venv / "bin" / "python"
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], work)
    Path(site.stdout.strip(), "project-dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n"
    )
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel], work)
    return python, wheel


def test_the_wheel_ships_the_documents_and_the_licence(installed):
    _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    for document in ("measures.md", "methodology.md", "sources.md"):
        assert f"workbench/docs/{document}" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/METADATA"))
    )
    assert b"License-Expression: MIT" in metadata
    assert not any(n.startswith(("tests/", "notebooks/")) for n in names)
    data = "chs_workbench-0.1.0.data/data/share/"
    shipped = {n.removeprefix(f"{data}chs-workbench/notebooks/") for n in names if "notebooks" in n}
    assert shipped == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert f"{data}jupyter/kernels/chs-workbench/kernel.json" in names
    assert b"Requires-Python: >=3.11.5" in metadata
    assert b'Requires-Dist: jupyterlab<5,>=4.1; extra == "lab"' in metadata
    assert b"Requires-Dist: jupyterlab<5,>=4.1\n" not in metadata  # servers need no JupyterLab


def test_the_installed_package_is_the_wheel_not_the_source_tree(installed, tmp_path):
    python, _ = installed
    where = _run([python, "-c", "import workbench; print(workbench.__file__)"], tmp_path)
    location = Path(where.stdout.strip())
    assert python.parent.parent in location.parents
    assert ROOT not in location.parents
    usage = _run([python.parent / "workbench", "--help"], tmp_path).stdout
    assert "generate" in usage and "report" in usage
    assert "usage: workbench" in _run([python, "-m", "workbench", "--help"], tmp_path).stdout


def test_a_report_rendered_from_the_wheel_links_to_its_definitions(
    installed, tmp_path, sample_aggregates
):
    python, _ = installed
    notebook = ROOT / "notebooks" / "urgent_response.ipynb"  # the user's own copy
    _run(
        [python.parent / "workbench", "report", notebook, "--org-level", "england"]
        + ["--aggregates", sample_aggregates],  # on the project's kernel: this Python
        tmp_path,
    )
    bundle = tmp_path / "reports"
    report = (bundle / "england" / "ENG" / "urgent_response.html").read_text(encoding="utf-8")
    assert 'href="../../measures.html"' in report and 'href="../../methodology.html"' in report
    measures = (bundle / "measures.html").read_text(encoding="utf-8")
    methodology = (bundle / "methodology.html").read_text(encoding="utf-8")
    assert "Wilson score interval" in measures and 'id="4-urgent-community-response-2-hour"' in (
        measures
    )
    assert "Extract assembly" in methodology and "See docs/methodology.md" not in methodology
    assert 'href="measures.html"' in methodology  # the link from the text works in the bundle


def test_a_waits_report_renders_from_the_notebook_the_wheel_installed(
    installed, tmp_path, sample_aggregates
):
    """Outside any project (no pyproject.toml, no notebooks/ folder): the name finds the copy
    installed in the environment's share/chs-workbench/notebooks."""
    python, _ = installed
    _run(
        [python.parent / "workbench", "report", "waits", "--org-level", "england"]
        + ["--aggregates", sample_aggregates],
        tmp_path,
    )
    report = (tmp_path / "reports" / "england" / "ENG" / "waits.html").read_text(encoding="utf-8")
    assert "<h1" in report and "Traceback" not in report


def test_plain_papermill_finds_the_installed_kernel_and_runs_a_shipped_notebook(
    installed, tmp_path, sample_aggregates
):
    python, _ = installed
    specs = _run(
        [python, "-m", "jupyter_client.kernelspecapp", "list", "--json"], tmp_path, jupyter_path=""
    )
    kernel = json.loads(specs.stdout)["kernelspecs"]["chs-workbench"]
    assert Path(kernel["resource_dir"]).is_relative_to(python.parent.parent)  # the wheel's
    notebooks = python.parent.parent / "share" / "chs-workbench" / "notebooks"
    executed = tmp_path / "waits.ipynb"
    _run(
        [python, "-m", "papermill", notebooks / "waits.ipynb", executed, "-k", "chs-workbench"]
        + ["-p", "aggregates", str(sample_aggregates), "-p", "org_level", "england"]
        + ["-p", "store", str(sample_aggregates.parent / "store")],
        tmp_path,
        jupyter_path="",
    )
    nb = json.loads(executed.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "chs-workbench"
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors and nb["metadata"]["papermill"]["exception"] is None
