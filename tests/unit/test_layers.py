"""The package's floors: every import points down (or along its own floor), and no module
imports itself back through others. Imports inside functions and under ``TYPE_CHECKING`` count
as arrows too, so a cycle cannot hide in a function.

The floor order is written once, here (docs and DESIGN describe it in words).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

#: The floors from the ground up; a module sits on the floor of its first name under
#: ``workbench`` (``workbench.ingest.load`` is on the floor of ``ingest``).
FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "vocabulary",
        (
            "version",
            "errors",
            "paths",
            "period",
            "spec",
            "reference",
            "identifiers",
            "breakdowns",
            "store_layout",
        ),
    ),
    (
        "engine and rules",
        ("engine", "atomic", "logs", "store_lock", "stats", "disclosure", "startup", "pause"),
    ),
    (
        "store",
        ("store", "store_switch", "store_tables", "ingest", "synthetic", "csv_output", "geography"),
    ),
    ("facts", ("facts",)),
    ("measures", ("measures", "planning", "pathways")),
    ("statistics", ("compute", "aggregates_folder", "organisations")),
    ("pages", ("charts", "reports")),
    ("publishing", ("publish", "cli", "__main__")),
)
#: The package's face (``workbench/__init__.py``) re-exports from below, so it is the top.
FACE = "workbench"


def floor_of(module: str) -> int:
    """The floor number of ``module`` (0 is the ground); KeyError for a module on no floor."""
    if module == FACE:
        return len(FLOORS)
    top = module.split(".")[1]
    for number, (_, names) in enumerate(FLOORS):
        if top in names:
            return number
    raise KeyError(module)


def package_modules(src: Path = SRC) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for path in src.joinpath("workbench").rglob("*.py"):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _base(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    if path.name != "__init__.py":
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _known(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules ``module`` imports, anywhere in its text."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, path, node)
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        else:
            continue
        found.update(m for n in names if (m := _known(n, modules)) and m != module)
    return found


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    modules = package_modules(src)
    return {m: imports_of(m, p, modules) for m, p in modules.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{a} (floor {FLOORS[floor_of(a)][0]}) imports {b} (floor {FLOORS[floor_of(b)][0]})"
        for a, targets in graph.items()
        for b in targets
        if floor_of(b) > floor_of(a) and b != FACE
    ) + sorted(f"{a} imports the package face" for a, t in graph.items() if FACE in t)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_every_module_is_on_a_floor():
    assert [m for m in package_modules() if m != FACE and not _on_a_floor(m)] == []


def _on_a_floor(module: str) -> bool:
    try:
        floor_of(module)
    except KeyError:
        return False
    return True


def test_no_import_runs_up_a_floor():
    assert upward_imports(import_graph()) == []


def test_no_import_cycle():
    assert cycles(import_graph()) == []


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A copy of the package with one upward import planted in ``period.py``, and a cycle."""
    import shutil

    copy = tmp_path / "src"
    shutil.copytree(SRC / "workbench", copy / "workbench")
    period = copy / "workbench" / "period.py"
    period.write_text(
        period.read_text(encoding="utf-8")
        + "\n\ndef _x():\n    from workbench.publish import batch\n",
        encoding="utf-8",
    )
    return copy


def test_a_planted_upward_import_inside_a_function_is_found(planted: Path):
    graph = import_graph(planted)
    assert any(u.startswith("workbench.period (") for u in upward_imports(graph))
    # publish.batch reaches period through its own imports, so the plant closes a cycle too
    assert any("workbench.period" in group for group in cycles(graph))
