"""The built wheel works outside the source tree: it installs into a fresh virtual environment,
`workbench --help` runs, and a report rendered there carries the shipped measure definitions
and methodology pages beside it (the documents travel inside the package).

Offline: the wheel is built without build isolation (setuptools comes from the dev extra) and
installed without dependencies; the fresh environment finds the dependencies in the project's
environment through a path file, never the project's source tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.wheel


def _run(args: list[str | Path], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # the dependencies' data files (nbconvert's templates) live beside the dependencies
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
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
