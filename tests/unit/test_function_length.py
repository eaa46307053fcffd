"""Functions short enough to read at once: none in the package, the benchmarks or the scripts
runs over 100 lines (from ``def`` to its last line, docstring included)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LONGEST = 100


def long_functions(folders: tuple[str, ...] = ("src", "benchmarks", "scripts")) -> list[str]:
    """``path:function (lines)`` for every function longer than :data:`LONGEST` lines."""
    found = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = (node.end_lineno or node.lineno) - node.lineno + 1
                    if lines > LONGEST:
                        found.append(f"{path.relative_to(ROOT)}:{node.name} ({lines})")
    return found


def test_no_function_runs_over_100_lines():
    assert long_functions() == []
