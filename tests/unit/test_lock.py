"""requirements.lock (exact versions for `make setup`) agrees with pyproject.toml: every declared
dependency, of the package and of its dev and spark extras, is pinned once, at a version inside
the declared range; so a lock left behind after a range changes is caught."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"


def _pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        assert match, f"requirements.lock: not an exact pin: {line!r}"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"requirements.lock pins {name} twice"
        pins[name] = Version(match.group(2))
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in project["dependencies"] + extras["dev"] + extras["spark"]]


@pytest.mark.skipif(not LOCK.exists(), reason="no requirements.lock: make setup uses the ranges")
def test_every_declared_dependency_is_pinned_inside_its_range():
    pins = _pins()
    problems = []
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{name} is not in requirements.lock: run make lock")
        elif pins[name] not in requirement.specifier:
            problems.append(
                f"{name}=={pins[name]} is outside pyproject.toml's {requirement.specifier}: "
                "run make lock"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not LOCK.exists(), reason="no requirements.lock")
def test_the_lock_holds_the_engine_stack_that_the_tests_passed_on():
    pins = _pins()
    assert pins["ibis-framework"] == Version("12.0.0")
    assert pins["duckdb"] < Version("2")  # DuckDB 2.0 breaks Ibis 12
    assert "chs-workbench" not in pins  # the project itself is installed editable
