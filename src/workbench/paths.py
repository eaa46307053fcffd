"""Where things are, in one place: the project root (the folder notebooks run in, holding
``notebooks/`` and ``pyproject.toml``), the default folders below it (the store, the aggregates,
the reports), a path given relative to it, and the notebook a name such as ``waits`` refers
to."""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

from workbench.errors import WorkbenchError

NOTEBOOKS = "notebooks"
#: Where the wheel installs the notebooks, below an installation's data folder (the prefix of a
#: virtual environment, ``~/.local`` for ``pip install --user``): pyproject.toml's data-files
#: copy the repository's ``notebooks/`` there, so the repository folder stays the one source.
SHIPPED_NOTEBOOKS = Path("share") / "chs-workbench" / NOTEBOOKS
#: The default store (``workbench ingest``'s output), relative to the project root.
STORE = Path("data") / "store"
#: The default aggregates (``workbench compute``'s output), relative to the project root.
AGGREGATES = Path("data") / "aggregates"
#: The default folder of rendered reports, a bundle (``workbench report``), relative to the
#: project root.
REPORTS = Path("reports")


def _is_root(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file()


def find_root(start: str | Path) -> Path | None:
    """The nearest folder at or above ``start`` holding a ``pyproject.toml`` (None if none)."""
    start = Path(start).resolve()
    return next((f for f in (start, *start.parents) if _is_root(f)), None)


def project_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the current folder) holding a
    ``pyproject.toml``; else the source tree the package runs from, if it is one; else ``start``.
    """
    start = Path(start or Path.cwd()).resolve()
    found = find_root(start)
    if found:
        return found
    source_tree = Path(__file__).resolve().parents[3]
    if _is_root(source_tree) and (source_tree / NOTEBOOKS).is_dir():
        return source_tree
    return start


def default_store(root: Path | None = None) -> Path:
    """The default store: :data:`STORE` below ``root`` (default: :func:`project_root`)."""
    return (root or project_root()) / STORE


def default_aggregates(root: Path | None = None) -> Path:
    """The default aggregates: :data:`AGGREGATES` below ``root`` (default:
    :func:`project_root`)."""
    return (root or project_root()) / AGGREGATES


def default_reports(root: Path | None = None) -> Path:
    """The default folder of rendered reports: :data:`REPORTS` below ``root`` (default:
    :func:`project_root`)."""
    return (root or project_root()) / REPORTS


def project_path(path: str | Path) -> Path:
    """``path`` as given when it exists from here; otherwise relative to the project root (the
    nearest folder above the current one with a ``pyproject.toml``), so that notebooks opened in
    ``notebooks/`` by JupyterLab find ``data/...`` too."""
    path = Path(path)
    if path.is_absolute() or path.exists():
        return path
    root = find_root(Path.cwd())
    return root / path if root else path


def shipped_notebooks() -> Path | None:
    """The folder of notebooks installed with the package (:data:`SHIPPED_NOTEBOOKS` below this
    Python's data folder, or the user's for ``pip install --user``); None when the package runs
    from a source tree that installed none."""
    schemes = [sysconfig.get_default_scheme(), sysconfig.get_preferred_scheme("user")]
    folders = [Path(sysconfig.get_path("data", scheme)) for scheme in schemes]
    for folder in (*folders, Path(sys.prefix)):
        if (folder / SHIPPED_NOTEBOOKS).is_dir():
            return folder / SHIPPED_NOTEBOOKS
    return None


def notebook_path(name_or_path: str | Path, notebooks_dir: Path | None = None) -> Path:
    """The notebook ``name_or_path`` names: a path to an ``.ipynb`` file, or a name such as
    ``waits`` for ``notebooks/waits.ipynb`` (the project's copy first, then the one installed
    with the package, :func:`shipped_notebooks`). WorkbenchError listing the choices if it is
    missing.
    """
    folder = Path(notebooks_dir) if notebooks_dir else project_root() / NOTEBOOKS
    shipped = shipped_notebooks()
    if shipped and not folder.is_dir():
        folder = shipped
    text = str(name_or_path)
    given = Path(text)
    candidates = (
        [given]
        if text.endswith(".ipynb") or given.parent != Path(".")
        else [folder / f"{text}.ipynb", *([shipped / f"{text}.ipynb"] if shipped else []), given]
    )
    for candidate in candidates:
        if candidate.is_file() and candidate.suffix == ".ipynb":
            return candidate.resolve()
    available = sorted(p.stem for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    choices = f"; notebooks in {folder}: {', '.join(available)}" if available else ""
    raise WorkbenchError(
        f"no notebook {text!r} (looked for {', '.join(str(c) for c in candidates)}){choices}"
    )
